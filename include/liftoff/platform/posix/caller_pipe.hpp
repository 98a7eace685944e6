// liftoff/platform/posix/caller_pipe.hpp: the parent's end of an io::pipe() output, read on the
// caller's thread (detail/caller_read.hpp cuts the lines): non-blocking, waited for in poll().
// SPDX-License-Identifier: MIT
#pragma once

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <system_error>
#include <utility>

#include "../../detail/caller_read.hpp"
#include "../../detail/clock.hpp"
#include "fd.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

/// Never registered with the event loop: only the caller reads it.
class posix_caller_pipe {
public:
    posix_caller_pipe() noexcept = default;
    explicit posix_caller_pipe(unique_fd fd) noexcept : fd_(std::move(fd)) { set_nonblocking(fd_.get()); }

    explicit operator bool() const noexcept { return static_cast<bool>(fd_); }
    unique_fd take() noexcept { return std::move(fd_); }

    /// One read of at most `n` bytes, waiting in poll() until `deadline` for something to read;
    /// a deadline already passed looks without waiting.
    pipe_read read(char* buf, std::size_t n, std::chrono::steady_clock::time_point deadline, std::size_t& got,
                   std::error_code& ec) noexcept {
        got = 0;
        for (;;) {
            const ssize_t r = retry_eintr([&] { return ::read(fd_.get(), buf, n); });
            if (r > 0) {
                got = static_cast<std::size_t>(r);
                return pipe_read::data;
            }
            if (r == 0) return pipe_read::end;
            if (errno != EAGAIN && errno != EWOULDBLOCK) {
                ec.assign(errno, std::generic_category());
                return pipe_read::failed;
            }
            if (std::chrono::steady_clock::now() >= deadline) return pipe_read::timeout;
            pollfd p{fd_.get(), POLLIN, 0};
            ::poll(&p, 1, poll_timeout_ms(&deadline));  // EINTR or readable: read again
        }
    }

private:
    unique_fd fd_;
};

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
