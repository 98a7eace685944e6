// liftoff/child.hpp: child, the move-only RAII handle of a running child.
// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "command.hpp"
#include "exit_status.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {
struct child_access;
struct child_state;
/// Deletes a child_state where it is complete (the implementation), so that child's users need
/// not see it.
struct child_state_deleter {
    void operator()(child_state* s) const noexcept;
};
using child_state_ptr = std::unique_ptr<child_state, child_state_deleter>;
}  // namespace detail

/// A running (or finished) child. Move-only; its destructor does what on_destroy says.
///
/// Threads: one thread may wait() (or wait_for()) while others call terminate(), kill(),
/// running(), pid(), out()/err(), the truncated/cut flags, timed_out(), write_stdin() and
/// close_stdin() (a watchdog, a feeder). Moving, assigning, release() and destruction need the
/// handle to themselves, like std::thread's.
///
/// fork(): in a process forked (without exec) from the one that launched the child, an
/// inherited handle is inert: destroying or releasing it there leaves the child alone, waiting
/// or stopping gives an unknown status and out()/err() are empty, as for an empty handle (only
/// valid() and pid() still say what they said).
class child {
public:
#if defined(_WIN32)
    using pid_type = unsigned long;  ///< a Windows process id (DWORD)
#else
    using pid_type = int;  ///< a pid_t
#endif

    /// An invalid handle (valid() is false), to move a launched child into.
    child() noexcept = default;
    /// Takes the moved-from handle's child, leaving that handle invalid.
    child(child&&) noexcept;
    /// Does what on_destroy says to the child this handle had, then takes `other`'s.
    child& operator=(child&& other) noexcept;
    child(const child&) = delete;
    child& operator=(const child&) = delete;
    /// Does what the command's on_destroy says: waits, terminates (the default), kills or releases.
    ~child();

    /// The OS process id (0 for an invalid handle).
    pid_type pid() const noexcept;
    /// False for a default-constructed, moved-from or released handle.
    bool valid() const noexcept;
    /// Non-blocking. Reaps the child if it has ended.
    bool running();

    /// Closes stdin (an io::pipe), waits for the child (honouring the command's timeout, which
    /// terminates it and sets timed_out()), reaps it and finishes its streams. Rethrows an
    /// exception thrown by an io::lines callback. Invalid handle: an unknown status.
    exit_status wait();
    /// Waits at most `limit`; nullopt if the child is still running then.
    std::optional<exit_status> wait_for(std::chrono::nanoseconds limit);
    /// SIGTERM (to the whole group with new_process_group()), then SIGKILL after `grace`; reaps.
    exit_status terminate(std::chrono::nanoseconds grace = default_grace);
    /// SIGKILL now (to the whole group with new_process_group()); reaps.
    exit_status kill();
    /// Lets the child run on, unowned. A library thread reaps it when it ends (no zombie) and
    /// drops what it still writes to captured streams. The handle becomes invalid.
    void release();

    /// Writes to the child's stdin (io::pipe()). Blocks while the pipe is full. A child that has
    /// closed its stdin or exited gives std::errc::broken_pipe, never a SIGPIPE; a close_stdin()
    /// on another thread while this waits gives std::errc::operation_canceled.
    void write_stdin(std::string_view bytes, std::error_code& ec) noexcept;
    /// Throws std::system_error naming the program.
    void write_stdin(std::string_view bytes);
    /// Ends the child's input (io::pipe()). POSIX: never waits for a write_stdin() on another
    /// thread; that write stops (operation_canceled) and the pipe closes as it returns.
    void close_stdin() noexcept;

    /// Captured stdout so far (final after wait()); "" unless io::capture().
    std::string out() const;
    /// Captured stderr so far (final after wait()); "" unless io::capture().
    std::string err() const;
    /// More stdout than the capture limit arrived; the rest was read and dropped.
    bool out_truncated() const;
    /// More stderr than the capture limit arrived; the rest was read and dropped.
    bool err_truncated() const;
    /// Draining stdout stopped after the drain grace because a grandchild kept the pipe open.
    bool out_cut() const;
    /// Draining stderr stopped after the drain grace because a grandchild kept the pipe open.
    bool err_cut() const;
    /// The command's timeout fired and the child was terminated.
    bool timed_out() const;

private:
    friend struct detail::child_access;

    explicit child(detail::child_state_ptr s) noexcept;

    void destroy() noexcept;
    /// A handle whose child this process launched (not a copy made by fork()).
    bool owned() const noexcept;

    detail::child_state_ptr s_;
};

}  // namespace v0
}  // namespace liftoff
