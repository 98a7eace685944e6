// liftoff/impl/diagnose.inl: diagnose() and preflight() (declared in diagnose.hpp).
// SPDX-License-Identifier: MIT
#pragma once

#include "../detail/config.hpp"
#include "../detail/judge.hpp"
#include "../detail/judge_openers.hpp"
#include "../diagnose.hpp"

namespace liftoff {
inline namespace v0 {

LIFTOFF_API report diagnose(const diagnose_options& options) {
    using P = detail::native_platform;
    report r = detail::diagnose_session<P>(options);
    detail::judge_openers<P>(r);
    detail::judge_names<P>(r);
    return r;
}

LIFTOFF_API report preflight(const command& cmd, const diagnose_options& options) {
    using P = detail::native_platform;
    const auto env = detail::make_environment<P>(cmd);
    diagnose_options child = options;
    // A command that cannot run (a '=' in a variable's name ...) has no environment to show:
    // its invalid-argument finding says why, and the session is judged as this process has it.
    const bool runnable = !detail::validate<P>(cmd);
    if (!child.environment) child.environment = env.inherited || !runnable ? P::current_environment() : env.entries;
    report r = detail::diagnose_session<P>(child);
    detail::judge_openers<P>(r);
    detail::judge_program<P>(cmd, env, r);
    detail::judge_names<P>(r);  // issue 15: after the program's names are known
    return r;
}
}  // namespace v0
}  // namespace liftoff
