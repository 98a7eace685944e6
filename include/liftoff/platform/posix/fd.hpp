// liftoff/platform/posix/fd.hpp: owned descriptors, EINTR retries, close-on-exec pipes.
// SPDX-License-Identifier: MIT
#pragma once

#include <cerrno>    // errno, EINTR
#include <cstdint>   // a wake channel's count
#include <fcntl.h>   // fcntl, O_CLOEXEC
#include <unistd.h>  // close, pipe

#include "os.hpp"  // LIFTOFF_HAS_PIPE2

namespace liftoff {
inline namespace v0 {
namespace detail {

/// Calls f until it stops failing with EINTR; the one place EINTR is retried.
template <class F>
auto retry_eintr(F f) -> decltype(f()) {
    decltype(f()) r;
    do {
        r = f();
    } while (r == -1 && errno == EINTR);
    return r;
}

/// A descriptor closed when it goes out of scope. close() is never retried: Linux closes the
/// descriptor even when close() reports EINTR.
class unique_fd {
public:
    unique_fd() noexcept = default;
    explicit unique_fd(int fd) noexcept : fd_(fd) {}
    unique_fd(unique_fd&& o) noexcept : fd_(o.release()) {}
    unique_fd& operator=(unique_fd&& o) noexcept {
        if (this != &o) reset(o.release());
        return *this;
    }
    unique_fd(const unique_fd&) = delete;
    unique_fd& operator=(const unique_fd&) = delete;
    ~unique_fd() { reset(); }

    int get() const noexcept { return fd_; }
    explicit operator bool() const noexcept { return fd_ >= 0; }
    int release() noexcept {
        const int fd = fd_;
        fd_ = -1;
        return fd;
    }
    void reset(int fd = -1) noexcept {
        if (fd_ >= 0) ::close(fd_);
        fd_ = fd;
    }

private:
    int fd_ = -1;
};

/// A pipe whose both ends are close-on-exec from birth (atomically where the OS can).
/// Returns 0 or an errno value.
inline int make_pipe(unique_fd& read_end, unique_fd& write_end) noexcept {
    int fds[2];
#if LIFTOFF_HAS_PIPE2
    if (::pipe2(fds, O_CLOEXEC) != 0) return errno;
#else
    // macOS has no pipe2 (nor SOCK_CLOEXEC). liftoff's own spawns there close every descriptor
    // they do not name (POSIX_SPAWN_CLOEXEC_DEFAULT), so the window before FD_CLOEXEC is set
    // leaks nothing into liftoff's children. A fork+exec by another thread of the application
    // in that window can inherit an end and hold the pipe open: EOF then waits for that process
    // (for output, the drain's grace after our child's exit bounds it). No macOS call creates a
    // pipe close-on-exec, so the window cannot be closed (Foundation's NSTask has the same one).
    if (::pipe(fds) != 0) return errno;
    ::fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    ::fcntl(fds[1], F_SETFD, FD_CLOEXEC);
#endif  // LIFTOFF_HAS_PIPE2
    read_end.reset(fds[0]);
    write_end.reset(fds[1]);
    return 0;
}

/// Signals a wake channel: an eventfd on Linux, a pipe's write end elsewhere. A full one is
/// already signalled.
inline void signal_wake_channel(int fd) noexcept {
#if defined(__linux__)
    const std::uint64_t one = 1;
    const ssize_t r = ::write(fd, &one, sizeof one);
#else
    const char one = 1;
    const ssize_t r = ::write(fd, &one, 1);
#endif  // __linux__
    (void)r;
}

inline void set_nonblocking(int fd) noexcept {
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0) ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

/// Moves a descriptor that sits on 0, 1 or 2 to 3 or above (close-on-exec), so that putting
/// the child's streams in place cannot overwrite it. Returns 0 or an errno value.
inline int move_above_stdio(unique_fd& fd) noexcept {
    if (!fd || fd.get() > 2) return 0;
    const int moved = ::fcntl(fd.get(), F_DUPFD_CLOEXEC, 3);
    if (moved < 0) return errno;
    fd.reset(moved);
    return 0;
}

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
