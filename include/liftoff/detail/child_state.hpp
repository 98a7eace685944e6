// liftoff/detail/child_state.hpp: what a child handle owns, and the stop policy every way of
// ending a child goes through: a timeout, terminate(), kill() and the destructor all come here
// (timeout -> polite signal -> grace -> kill, to the whole group with new_process_group()).
// The platform's process (platform/*/process.hpp) only sends the signals and waits.
// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstdint>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "../command.hpp"
#include "../exit_status.hpp"
#include "../platform/select.hpp"
#include "post_mortem.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

/// A child's state on the heap, so the drain thread can point at it while the handle moves.
/// One thread may wait while another terminates, kills or polls it (a watchdog): what they
/// share is under `mutex`, and the platform's process reaps once whoever asks.
struct child_state {
    using P = native_platform;
    using clock = std::chrono::steady_clock;

    typename P::process proc;
    std::string program;
    std::string path;
    command::trace_callback trace;
    clock::time_point started;
    std::optional<clock::time_point> deadline;
    std::chrono::nanoseconds grace{default_grace};
    on_destroy policy = on_destroy::terminate;

    /// The child's LD_LIBRARY_PATH where its environment is not this process's (nullopt: it
    /// inherits ours): what the post-mortem's judging reads.
    std::optional<std::string> ld_library_path;
    bool err_merged = false;  // stderr_to(io::merge()): what it writes to stderr is in the out sink

    mutable std::mutex mutex;    // exit_observed, elapsed, timed_out, callback_error_taken, signalled,
                                 // death_explained
    bool exit_observed = false;  // the status itself is the process's (proc.known())
    std::chrono::nanoseconds elapsed{};
    bool timed_out = false;
    bool callback_error_taken = false;
    bool signalled = false;  // liftoff sent it a signal (a stop, a kill, child::signal()): no post-mortem
    std::optional<std::vector<finding>> death_explained;  // explain_death(), once its streams are done
    std::mutex streams_mutex;                             // the drain is joined once, by whoever gets here first
    bool streams_done = false;

    void emit(trace_event e) const {
        if (!trace) return;
        e.program = program;
        e.path = path;
        e.pid = static_cast<std::int64_t>(proc.pid());
        trace(e);
    }

    /// The status, if the process has been reaped (by whichever thread: observed here too).
    std::optional<exit_status> known() { return observe(proc.known()); }

    /// Called with whatever a platform wait returned; the first status is timed and traced once
    /// (outside the lock: a trace callback may call back in).
    std::optional<exit_status> observe(std::optional<exit_status> s) {
        if (!s) return s;
        std::chrono::nanoseconds took{};
        {
            std::lock_guard<std::mutex> lock(mutex);
            if (exit_observed) return s;
            exit_observed = true;
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
        {
            std::lock_guard<std::mutex> lock(mutex);
            signalled = true;
        }
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
        if (auto s = known()) return s;
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

    /// What the handle's destructor does: the command's on_destroy. Never throws: a trace
    /// callback that throws here cannot be passed on, and must not leave the child running or
    /// unreaped, so the child is then ended untraced, at once (a released one is left be).
    void end_as_destroyed() noexcept {
        try {
            switch (policy) {
            case on_destroy::wait: wait_until_done(); break;
            case on_destroy::terminate:
                stop(grace);
                finish_streams();
                break;
            case on_destroy::kill:
                kill_now();
                finish_streams();
                break;
            case on_destroy::release:
                if (!known()) proc.release();
                break;
            }
        } catch (...) {
            try {
                trace = nullptr;
                if (policy != on_destroy::release) {
                    kill_now();
                    finish_streams();
                } else if (!known()) {
                    proc.release();
                }
            } catch (...) {
            }
        }
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

    /// What the drain has captured of `o` so far.
    std::string captured(output o) {
        auto& drain = proc.drain();
        std::lock_guard<std::mutex> lock(drain.lock());
        return drain.sink(o).data();
    }

    bool flag(output o, output_flag which) {
        auto& drain = proc.drain();
        std::lock_guard<std::mutex> lock(drain.lock());
        const auto& sink = drain.sink(o);
        return which == output_flag::truncated ? sink.truncated() : sink.cut();
    }

    /// Why it died, if it died early and badly and nobody here stopped it (post_mortem.hpp);
    /// empty while it runs. Reads the tail of a captured or drained stderr.
    /// Computed once its streams are finished (their tail can no longer change), then kept.
    /// "Early" counts to when liftoff first saw the exit (a wait, a poll, a stop).
    std::vector<finding> explain_death() {
        const auto status = known();
        std::chrono::nanoseconds took{};
        bool settled = false;
        {
            std::lock_guard<std::mutex> lock(mutex);
            if (death_explained) return *death_explained;
            if (!status || signalled || timed_out) return {};
            took = elapsed;
        }
        {
            std::lock_guard<std::mutex> lock(streams_mutex);
            settled = streams_done;
        }
        if (status->success() || took > early_death_window) return {};
        std::string tail;
        {
            auto& drain = proc.drain();
            std::lock_guard<std::mutex> lock(drain.lock());
            tail = drain.sink(err_merged ? output::out : output::err).tail(post_mortem_tail);
        }
        child_environment env;
        if (ld_library_path) {
            env.inherited = false;
            env.entries.push_back("LD_LIBRARY_PATH=" + *ld_library_path);
        }
        std::vector<finding> found = post_mortem<P>(*status, took, tail, path, env);
        if (settled) {
            std::lock_guard<std::mutex> lock(mutex);
            death_explained = found;
        }
        return found;
    }

    /// The first exception an io::lines callback threw, handed out once.
    std::exception_ptr take_callback_error() {
        std::lock_guard<std::mutex> lock(mutex);
        if (callback_error_taken) return nullptr;
        for (const output o : {output::out, output::err}) {
            if (auto e = proc.drain().sink(o).callback_error()) {
                callback_error_taken = true;
                return e;
            }
        }
        return nullptr;
    }
};

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
}  // namespace detail
}  // namespace v0
}  // namespace liftoff
