// liftoff/detail/pipeline.hpp: the portable half of a pipeline: check the stages, make the pipes
// between them (the platform's make_stage_pipe), launch each stage with its pipe ends as
// io::fd()/io::handle() streams, and stop or wait for the stages together.
// SPDX-License-Identifier: MIT
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "../child.hpp"
#include "../command.hpp"
#include "../error.hpp"
#include "../pipeline.hpp"
#include "../platform/select.hpp"
#include "child_state.hpp"
#include "failure.hpp"
#include "launch.hpp"
#include "text.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

/// The way into a pipeline handle for the launch.
struct pipeline_access {
    static pipeline_child make(std::vector<child> stages) noexcept {
        pipeline_child p;
        p.stages_ = std::move(stages);
        return p;
    }
};

/// "stage 2 of 3 of the pipeline" for stage index 1 of 3.
inline std::string stage_name(std::size_t i, std::size_t n) {
    return "stage " + std::to_string(i + 1) + " of " + std::to_string(n) + " of the pipeline";
}

/// `f` with the stage named in its message: "liftoff: cannot launch 'grep' (stage 2 of 3 of
/// the pipeline): ...".
inline failure name_stage(failure f, std::size_t i, std::size_t n) {
    f.message = "liftoff: cannot launch '" + f.program + "' (" + stage_name(i, n) + "): " + f.what;
    if (!f.remedy.empty()) f.message += "; " + f.remedy;
    return f;
}

/// A redirection a pipe replaces, refused before anything runs.
inline failure check_pipeline(const pipeline& p) {
    const auto& stages = p.stages();
    const std::size_t n = stages.size();
    if (n == 0)
        return make_failure(errc::invalid_argument, "", "the pipeline has no stages",
                            "build one with command | command (nothing was run)");
    for (std::size_t i = 0; i < n; ++i) {
        const command& c = stages[i];
        const char* setter = nullptr;
        const char* fed = nullptr;
        if (i + 1 < n && c.stdout_to()) {
            setter = "stdout_to()";
            fed = "its stdout feeds the next stage";
        } else if (i > 0 && c.stdin_from()) {
            setter = "stdin_from()";
            fed = "its stdin is fed by the stage before";
        }
        if (setter == nullptr) continue;
        return name_stage(
            make_failure(errc::invalid_argument, printable(c.program()), std::string(setter) + " is set, but " + fed,
                         "redirect only the first stage's stdin and the last stage's stdout "
                         "(nothing was run)"),
            i, n);
    }
    return {};
}

/// Kills and reaps every stage at once: the kill goes to all before any is waited for.
inline std::vector<exit_status> kill_stages(std::vector<child>& stages) {
    using P = native_platform;
    for (auto& c : stages) {
        if (!c.valid()) continue;
        child_state& s = child_access::state(c);
        if (inherited_through_fork(s.proc, 0)) continue;
        if (!s.known()) s.signal(P::process::kill_signal);
    }
    std::vector<exit_status> out;
    out.reserve(stages.size());
    for (auto& c : stages)
        out.push_back(c.kill());  // reaps; at once for a stage already ended
    return out;
}

/// Stops the stages `which` says (all when empty): the polite signal to each at once, then each
/// still running after its grace (`grace`, else its command's) is killed; all are reaped.
inline void stop_stages(std::vector<child>& stages, std::optional<std::chrono::nanoseconds> grace,
                        const std::vector<bool>& which = {}) {
    using P = native_platform;
    using clock = std::chrono::steady_clock;
    std::vector<child_state*> sent;
    for (std::size_t i = 0; i < stages.size(); ++i) {
        child& c = stages[i];
        if (!c.valid() || (!which.empty() && !which[i])) continue;
        child_state& s = child_access::state(c);
        if (inherited_through_fork(s.proc, 0) || s.if_exited()) continue;
        s.signal(P::process::polite_signal);
        sent.push_back(&s);
    }
    const auto start = clock::now();
    for (child_state* s : sent) {
        const auto until = start + (grace ? *grace : s->grace);
        const auto now = clock::now();
        const std::chrono::nanoseconds left = until > now ? until - now : std::chrono::nanoseconds::zero();
        if (s->proc.exited_unreaped(left))
            s->proc.kill_rest_of_group();
        else
            s->signal(P::process::kill_signal);
        s->observe(s->proc.wait());
    }
}

