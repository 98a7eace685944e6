// liftoff/platform/windows/caller_pipe.hpp: the parent's end of an io::pipe() output, read on
// the caller's thread (detail/caller_read.hpp cuts the lines): an overlapped read waited for
// with a timeout, cancelled when it passes. Never attached to the drain's completion port.
// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstddef>
#include <system_error>
#include <utility>

#include "../../detail/caller_read.hpp"
#include "win32.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

class windows_caller_pipe {
public:
    windows_caller_pipe() noexcept = default;
    explicit windows_caller_pipe(unique_handle pipe) noexcept : pipe_(std::move(pipe)) {}

    explicit operator bool() const noexcept { return static_cast<bool>(pipe_); }
    /// release(): the pipe, with no read pending on it.
    unique_handle take() noexcept { return std::move(pipe_); }

    /// One read of at most `n` bytes, waiting until `deadline` for something to arrive. A wait
    /// that times out cancels the read and collects it: bytes it got meanwhile are kept.
    pipe_read read(char* buf, std::size_t n, std::chrono::steady_clock::time_point deadline, std::size_t& got,
                   std::error_code& ec) noexcept {
        got = 0;
        if (!event_) {
            event_.reset(::CreateEventW(nullptr, TRUE, FALSE, nullptr));
            if (!event_) return failed(::GetLastError(), ec);
        }
        const DWORD want = static_cast<DWORD>(n < (1u << 20) ? n : (1u << 20));
        for (;;) {
            OVERLAPPED ov{};
            ov.hEvent = event_.get();
            if (!::ReadFile(pipe_.get(), buf, want, nullptr, &ov)) {
                const DWORD e = ::GetLastError();
                if (e == ERROR_BROKEN_PIPE) return pipe_read::end;
                if (e != ERROR_IO_PENDING) return failed(e, ec);
                if (::WaitForSingleObject(event_.get(), milliseconds_until(deadline)) != WAIT_OBJECT_0)
                    ::CancelIoEx(pipe_.get(), &ov);
            }
            DWORD bytes = 0;
            if (!::GetOverlappedResult(pipe_.get(), &ov, &bytes, TRUE)) {  // the read is over either way
                const DWORD r = ::GetLastError();
                if (r == ERROR_OPERATION_ABORTED) return pipe_read::timeout;
                if (r == ERROR_BROKEN_PIPE) return pipe_read::end;
                return failed(r, ec);
            }
            if (bytes > 0) {
                got = bytes;
                return pipe_read::data;
            }
            // A zero-byte write by the child completes a read with nothing: read again.
            if (std::chrono::steady_clock::now() >= deadline) return pipe_read::timeout;
        }
    }

private:
    static pipe_read failed(DWORD e, std::error_code& ec) noexcept {
        ec.assign(static_cast<int>(e), std::system_category());
        return pipe_read::failed;
    }
    /// For WaitForSingleObject: rounded up, INFINITE for the last time_point (no limit).
    static DWORD milliseconds_until(std::chrono::steady_clock::time_point deadline) noexcept {
        if (deadline == (std::chrono::steady_clock::time_point::max)()) return INFINITE;
        const auto left =
            std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
        return static_cast<DWORD>(left > 0x7ffffffe ? 0x7ffffffe : (left < 0 ? 0 : left));
    }

    unique_handle pipe_;
    unique_handle event_;  // manual-reset, made on the first read
};

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
