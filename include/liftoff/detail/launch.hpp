// liftoff/detail/launch.hpp: the portable half of starting a child: check the command, work out
// its environment, find the program, pick stream defaults, then hand over to the platform's
// spawn and describe whatever failed.
// SPDX-License-Identifier: MIT
#pragma once

#include <algorithm>
#include <chrono>
#include <exception>
#include <iterator>
#include <mutex>
#include <string>
#include <utility>

#include "../child.hpp"
#include "../command.hpp"
#include "../error.hpp"
#include "../launch.hpp"
#include "../platform/select.hpp"
#include "child_state.hpp"
#include "clock.hpp"
#include "failure.hpp"
#include "judge.hpp"
#include "launch_spec.hpp"
#include "prepare.hpp"
#include "search.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

/// Which streams a command leaves unset get: launch() inherits them, run() captures its output.
enum class stream_defaults { launch, run };

/// What a trace callback threw while launching, wrapped so that it is never mistaken for the
/// launch's own failure (the throwing overloads unwrap it and throw the original).
struct callback_thrown {
    std::exception_ptr error;
};

/// Calls the command's trace callback; what it throws comes out as callback_thrown.
inline void trace_launch(const command& cmd, const trace_event& e) {
    try {
        cmd.trace()(e);
    } catch (...) {
        throw callback_thrown{std::current_exception()};
    }
}

/// The way into a child handle for the launch and the openers.
struct child_access {
    static child make(child_state_ptr s) noexcept { return child(std::move(s)); }
    static child_state& state(child& c) noexcept { return *c.s_; }
};

/// A failed spawn in words. When the OS refused the file itself (exec's ENOENT, EACCES, ENOEXEC
/// ...: describe() gives such a failure the id of a file cause), the words, the remedy and the
/// id are those of the first error preflight() finds in that file (judge_program_file), so a
/// launch and `liftoff doctor -- PROGRAM` give one explanation: a #! line ending in "\r" is
/// named as such, not as a missing interpreter. The code stays what the OS said. Run only
/// after a failure: a launch that works pays nothing for it.
template <class P>
failure describe_spawn_failure(const command& cmd, const child_environment& env, const std::string& path,
                               const spawn_failure& sf) {
    failure f = P::describe(cmd, path, sf);
    static constexpr const char* file_causes[] = {
        causes::not_found.id,    causes::dangling_symlink.id,    causes::is_directory.id,       causes::not_executable,
        causes::noexec_mount.id, causes::interpreter_missing.id, causes::wrong_architecture.id, causes::exec_format.id};
    if (sf.stage != spawn_stage::exec || f.findings.empty() ||
        std::find(std::begin(file_causes), std::end(file_causes), f.findings.front()) == std::end(file_causes))
        return f;
    program_facts pf;
    std::vector<finding> found;
    judge_program_file<P>(path, env, pf, found);
    for (finding& x : found) {
        // A library the loader misses is not why exec failed (it fails after exec, with 127).
        if (x.severity != severity::error || x.id == causes::library_missing.id) continue;
        failure g = make_failure(errc_of(f), printable(cmd.program()), std::move(x.what), std::move(x.remedy), path,
                                 f.os_error);
        g.findings.push_back(std::move(x.id));
        return g;
    }
    return f;  // the file changed since, or the OS saw what the judging cannot: its own words
}

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
        return describe_spawn_failure<P>(
            cmd, env, path, spawn_failure{spawn_stage::exec, std::make_error_code(std::errc::permission_denied)});
    }
    std::string what = "not found in PATH (searched " +
                       (s.searched.empty() ? std::string("nothing")
                                           : printable(join(s.searched, std::string(1, P::path_list_separator)))) +
                       ")";
    what += name_hint<P>(prog, s.searched);
    if (!s.skipped.empty())
        what += "; skipped " + describe_skipped(s.skipped) + ": the current directory is never searched";
    if (!env.path) what += "; the child's environment has no PATH, so the system default was searched";
    failure f = make_failure(errc::program_not_found, printable(prog), what, "give a full path or install it");
    f.findings.emplace_back("not-in-path");  // preflight()'s id for the same cause
    return f;
}