/// Starts the stages of `p`; a failure goes to `f` (and the handle is invalid), after the stages
/// already running have been killed and reaped. What a trace callback throws comes out as
/// callback_thrown, also after that.
inline pipeline_child launch_pipeline(const pipeline& p, stream_defaults defaults, failure& f) {
    using P = native_platform;
    if (auto bad = check_pipeline(p)) {
        f = std::move(bad);
        return {};
    }
    const auto& cmds = p.stages();
    const std::size_t n = cmds.size();
    std::vector<child> stages;
    stages.reserve(n);
    // Whatever leaves early (a failure, an exception) kills and reaps the stages already running.
    struct stop_on_exit {
        std::vector<child>* stages;
        ~stop_on_exit() {
            if (stages == nullptr) return;
            try {
                kill_stages(*stages);
            } catch (...) {  // an exception from a trace callback: the children still die below
            }
            stages->clear();
        }
    } guard{&stages};

    typename P::stage_end feed;  // the read end of the pipe from the stage before
    for (std::size_t i = 0; i < n; ++i) {
        command cmd = cmds[i];
        typename P::stage_end next_read, next_write;
        if (i + 1 < n) {
            if (const spawn_failure sf = P::make_stage_pipe(next_read, next_write)) {
                f = name_stage(P::describe(cmd, std::string(), sf), i, n);
                return {};
            }
            cmd.stdout_to(P::stage_stream(next_write));
            if (!cmd.stderr_to()) cmd.stderr_to(io::inherit());  // only the last stage's is run()'s to capture
        }
        if (i > 0) cmd.stdin_from(P::stage_stream(feed));
        // Every stage's streams are served by the event loop: the stages are waited for together.
        child c = launch_with(cmd, defaults, f, false);
        if (f) {
            f = name_stage(std::move(f), i, n);
            return {};
        }
        stages.push_back(std::move(c));
        // This process's copies of the ends the stage now holds: a write end kept open here
        // would keep the next stage from ever seeing the end of its input.
        feed = std::move(next_read);
        next_write.reset();
    }
    guard.stages = nullptr;
    return pipeline_access::make(std::move(stages));
}

/// Waits for every stage together (each stage's timeout honoured while the others are waited
/// for), then returns their statuses in order.
inline std::vector<exit_status> wait_stages(std::vector<child>& stages) {
    if (!stages.empty()) stages.front().close_stdin();  // as child::wait(): an io::pipe() stdin ends
    std::vector<child*> left;
    for (auto& c : stages)
        if (c.valid()) left.push_back(&c);
    while (!left.empty()) {
        const auto i = wait_any(left);
        if (!i) continue;  // no timeout was given: never
        left.erase(left.begin() + static_cast<std::ptrdiff_t>(*i));
    }
    std::vector<exit_status> out;
    out.reserve(stages.size());
    for (auto& c : stages)
        out.push_back(c.wait());  // at once; rethrows what an io::lines callback threw
    return out;
}

/// Waits for every stage and gathers what run() returns.
inline pipeline_result collect_pipeline(pipeline_child& pc, std::chrono::steady_clock::time_point started) {
    pipeline_result r;
    auto& stages = pc.stages();
    r.statuses = wait_stages(stages);
    r.elapsed = std::chrono::steady_clock::now() - started;
    for (auto& c : stages)
        r.timed_out = r.timed_out || c.timed_out();
    result last = collect(stages.back());
    r.out = std::move(last.out);
    r.err = std::move(last.err);
    r.out_truncated = last.out_truncated;
    r.err_truncated = last.err_truncated;
    r.out_cut = last.out_cut;
    r.err_cut = last.err_cut;
    return r;
}

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
