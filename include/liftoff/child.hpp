// liftoff/child.hpp: child, the move-only RAII handle of a running child.
// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "command.hpp"
#include "exit_status.hpp"
#include "report.hpp"

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

/// One of a child's standard streams, for child::read_line(), read_some() and eof() (0.2).
/// (liftoff::io::stream is another thing: a redirection spec.)
enum class stream {
    in,   ///< its stdin
    out,  ///< its stdout
    err,  ///< its stderr
};

/// A running (or finished) child. Move-only; its destructor does what on_destroy says.
///
/// Threads: one thread may wait() (or wait_for()) while others call terminate(), kill(),
/// running(), pid(), out()/err(), the truncated/cut flags, timed_out(), write_stdin(),
/// close_stdin(), signal(), interrupt(), suspend(), resume(), read_line(), read_some() and
/// eof() (a watchdog, a feeder, a reader). Moving, assigning, release() and destruction need
/// the handle to themselves, like std::thread's.
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
    /// Why it died, once it has ended badly within 3 s of its start (seen by wait(), a poll or
    /// a stop): as run()'s result::findings, from its exit, the tail of its stderr where that is
    /// captured or io::lines, and preflight()'s judging of its file. Empty while it runs, when
    /// it did not die early, and when liftoff stopped or signalled it.
    std::vector<finding> findings() const;
    /// The first of findings() in the words of a launch_error; "" when there is none.
    std::string explanation() const;

    // --- Signals (0.2) -------------------------------------------------------------------------
    // Each reaches the child (or its whole group, with new_process_group()) and never another
    // process: once the child has been waited for (reaped), or when something other than
    // liftoff reaped it (its pid may name another process now), it is an error, not a signal.
    // A child that has exited but not been waited for is still this process's (a zombie): the
    // signal is sent and does nothing. Linux: through the child's pidfd; beyond the 16 children
    // that keep one, through a pidfd opened for the call and checked by the child's identity:
    // the pidfd's inode number since Linux 6.9 (64-bit), which no other process shares; before,
    // the start time, which counts clock ticks (10 ms), so that a pid reused within the tick
    // the child started in could pass for it (with no descriptor to spare for that check, the
    // signal fails with EMFILE rather than go by pid alone). macOS, the BSDs: by pid, while
    // waitid() still calls it this process's child (another child of this process given the
    // pid cannot be told apart). Each is traced as trace_kind::signal_sent.

    /// POSIX: sends signal `sig` (e.g. SIGHUP, SIGUSR1) as it is. Throws launch_error naming the
    /// program: std::errc::no_such_process (reaped, gone, or a handle without a child),
    /// errc::invalid_argument (not a signal number here: 0, negative, NSIG or more),
    /// errc::unsupported on Windows (which has no signals by number), or, on Linux for a child
    /// beyond the 16 that keep a pidfd, std::errc::too_many_files_open when no descriptor is to
    /// spare to check that its pid is still its own (nothing is sent by pid alone).
    void signal(int sig);
    /// As signal(sig), reporting in `ec` (the codes above) instead of throwing.
    void signal(int sig, std::error_code& ec) noexcept;
    /// POSIX: SIGINT. Windows: CTRL_C_EVENT to the child's console process group, which it has
    /// only with new_process_group() (else errc::unsupported: the event would reach this process
    /// too); Windows starts such a group with CTRL+C ignored, so only a child that turns it back
    /// on (SetConsoleCtrlHandler(NULL, FALSE)) sees it. Throws as signal() does.
    void interrupt();
    /// As interrupt(), reporting in `ec`.
    void interrupt(std::error_code& ec) noexcept;
    /// POSIX: SIGSTOP (it cannot be caught). Windows: suspends the child's threads
    /// (NtSuspendProcess; the child process only, not its job). Throws as signal() does.
    void suspend();
    /// As suspend(), reporting in `ec`.
    void suspend(std::error_code& ec) noexcept;
    /// POSIX: SIGCONT (also for a child someone else stopped). Windows: resumes the threads
    /// suspend() suspended (NtResumeProcess; suspensions count). Throws as signal() does.
    void resume();
    /// As resume(), reporting in `ec`.
    void resume(std::error_code& ec) noexcept;

    // --- Reading on the caller's thread (0.2) --------------------------------------------------
    // For a stream given io::pipe() (stdout_to(io::pipe()), stderr_to(io::pipe())): liftoff
    // never drains it; these read it on the calling thread. A child blocks when it fills the
    // pipe (64 KiB on Linux) until it is read, so a wait() for a child whose io::pipe() output
    // nobody reads can wait for ever (give the command a timeout(), or read with a timeout on
    // the thread that would wait). terminate(), kill(), a timeout() and on_destroy::terminate
    // or ::kill always end such a child (liftoff never waits for that stream); on_destroy::wait
    // waits as wait() does. After the child has exited, what it wrote can still be read, until
    // the handle goes; release() hands the pipe to liftoff, which reads and drops the rest. A
    // stream stays open while a grandchild holds it: the timeouts bound each read then. With
    // stderr_to(io::merge()), stderr comes on stream::out.
    // Errors: std::errc::invalid_argument for stream::in or a stream that is not io::pipe() (the
    // message names the remedy); std::errc::bad_file_descriptor for a handle without a child;
    // std::errc::not_enough_memory; a read the OS refuses, its own code (and the stream ends).
    // Threads: like write_stdin(), these may be called while another thread waits, terminates
    // or writes stdin; stdout and stderr may be read on two threads at once. Reads of one
    // stream from two threads are serialised: each gets whole lines, and the second waits for
    // the first but not past its own timeout.

    /// One line of `s` without its "\n" (a "\r\n" goes whole, as io::lines does); a line
    /// longer than 64 KiB comes in pieces of 64 KiB (the last piece, "" when the length is a
    /// multiple of 64 KiB, ends where its "\n" was), so the buffer stays bounded; an
    /// unterminated last line comes at the end. Waits up to `timeout` (nanoseconds::max(): no
    /// limit; zero: only what has arrived) and returns nullopt then, or at the end (eof() says
    /// which). Throws std::system_error naming the program.
    std::optional<std::string> read_line(liftoff::stream s,
                                         std::chrono::nanoseconds timeout = (std::chrono::nanoseconds::max)());
    /// As read_line(s, timeout), reporting in `ec` (and nullopt) instead of throwing.
    std::optional<std::string> read_line(liftoff::stream s, std::chrono::nanoseconds timeout,
                                         std::error_code& ec) noexcept;
    /// What has arrived on `s` (up to 64 KiB), waiting up to `timeout` for the first byte; ""
    /// at the timeout or the end. Throws std::system_error naming the program.
    std::string read_some(liftoff::stream s, std::chrono::nanoseconds timeout = (std::chrono::nanoseconds::max)());
    /// As read_some(s, timeout), reporting in `ec` (and "") instead of throwing.
    std::string read_some(liftoff::stream s, std::chrono::nanoseconds timeout, std::error_code& ec) noexcept;
    /// True when the child (and whatever shared the pipe) has closed `s` and everything in it has
    /// been read. Looks without waiting (but waits for a read of `s` on another thread to
    /// return); bytes it finds stay for the next read. Throws std::system_error naming the
    /// program.
    bool eof(liftoff::stream s);
    /// As eof(s), reporting in `ec` (and false) instead of throwing.
    bool eof(liftoff::stream s, std::error_code& ec) noexcept;

