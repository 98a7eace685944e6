// liftoff/exit_status.hpp: how a child ended (an exit code, a signal, or unknown).
// SPDX-License-Identifier: MIT
#pragma once

#include <string>  // to_string

namespace liftoff {
inline namespace v0 {

/// How a child ended. "Unknown" is what waiting on an empty handle returns; lost() what it
/// returns when the system reaped the child itself (POSIX, with SIGCHLD set to SIG_IGN or
/// SA_NOCLDWAIT by the application), and reaped_elsewhere() when something else in this process
/// reaped it (a SIGCHLD handler, a waitpid(-1) loop), so no status was left to read.
class exit_status {
public:
    /// An unknown status (what waiting on an empty handle returns).
    constexpr exit_status() noexcept = default;

    /// Exited with `code`.
    static constexpr exit_status from_code(int code) noexcept { return {how::exited, code}; }
    /// Killed by signal `sig`.
    static constexpr exit_status from_signal(int sig) noexcept { return {how::signaled, sig}; }
    /// The child ended but the system reaped it, so its status is lost (SIGCHLD ignored).
    static constexpr exit_status lost() noexcept { return {how::lost, 0}; }
    /// The child ended but something else in this process reaped it (SIGCHLD not ignored: a
    /// handler or another waitpid() took the status first).
    static constexpr exit_status reaped_elsewhere() noexcept { return {how::reaped_elsewhere, 0}; }

    /// The child exited with a code; code() says which.
    constexpr bool exited() const noexcept { return how_ == how::exited; }
    /// The exit code; -1 unless exited(). On Windows the 32-bit exit code, as an int.
    constexpr int code() const noexcept { return how_ == how::exited ? value_ : -1; }
    /// A signal ended the child (POSIX); signal() says which.
    constexpr bool signaled() const noexcept { return how_ == how::signaled; }
    /// The signal that ended the child (POSIX); 0 unless signaled().
    constexpr int signal() const noexcept { return how_ == how::signaled ? value_ : 0; }
    /// No status: an empty handle's, lost() or reaped_elsewhere().
    constexpr bool unknown() const noexcept {
        return how_ == how::unknown || how_ == how::lost || how_ == how::reaped_elsewhere;
    }
    /// Exited with code 0.
    constexpr bool success() const noexcept { return how_ == how::exited && value_ == 0; }

    /// "exited with code 3", "killed by signal 9 (SIGKILL)", "exit status unknown" (with why, for
    /// lost() and reaped_elsewhere()).
    std::string to_string() const;

    /// The same way of ending with the same code or signal (two unknowns of the same kind are equal).
    friend constexpr bool operator==(const exit_status& a, const exit_status& b) noexcept {
        return a.how_ == b.how_ && a.value_ == b.value_;
    }
    /// !(a == b).
    friend constexpr bool operator!=(const exit_status& a, const exit_status& b) noexcept { return !(a == b); }

private:
    enum class how : unsigned char { unknown, exited, signaled, lost, reaped_elsewhere };
    constexpr exit_status(how h, int v) noexcept : how_(h), value_(v) {}
    how how_ = how::unknown;
    int value_ = 0;
};

}  // namespace v0
}  // namespace liftoff
