// liftoff/launch.hpp: launch() and run(), the portable half of starting a child: check the
// command, work out its environment, find the program, pick stream defaults, then hand over to
// the platform's spawn and describe whatever failed.
// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <exception>  // callback exceptions passed on
#include <memory>
#include <mutex>
#include <new>  // std::bad_alloc
#include <string>
#include <system_error>
#include <utility>

#include "child.hpp"
#include "command.hpp"
#include "detail/config.hpp"
#include "error.hpp"
#include "exit_status.hpp"
#include "report.hpp"
#include "search.hpp"
#if LIFTOFF_DETAIL_DEFINITIONS
#include "detail/clock.hpp"
#include "detail/launch_spec.hpp"
#include "detail/prepare.hpp"
#endif

namespace liftoff {
inline namespace v0 {

/// What run() returns. A non-zero exit or a timeout is a result, not an error.
struct result {
    exit_status status;
    std::string out, err;  ///< captured text ("" where not captured)
    bool out_truncated = false, err_truncated = false;
    bool out_cut = false, err_cut = false;  ///< a grandchild held the pipe; draining stopped
    bool timed_out = false;                 ///< the timeout fired and the child was terminated
    std::chrono::nanoseconds elapsed{};
    bool ok() const noexcept { return status.success() && !timed_out; }
};

namespace detail {

enum class stream_defaults { launch, run };

/// Starts `cmd`; a failure goes to `ec` (and the child is invalid). An exception from a trace
/// callback is errc::callback_failed, and kept in `*callback_error` when it is given.
template <class P>
[[nodiscard]] basic_child<P> launch_or_report(const command& cmd, stream_defaults defaults, std::error_code& ec,
                                              std::exception_ptr* callback_error = nullptr) noexcept;
/// Waits for `c` and gathers what run() returns.
template <class P>
result collect(basic_child<P>& c);

#if LIFTOFF_DETAIL_DEFINITIONS
/// What a trace callback threw while launching, wrapped so that it is never mistaken for the
/// launch's own failure (the throwing overloads unwrap it and throw the original).
struct callback_thrown {
    std::exception_ptr error;
};

/// Calls the command's trace callback; what it throws comes out as callback_thrown.
inline void trace_launch(const command& cmd, const trace_event& e) {
    try {
        cmd.tracer()(e);
    } catch (...) {
        throw callback_thrown{std::current_exception()};
    }
}

struct child_access {
    template <class P>
    static basic_child<P> make(child_state_ptr<P> s) noexcept {
        return basic_child<P>(std::move(s));
    }
    template <class P>
    static child_state<P>& state(basic_child<P>& c) noexcept {
        return *c.s_;
    }
};

/// Where the program is: a path made absolute, or the first runnable match in the child's PATH.
template <class P>
failure resolve_program(const command& cmd, const child_environment& env, std::string& path) {
    const std::string& prog = cmd.program();
    if (P::has_directory_part(prog)) {
        path = P::make_absolute(prog);
        return {};
    }
    const std::string list = env.path ? *env.path : P::default_path();
    path_search s = search_path_list<P>(prog, list, env.pathext);
    if (!s.found.empty()) {
        path = std::move(s.found);
        return {};
    }
    if (!s.not_runnable.empty()) {
        // Found, but not runnable: say why exactly as exec would have.
        path = s.not_runnable;
        return P::describe(cmd, path,
                           spawn_failure{spawn_stage::exec, std::make_error_code(std::errc::permission_denied)});
    }
    std::string what =
        "not found in PATH (searched " +
        (s.searched.empty() ? std::string("nothing") : join(s.searched, std::string(1, P::path_list_separator))) + ")";
    if (!s.skipped.empty())
        what += "; skipped " + describe_skipped(s.skipped) + ": the current directory is never searched";
    if (!env.path) what += "; the child's environment has no PATH, so the system default was searched";
    return make_failure(errc::program_not_found, printable(prog), what, "give a full path or install it");
}

template <class P>
basic_child<P> launch_with(const command& cmd, stream_defaults defaults, failure& f) {
    using clock = std::chrono::steady_clock;
    const auto started = clock::now();
    std::string path;
    auto fail = [&](failure why) {
        f = std::move(why);
        explain_failure<P>(cmd, f);
        if (cmd.tracer()) {
            trace_event e;
            e.kind = trace_kind::spawn_failed;
            e.program = cmd.program();
            e.path = path;
            e.error = make_error_code(f.code);
            e.message = f.message;
            trace_launch(cmd, e);
        }
        return basic_child<P>{};
    };

    if (auto bad = validate<P>(cmd)) return fail(std::move(bad));
    if (cmd.dies_with_parent() && !P::supports_kill_on_parent_exit)
        return fail(P::describe(cmd, path, spawn_failure{spawn_stage::unsupported, {}}));
    const child_environment env = make_environment<P>(cmd);
    if (auto missing = resolve_program<P>(cmd, env, path)) return fail(std::move(missing));
    if (cmd.tracer()) {
        trace_event e;
        e.kind = trace_kind::resolved;
        e.program = cmd.program();
        e.path = path;
        trace_launch(cmd, e);
    }

    const bool run = defaults == stream_defaults::run;
    launch_spec spec{cmd,
                     path,
                     env,
                     cmd.stdin_spec() ? *cmd.stdin_spec() : io::source(run ? io::null() : io::inherit()),
                     cmd.stdout_spec() ? *cmd.stdout_spec() : (run ? io::capture() : io::sink(io::inherit())),
                     cmd.stderr_spec() ? *cmd.stderr_spec() : (run ? io::capture() : io::sink(io::inherit()))};

    child_state_ptr<P> state(new child_state<P>());
    if (auto sf = P::spawn(spec, state->proc)) return fail(P::describe(cmd, path, sf));

    // The child runs: from here on a handle owns it, so an exception (a copy that cannot
    // allocate, a trace callback that throws) kills and reaps it on the way out, whatever the
    // caller's on_destroy says: a launch that failed hands nobody a child to wait for or release.
    child_state<P>& s = *state;
    basic_child<P> c = child_access::make(std::move(state));
    s.policy = on_destroy::kill;
    s.started = started;
    if (cmd.timeout_limit()) s.deadline = deadline_after(started, *cmd.timeout_limit());
    s.grace = cmd.timeout_grace();
    s.program = cmd.program();
    s.path = std::move(path);
    s.trace = cmd.tracer();
    if (s.trace) {
        trace_event e;
        e.kind = trace_kind::spawned;
        try {
            s.emit(std::move(e));
        } catch (...) {
            throw callback_thrown{std::current_exception()};  // `c` kills the child on the way out
        }
    }
    s.policy = cmd.destroy_policy() ? *cmd.destroy_policy() : on_destroy::terminate;
    return c;
}

template <class P>
basic_child<P> launch_or_report(const command& cmd, stream_defaults defaults, std::error_code& ec,
                                std::exception_ptr* callback_error) noexcept {
    ec.clear();
    try {
        failure f;
        auto c = launch_with<P>(cmd, defaults, f);
        if (f) ec = make_error_code(f.code);
        return c;
    } catch (const callback_thrown& t) {
        ec = make_error_code(errc::callback_failed);
        if (callback_error != nullptr) *callback_error = t.error;
    } catch (const std::bad_alloc&) {
        ec = make_error_code(errc::resource_exhausted);
    } catch (...) {
        // Callbacks are wrapped above: what is left is the library's own work, whose only
        // exceptions are the standard library's for memory (std::bad_alloc, std::length_error).
        ec = make_error_code(errc::resource_exhausted);
    }
    return {};
}

/// launch_with(), with what a trace callback threw passed on as the original exception.
template <class P>
basic_child<P> launch_or_throw(const command& cmd, stream_defaults defaults) {
    failure f;
    basic_child<P> c;
    try {
        c = launch_with<P>(cmd, defaults, f);
    } catch (const callback_thrown& t) {
        std::rethrow_exception(t.error);
    }
    if (f) f.raise();
    return c;
}

template <class P>
result collect(basic_child<P>& c) {
    result r;
    r.status = c.wait();
    auto& s = child_access::state(c);
    {
        std::lock_guard<std::mutex> lock(s.mutex);
        r.timed_out = s.timed_out;
        r.elapsed = s.elapsed;
    }
    auto& drain = s.proc.drain();
    std::lock_guard<std::mutex> lock(drain.lock());
    r.out = std::move(drain.sink(1).data());
    r.err = std::move(drain.sink(2).data());
    r.out_truncated = drain.sink(1).truncated();
    r.err_truncated = drain.sink(2).truncated();
    r.out_cut = drain.sink(1).cut();
    r.err_cut = drain.sink(2).cut();
    return r;
}
#endif  // LIFTOFF_DETAIL_DEFINITIONS

}  // namespace detail

/// Starts `cmd` on platform P (the native one unless a test says otherwise).
/// Throws launch_error naming the program, the path tried and a remedy.
template <class P>
[[nodiscard]] basic_child<P> basic_launch(const command& cmd);
/// run() on platform P.
template <class P>
result basic_run(const command& cmd);

#if LIFTOFF_DETAIL_DEFINITIONS
template <class P>
basic_child<P> basic_launch(const command& cmd) {
    return detail::launch_or_throw<P>(cmd, detail::stream_defaults::launch);
}

template <class P>
result basic_run(const command& cmd) {
    auto c = detail::launch_or_throw<P>(cmd, detail::stream_defaults::run);
    return detail::collect(c);
}
#endif  // LIFTOFF_DETAIL_DEFINITIONS

/// Starts `cmd`; its streams are inherited unless redirected; on_destroy defaults to terminate
/// (so a result thrown away ends the child at once: hence [[nodiscard]]).
/// Throws launch_error (code() is a liftoff::errc) when it cannot start; passes on what a trace
/// callback throws.
[[nodiscard]] inline child launch(const command& cmd) {
    return basic_launch<native_platform>(cmd);
}

/// As launch(cmd), reporting failure in `ec` (a liftoff::errc) and returning an invalid child.
/// A trace callback that throws gives errc::callback_failed.
[[nodiscard]] inline child launch(const command& cmd, std::error_code& ec) noexcept {
    return detail::launch_or_report<native_platform>(cmd, detail::stream_defaults::launch, ec);
}

/// Starts `cmd` with stdout and stderr captured (unless redirected) and stdin from the null
/// device (unless redirected), waits for it honouring its timeout, and returns what happened.
/// Throws launch_error when it cannot start; rethrows an exception from an io::lines callback.
inline result run(const command& cmd) {
    return basic_run<native_platform>(cmd);
}

/// As run(cmd), reporting a failure to start in `ec` (the result is then empty). What a trace
/// or io::lines callback throws is rethrown, as run(cmd) does.
inline result run(const command& cmd, std::error_code& ec) {
    std::exception_ptr callback_error;
    auto c = detail::launch_or_report<native_platform>(cmd, detail::stream_defaults::run, ec, &callback_error);
    if (callback_error) std::rethrow_exception(callback_error);
    if (ec) return {};
    return detail::collect(c);
}

}  // namespace v0
}  // namespace liftoff
