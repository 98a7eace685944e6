// liftoff/child.hpp: basic_child<Platform>, the move-only RAII handle of a running child.
// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>

#include "command.hpp"
#include "detail/config.hpp"
#include "exit_status.hpp"
#include "platform/select.hpp"

namespace liftoff {
inline namespace v0 {

template <class Platform>
class basic_child;

namespace detail {

struct child_access;
template <class P>
struct child_state;
/// Deletes a child_state where it is complete (in a LIFTOFF_SEPARATE_COMPILATION unit it is not).
template <class P>
struct child_state_deleter {
    void operator()(child_state<P>* s) const noexcept;
};
template <class P>
using child_state_ptr = std::unique_ptr<child_state<P>, child_state_deleter<P>>;

#if LIFTOFF_DETAIL_DEFINITIONS
/// A child's state on the heap, so the drain thread can point at it while the handle moves.
/// One thread may wait while another terminates, kills or polls it (a watchdog): what they
/// share is under `mutex`, and the platform's process reaps once whoever asks.
template <class P>
struct child_state {
    using clock = std::chrono::steady_clock;

    typename P::process proc;
    std::string program;
    std::string path;
    command::trace_callback trace;
    clock::time_point started;
    std::optional<clock::time_point> deadline;
    std::chrono::nanoseconds grace{std::chrono::seconds(2)};
    on_destroy policy = on_destroy::terminate;

    mutable std::mutex mutex;  // status, elapsed, timed_out, callback_error_taken
    std::optional<exit_status> status;
    std::chrono::nanoseconds elapsed{};
    bool timed_out = false;
    bool callback_error_taken = false;
    std::mutex streams_mutex;  // the drain is joined once, by whoever gets here first
    bool streams_done = false;

    void emit(trace_event e) const {
        if (!trace) return;
        e.program = program;
        e.path = path;
        e.pid = static_cast<std::int64_t>(proc.pid());
        trace(e);
    }

    std::optional<exit_status> known() const {
        std::lock_guard<std::mutex> lock(mutex);
        return status;
    }

    /// Called with whatever a platform wait returned; the first status is recorded once (and
    /// traced once, outside the lock: a trace callback may call back in).
    std::optional<exit_status> observe(std::optional<exit_status> s) {
        if (!s) return s;
        std::chrono::nanoseconds took{};
        {
            std::lock_guard<std::mutex> lock(mutex);
            if (status) return s;
            status = s;
            took = elapsed = clock::now() - started;
        }
        if (trace) {
            trace_event e;
            e.kind = trace_kind::exited;
            e.status = *s;
            e.elapsed = took;
            emit(std::move(e));
        }
        return s;
    }

    void signal(int sig) {
        if (proc.send(sig) && trace) {
            trace_event e;
            e.kind = trace_kind::signal_sent;
            e.signal = sig;
            emit(std::move(e));
        }
    }

    /// A child that has already exited gets no signal; what is left of its group (with
    /// new_process_group()) is killed before it is reaped, as when it exits during the grace.
    std::optional<exit_status> if_exited() {
        if (known()) return known();
        if (!proc.exited_unreaped(std::chrono::nanoseconds::zero())) return std::nullopt;
        proc.kill_rest_of_group();
        return observe(proc.wait());
    }

    exit_status stop(std::chrono::nanoseconds grace_period) {
        if (auto s = if_exited()) return *s;
        signal(P::process::polite_signal);
        if (proc.exited_unreaped(grace_period)) {
            proc.kill_rest_of_group();
        } else {
            signal(P::process::kill_signal);
        }
        return *observe(proc.wait());
    }

    exit_status kill_now() {
        if (auto s = if_exited()) return *s;
        signal(P::process::kill_signal);
        return *observe(proc.wait());
    }

    exit_status wait_until_done() {
        if (!known()) {
            // Rust's choice: a child waiting for end of input could otherwise never finish.
            proc.close_stdin_if_idle();
            if (deadline) {
                const auto left = *deadline - clock::now();
                if (!observe(proc.wait_for(left > left.zero() ? left : left.zero()))) {
                    {
                        std::lock_guard<std::mutex> lock(mutex);
                        timed_out = true;
                    }
                    stop(grace);
                }
            } else {
                observe(proc.wait());
            }
        }
        finish_streams();
        return *known();
    }

    void finish_streams() {
        // Called from an io::lines callback (the drain's thread): the drain finishes by itself
        // once the callback returns, and whoever waits next joins it.
        if (proc.drain().on_own_thread()) return;
        std::lock_guard<std::mutex> lock(streams_mutex);
        if (streams_done) return;
        proc.finish_streams();
        streams_done = true;
    }

    /// The first exception an io::lines callback threw, handed out once.
    std::exception_ptr take_callback_error() {
        std::lock_guard<std::mutex> lock(mutex);
        if (callback_error_taken) return nullptr;
        for (int s = 1; s <= 2; ++s) {
            if (auto e = proc.drain().sink(s).callback_error()) {
                callback_error_taken = true;
                return e;
            }
        }
        return nullptr;
    }
};

template <class P>
void child_state_deleter<P>::operator()(child_state<P>* s) const noexcept {
    delete s;
}

/// A handle copied into a process made by fork() (without exec) is inert there: the child and
/// the drain thread belong to the process that launched it. Platforms without fork say nothing.
template <class Proc>
auto inherited_through_fork(Proc& p, int) noexcept -> decltype(p.inherited()) {
    return p.inherited();
}
template <class Proc>
bool inherited_through_fork(Proc&, long) noexcept {
    return false;
}
template <class Proc>
auto abandon_in_fork(Proc& p, int) noexcept -> decltype(p.abandon()) {
    p.abandon();
}
template <class Proc>
void abandon_in_fork(Proc&, long) noexcept {}
#endif  // LIFTOFF_DETAIL_DEFINITIONS

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
template <class Platform = native_platform>
class basic_child {
public:
    using platform = Platform;
    using pid_type = typename detail::platform_pid<Platform>::type;

    basic_child() noexcept = default;
    basic_child(basic_child&&) noexcept = default;
    basic_child& operator=(basic_child&& other) noexcept;
    basic_child(const basic_child&) = delete;
    basic_child& operator=(const basic_child&) = delete;
    ~basic_child();

    /// The OS process id (0 for an invalid handle).
    pid_type pid() const noexcept;
    /// False for a default-constructed, moved-from or released handle.
    bool valid() const noexcept { return s_ != nullptr; }
    /// Non-blocking. Reaps the child if it has ended.
    bool running();

    /// Closes stdin (an io::pipe), waits for the child (honouring the command's timeout, which
    /// terminates it and sets timed_out()), reaps it and finishes its streams. Rethrows an
    /// exception thrown by an io::lines callback. Invalid handle: an unknown status.
    exit_status wait();
    /// Waits at most `limit`; nullopt if the child is still running then.
    std::optional<exit_status> wait_for(std::chrono::nanoseconds limit);
    /// SIGTERM (to the whole group with new_process_group()), then SIGKILL after `grace`; reaps.
    exit_status terminate(std::chrono::nanoseconds grace = std::chrono::seconds(2));
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

    /// Captured text so far (final after wait()).
    std::string out() const { return captured(1); }
    std::string err() const { return captured(2); }
    /// More than the capture limit arrived; the rest was read and dropped.
    bool out_truncated() const { return flag(1, true); }
    bool err_truncated() const { return flag(2, true); }
    /// Draining stopped after the grace because a grandchild kept the pipe open.
    bool out_cut() const { return flag(1, false); }
    bool err_cut() const { return flag(2, false); }
    /// The command's timeout fired and the child was terminated.
    bool timed_out() const;

private:
    friend struct detail::child_access;

    explicit basic_child(detail::child_state_ptr<Platform> s) noexcept : s_(std::move(s)) {}

    std::string captured(int stream) const;
    bool flag(int stream, bool truncated) const;
    void destroy() noexcept;
    /// A handle whose child this process launched (not a copy made by fork()).
    bool owned() const noexcept;

    detail::child_state_ptr<Platform> s_;
};

#if LIFTOFF_DETAIL_DEFINITIONS
// Defined outside the class, so that a LIFTOFF_SEPARATE_COMPILATION unit, which sees only the
// class, calls the implementation unit's instances.

template <class P>
bool basic_child<P>::owned() const noexcept {
    return s_ && !detail::inherited_through_fork(s_->proc, 0);
}

template <class P>
basic_child<P>& basic_child<P>::operator=(basic_child&& other) noexcept {
    if (this != &other) {
        destroy();
        s_ = std::move(other.s_);
    }
    return *this;
}

template <class P>
basic_child<P>::~basic_child() {
    destroy();
}

template <class P>
typename basic_child<P>::pid_type basic_child<P>::pid() const noexcept {
    static_assert(std::is_same<pid_type, typename P::process::pid_type>::value, "platform_pid is wrong");
    return s_ ? s_->proc.pid() : pid_type{};
}

template <class P>
bool basic_child<P>::running() {
    if (!owned()) return false;
    return !s_->observe(s_->proc.try_wait());
}

template <class P>
exit_status basic_child<P>::wait() {
    if (!owned()) return {};
    const exit_status st = s_->wait_until_done();
    if (auto e = s_->take_callback_error()) std::rethrow_exception(e);
    return st;
}

template <class P>
std::optional<exit_status> basic_child<P>::wait_for(std::chrono::nanoseconds limit) {
    if (!owned()) return std::nullopt;
    auto st = s_->observe(s_->proc.wait_for(limit));
    if (st) s_->finish_streams();
    return st;
}

template <class P>
exit_status basic_child<P>::terminate(std::chrono::nanoseconds grace) {
    if (!owned()) return {};
    const exit_status st = s_->stop(grace);
    s_->finish_streams();
    return st;
}

template <class P>
exit_status basic_child<P>::kill() {
    if (!owned()) return {};
    const exit_status st = s_->kill_now();
    s_->finish_streams();
    return st;
}

template <class P>
void basic_child<P>::release() {
    if (!s_) return;
    if (!owned())
        detail::abandon_in_fork(s_->proc, 0);
    else if (!s_->known())
        s_->proc.release();
    s_.reset();
}

template <class P>
void basic_child<P>::write_stdin(std::string_view bytes, std::error_code& ec) noexcept {
    if (!owned()) {
        ec = std::make_error_code(std::errc::bad_file_descriptor);
        return;
    }
    ec = s_->proc.write_stdin(bytes);
}

template <class P>
void basic_child<P>::write_stdin(std::string_view bytes) {
    std::error_code ec;
    write_stdin(bytes, ec);
    if (!ec) return;
    const std::string name = s_ ? s_->program : std::string("an invalid child");
    const std::string why = ec == std::errc::broken_pipe           ? "the child has closed its stdin or exited"
                            : ec == std::errc::bad_file_descriptor ? "stdin is not io::pipe() or was closed"
                            : ec == std::errc::operation_canceled
                                ? "close_stdin() was called while this write waited for the child to read"
                                : ec.message();
    throw std::system_error(ec, "liftoff: cannot write to the stdin of '" + name + "': " + why);
}

template <class P>
void basic_child<P>::close_stdin() noexcept {
    if (owned()) s_->proc.close_stdin();
}

template <class P>
bool basic_child<P>::timed_out() const {
    if (!owned()) return false;
    std::lock_guard<std::mutex> lock(s_->mutex);
    return s_->timed_out;
}

template <class P>
std::string basic_child<P>::captured(int stream) const {
    if (!owned()) return {};
    auto& drain = s_->proc.drain();
    std::lock_guard<std::mutex> lock(drain.lock());
    return drain.sink(stream).data();
}

template <class P>
bool basic_child<P>::flag(int stream, bool truncated) const {
    if (!owned()) return false;
    auto& drain = s_->proc.drain();
    std::lock_guard<std::mutex> lock(drain.lock());
    return truncated ? drain.sink(stream).truncated() : drain.sink(stream).cut();
}

template <class P>
void basic_child<P>::destroy() noexcept {
    if (!s_) return;
    if (!owned()) {  // a copy made by fork(): nothing here to stop, wait for or join
        detail::abandon_in_fork(s_->proc, 0);
        s_.reset();
        return;
    }
    try {
        switch (s_->policy) {
        case on_destroy::wait: s_->wait_until_done(); break;
        case on_destroy::terminate:
            s_->stop(s_->grace);
            s_->finish_streams();
            break;
        case on_destroy::kill:
            s_->kill_now();
            s_->finish_streams();
            break;
        case on_destroy::release:
            if (!s_->known()) s_->proc.release();
            break;
        }
    } catch (...) {
        // A trace callback threw: a destructor cannot pass it on, and must not leave the child
        // running or unreaped. Untraced, it ends the child at once (a released one is left be).
        try {
            s_->trace = nullptr;
            if (s_->policy != on_destroy::release) {
                s_->kill_now();
                s_->finish_streams();
            } else if (!s_->known()) {
                s_->proc.release();
            }
        } catch (...) {
        }
    }
    s_.reset();
}
#endif  // LIFTOFF_DETAIL_DEFINITIONS

using child = basic_child<>;

}  // namespace v0
}  // namespace liftoff
