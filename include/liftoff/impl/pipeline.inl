// liftoff/impl/pipeline.inl: pipeline_child, and launch() and run() for a pipeline (declared in
// pipeline.hpp).
// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <exception>
#include <system_error>

#include "../detail/config.hpp"
#include "../detail/failure.hpp"
#include "../detail/pipeline.hpp"
#include "../pipeline.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

/// launch_pipeline() for the overloads that do not throw, as launch_reporting() is for one child.
inline pipeline_child launch_pipeline_reporting(const pipeline& p, stream_defaults defaults, failure& f,
                                                std::exception_ptr* callback_error) noexcept {
    f = {};
    try {
        return launch_pipeline(p, defaults, f);
    } catch (const callback_thrown& t) {
        if (callback_error != nullptr) *callback_error = t.error;
        try {
            f = make_failure(errc::callback_failed, "", "a trace callback of a pipeline stage threw an exception",
                             "catch exceptions in the callback, or use the overload that throws");
        } catch (...) {
            out_of_memory(f);
        }
    } catch (...) {
        out_of_memory(f);  // the library's own exceptions are the standard library's for memory
    }
    return {};
}

/// launch_pipeline(), with what a trace callback threw passed on as the original exception.
inline pipeline_child launch_pipeline_throwing(const pipeline& p, stream_defaults defaults) {
    failure f;
    pipeline_child pc;
    try {
        pc = launch_pipeline(p, defaults, f);
    } catch (const callback_thrown& t) {
        std::rethrow_exception(t.error);
    }
    if (f) raise(f);
    return pc;
}

}  // namespace detail

LIFTOFF_API pipeline_child& pipeline_child::operator=(pipeline_child&& other) noexcept {
    if (this != &other) {
        pipeline_child gone(std::move(*this));  // its destructor applies on_destroy
        stages_ = std::move(other.stages_);
        other.stages_.clear();
    }
    return *this;
}

LIFTOFF_API pipeline_child::~pipeline_child() {
    // The stages that terminate are stopped together (one grace, not one per stage); then each
    // child's destructor does the rest: wait, kill, release, or finish the streams of a stopped one.
    std::vector<bool> terminating;
    bool any = false;
    for (auto& c : stages_) {
        const bool t = c.valid() && detail::child_access::state(c).policy == on_destroy::terminate;
        terminating.push_back(t);
        any = any || t;
    }
    if (any) {
        try {
            detail::stop_stages(stages_, std::nullopt, terminating);
        } catch (...) {  // a trace callback that throws: each child's destructor still ends it
        }
    }
    stages_.clear();
}

LIFTOFF_API std::vector<exit_status> pipeline_child::wait() {
    return detail::wait_stages(stages_);
}

LIFTOFF_API std::vector<exit_status> pipeline_child::terminate(std::chrono::nanoseconds grace) {
    detail::stop_stages(stages_, grace);
    std::vector<exit_status> out;
    out.reserve(stages_.size());
    for (auto& c : stages_)
        out.push_back(c.terminate(grace));  // reaped above: the status at once, the streams finished
    return out;
}

LIFTOFF_API std::vector<exit_status> pipeline_child::kill() {
    return detail::kill_stages(stages_);
}

LIFTOFF_API pipeline_child launch(const pipeline& p) {
    return detail::launch_pipeline_throwing(p, detail::stream_defaults::launch);
}

LIFTOFF_API pipeline_child launch(const pipeline& p, failure& f) noexcept {
    return detail::launch_pipeline_reporting(p, detail::stream_defaults::launch, f, nullptr);
}

LIFTOFF_API pipeline_child launch(const pipeline& p, std::error_code& ec) noexcept {
    failure f;
    pipeline_child pc = launch(p, f);
    ec = f.code;
    return pc;
}

LIFTOFF_API pipeline_result run(const pipeline& p) {
    const auto started = std::chrono::steady_clock::now();
    pipeline_child pc = detail::launch_pipeline_throwing(p, detail::stream_defaults::run);
    return detail::collect_pipeline(pc, started);
}

LIFTOFF_API pipeline_result run(const pipeline& p, failure& f) {
    const auto started = std::chrono::steady_clock::now();
    std::exception_ptr callback_error;
    pipeline_child pc = detail::launch_pipeline_reporting(p, detail::stream_defaults::run, f, &callback_error);
    if (callback_error) std::rethrow_exception(callback_error);
    if (f) return {};
    return detail::collect_pipeline(pc, started);
}

LIFTOFF_API pipeline_result run(const pipeline& p, std::error_code& ec) {
    failure f;
    pipeline_result r = run(p, f);
    ec = f.code;
    return r;
}

}  // namespace v0
}  // namespace liftoff