/// Starts `cmd`; a failure goes to `f` (and the child is invalid). What a trace callback throws
/// comes out as callback_thrown. `caller_may_serve`: false where several children are waited for
/// together (a pipeline's stages), so the event loop serves every stream.
inline child launch_with(const command& cmd, stream_defaults defaults, failure& f, bool caller_may_serve = true) {
    using P = native_platform;
    using clock = std::chrono::steady_clock;
    const auto started = clock::now();
    std::string path;
    auto fail = [&](failure why) {
        f = std::move(why);
        if (cmd.trace()) {
            trace_event e;
            e.kind = trace_kind::spawn_failed;
            e.program = cmd.program();
            e.path = path;
            e.error = f.code;
            e.message = f.message;
            trace_launch(cmd, e);
        }
        return child{};
    };

    if (auto refused = P::refuse_unsupported(cmd)) return fail(std::move(refused));  // umask() where it cannot ...
    if (auto bad = validate<P>(cmd)) return fail(std::move(bad));
    if (defaults == stream_defaults::run) {  // an io::pipe() output: nobody could read it before run() returns
        const bool out = cmd.stdout_to() && cmd.stdout_to()->what() == io::kind::pipe;
        if (out || (cmd.stderr_to() && cmd.stderr_to()->what() == io::kind::pipe))
            return fail(
                make_failure(errc::invalid_argument, printable(cmd.program()),
                             std::string(out ? "stdout" : "stderr") + "_to(io::pipe()) in run(): nothing could read it",
                             "use launch() and read it with read_line()/read_some(), or give io::capture() "
                             "(nothing was run)"));
    }
    if (cmd.dies_with_parent() && !P::supports_kill_on_parent_exit)
        return fail(P::describe(cmd, path, spawn_failure{spawn_stage::unsupported, {}}));
    const child_environment env = make_environment<P>(cmd);
    if (auto missing = resolve_program<P>(cmd, env, path)) return fail(std::move(missing));
    if (cmd.trace()) {
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
                     cmd.stdin_from() ? *cmd.stdin_from() : io::source(run ? io::null() : io::inherit()),
                     cmd.stdout_to() ? *cmd.stdout_to() : (run ? io::capture() : io::sink(io::inherit())),
                     cmd.stderr_to() ? *cmd.stderr_to() : (run ? io::capture() : io::sink(io::inherit())),
                     run && caller_may_serve};

    child_state_ptr state(new child_state());
    if (auto sf = P::spawn(spec, state->proc)) return fail(describe_spawn_failure<P>(cmd, env, path, sf));

    // The child runs: from here on a handle owns it, so an exception (a copy that cannot
    // allocate, a trace callback that throws) kills and reaps it on the way out, whatever the
    // caller's on_destroy says: a launch that failed hands nobody a child to wait for or release.
    child_state& s = *state;
    child c = child_access::make(std::move(state));
    s.policy = on_destroy::kill;
    s.started = started;
    if (cmd.timeout()) s.deadline = deadline_after(started, *cmd.timeout());
    s.grace = cmd.timeout_grace();
    s.program = cmd.program();
    s.path = std::move(path);
    if (!env.inherited) s.ld_library_path = child_env_value<P>(env, "LD_LIBRARY_PATH");
    s.err_merged = spec.err.what() == io::kind::merge;
    s.trace = cmd.trace();
    if (s.trace) {
        trace_event e;
        e.kind = trace_kind::spawned;
        try {
            s.emit(std::move(e));
        } catch (...) {
            throw callback_thrown{std::current_exception()};  // `c` kills the child on the way out
        }
    }
    s.policy = cmd.on_destroy() ? *cmd.on_destroy() : on_destroy::terminate;
    return c;
}

/// Waits for `c` and gathers what run() returns.
inline result collect(child& c) {
    result r;
    r.status = c.wait();
    auto& s = child_access::state(c);
    {
        std::lock_guard<std::mutex> lock(s.mutex);
        r.timed_out = s.timed_out;
        r.elapsed = s.elapsed;
    }
    r.findings = s.explain_death();
    r.explanation = post_mortem_text(s.program, r.findings);
    auto& drain = s.proc.drain();
    std::lock_guard<std::mutex> lock(drain.lock());
    output_sink& out = drain.sink(output::out);
    output_sink& err = drain.sink(output::err);
    r.out = std::move(out.data());
    r.err = std::move(err.data());
    r.out_truncated = out.truncated();
    r.err_truncated = err.truncated();
    r.out_cut = out.cut();
    r.err_cut = err.cut();
    return r;
}
}  // namespace detail
}  // namespace v0
}  // namespace liftoff