private:
    friend struct detail::child_access;

    explicit child(detail::child_state_ptr s) noexcept;

    void destroy() noexcept;
    /// A handle whose child this process launched (not a copy made by fork()).
    bool owned() const noexcept;

    detail::child_state_ptr s_;
};

// --- Many children (0.2) ------------------------------------------------------------------------

/// Waits until one of `children` has exited and returns its index: that child is reaped and its
/// streams finished, as wait() does (its wait() then returns the status at once, and rethrows
/// what an io::lines callback threw). A child that has already been waited for counts as
/// exited: take it out of the list before calling again. Lowest index first when several have.
/// nullopt when `timeout` passes first (nanoseconds::max(): no limit). A child's own timeout()
/// is honoured as wait() honours it (the child is stopped, timed_out() is set, and its index
/// returned). Never spins (Linux: one poll() over the children's pidfds; macOS, the BSDs: one
/// kqueue; Windows: WaitForMultipleObjects) and never reaps a child it was not given. Unlike
/// wait(), it leaves the children's stdin open. Throws launch_error, errc::invalid_argument,
/// for an empty list, a null pointer or a handle without a child.
std::optional<std::size_t> wait_any(const std::vector<child*>& children,
                                    std::chrono::nanoseconds timeout = (std::chrono::nanoseconds::max)());
/// As wait_any(children, timeout), reporting errc::invalid_argument in `ec` (and nullopt).
std::optional<std::size_t> wait_any(const std::vector<child*>& children, std::chrono::nanoseconds timeout,
                                    std::error_code& ec);

}  // namespace v0
}  // namespace liftoff
