// liftoff/detail/child_signals.hpp: the portable half of child::signal()/interrupt()/suspend()/
// resume() (what is traced, how a refusal is worded) and of wait_any() (which child, in what
// order, and the children's own timeouts). The platform's process sends and waits.
// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "../error.hpp"
#include "../platform/signal_name.hpp"
#include "child_state.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

/// What the user asked to send.
enum class user_signal { number, interrupt, suspend, resume };

/// Sends it through the platform's process; a signal that went is traced as signal_sent (with
/// the platform's code for interrupt/suspend/resume), as the stop policy's are.
inline std::error_code send_user_signal(child_state& s, user_signal what, int sig) {
    using proc = child_state::P::process;
    std::error_code ec;
    int code = sig;
    switch (what) {
    case user_signal::number: ec = s.proc.signal(sig); break;
    case user_signal::interrupt:
        ec = s.proc.interrupt();
        code = proc::interrupt_code;
        break;
    case user_signal::suspend:
        ec = s.proc.suspend();
        code = proc::suspend_code;
        break;
    case user_signal::resume:
        ec = s.proc.resume();
        code = proc::resume_code;
        break;
    }
    if (!ec && (what == user_signal::number || what == user_signal::interrupt)) {
        std::lock_guard<std::mutex> lock(s.mutex);
        s.signalled = true;  // how it ends is the caller's doing: no post-mortem
    }
    if (!ec && s.trace) {
        trace_event e;
        e.kind = trace_kind::signal_sent;
        e.signal = code;
        s.emit(std::move(e));
    }
    return ec;
}

/// "SIGHUP", "signal 40", "interrupt()" ...: what the message says was to be sent.
inline std::string user_signal_words(user_signal what, int sig) {
    switch (what) {
    case user_signal::interrupt: return "interrupt()";
    case user_signal::suspend: return "suspend()";
    case user_signal::resume: return "resume()";
    case user_signal::number: break;
    }
    const char* name = signal_name(sig);
    return name != nullptr ? std::string(name) : "signal " + std::to_string(sig);
}

/// The exception the throwing forms raise for `ec`: a launch_error naming the program (`s` is
/// null for a handle without a child).
inline launch_error user_signal_error(const child_state* s, user_signal what, int sig, std::error_code ec) {
    failure f;
    f.code = ec;
    const std::string act = user_signal_words(what, sig);
    std::string remedy;
    if (s == nullptr) {
        f.what = "cannot send " + act + ": this handle has no child (default-constructed, moved from or released)";
    } else {
        f.program = s->program;
        f.path = s->path;
        f.what = "cannot send " + act + " to '" + s->program + "' (pid " + std::to_string(s->proc.pid()) + ")";
        if (ec == std::errc::no_such_process) {
            const auto st = s->proc.known();
            if (!st || *st == exit_status::reaped_elsewhere() || *st == exit_status::lost())
                f.what +=
                    ": it is gone, reaped by something other than liftoff, so its pid may name another process "
                    "now (which was sent nothing)";
            else
                f.what += ": it has ended and been waited for (" + st->to_string() + ")";
        } else if (ec == errc::invalid_argument) {
            f.what += ": " + std::to_string(sig) + " is not a signal number on this system";
        } else if (ec == errc::unsupported) {
            if (what == user_signal::interrupt) {
                f.what +=
                    ": CTRL_C_EVENT goes to a whole console process group, and without new_process_group() "
                    "the child shares this process's";
                remedy = "launch it with new_process_group()";
            } else if (what == user_signal::number) {
                f.what += ": Windows has no signals to send by number";
                remedy = "use interrupt(), suspend(), resume(), terminate() or kill()";
            } else {
                f.what += ": not supported on this system";
            }
        } else {
            f.what += ": " + ec.message();
        }
    }
    f.remedy = remedy;
    f.message = "liftoff: " + f.what + (remedy.empty() ? "" : "; " + remedy);
    return launch_error(std::move(f));
}

/// wait_any(): the first of `states` (in their order) that has exited, reaped and its streams
/// finished; nullopt once `deadline` has passed. A child whose own timeout() passes meanwhile is
/// stopped as wait() stops it (timed_out(), the grace) and counts as the one that ended.
inline std::optional<std::size_t> wait_any_of(const std::vector<child_state*>& states,
                                              std::chrono::steady_clock::time_point deadline) {
    using proc = child_state::P::process;
    std::vector<proc*> procs;
    procs.reserve(states.size());
    for (child_state* s : states)
        procs.push_back(&s->proc);
    for (;;) {
        auto until = deadline;
        for (std::size_t i = 0; i < states.size(); ++i) {
            child_state& s = *states[i];
            if (s.observe(s.proc.try_wait())) {
                s.finish_streams();
                return i;
            }
            if (s.deadline && *s.deadline < until) until = *s.deadline;
        }
        const auto now = std::chrono::steady_clock::now();
        for (std::size_t i = 0; i < states.size(); ++i) {
            child_state& s = *states[i];
            if (!s.deadline || now < *s.deadline) continue;
            {
                std::lock_guard<std::mutex> lock(s.mutex);
                s.timed_out = true;
            }
            s.stop(s.grace);
            s.finish_streams();
            return i;
        }
        if (now >= deadline) return std::nullopt;
        proc::await_any_exit(procs, until == (std::chrono::steady_clock::time_point::max)() ? nullptr : &until);
    }
}

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
