// liftoff/diagnose.hpp: diagnose() and preflight(): why launching (or opening) would fail here,
// explained before it happens. The report and its judgement are in report.hpp; this adds what
// the openers would do now.
// SPDX-License-Identifier: MIT
#pragma once

#include <string>

#include "command.hpp"
#include "detail/config.hpp"
#include "error.hpp"
#include "open.hpp"
#include "platform/select.hpp"
#include "report.hpp"

namespace liftoff {
inline namespace v0 {

/// diagnose() and preflight() on platform P.
template <class P>
report basic_diagnose(const diagnose_options& options = {});
template <class P>
report basic_preflight(const command& cmd, const diagnose_options& options = {});

#if LIFTOFF_DETAIL_DEFINITIONS
namespace detail {

/// Fills in how open_url() would go now, and what stops it.
template <class P>
void judge_openers(report& r) {
    failure f;
    const std::string url = "https://example.com/";
    const open_options opts;
    const open_plan plan = plan_or_fail<P>(url_request<P>(url, opts), opts, f, false);
    if (!f) {
        r.open_url_plan = plan.description;
        return;
    }
    r.open_url_plan = "fails: " + f.message;
    if (f.code == errc::no_opener)
        add_finding(r.findings, "no-opener", severity::warning, "open_url() has no opener program to run: " + f.what,
                    f.remedy);
    else if (f.code != errc::no_graphical_session)  // that is no-display's finding already
        add_finding(r.findings, "opener-unavailable", severity::warning, "open_url() would fail: " + f.what, f.remedy);
}

}  // namespace detail

/// The session this process runs in, on platform P: OS, user, session kind, sandbox, locale,
/// PATH, openers and what open_url() would do, environment (secrets redacted), and the findings
/// that follow. Never throws for what it finds; std::bad_alloc only.
template <class P>
report basic_diagnose(const diagnose_options& options) {
    report r = detail::diagnose_session<P>(options);
    detail::judge_openers<P>(r);
    return r;
}

/// Why launching `cmd` would fail, without running it: the session as the child would see it
/// (its environment), the program's resolution and file, the cwd, and the argument size.
template <class P>
report basic_preflight(const command& cmd, const diagnose_options& options) {
    const auto env = detail::make_environment<P>(cmd);
    diagnose_options child = options;
    // A command that cannot run (a '=' in a variable's name ...) has no environment to show:
    // its invalid-argument finding says why, and the session is judged as this process has it.
    const bool runnable = !detail::validate<P>(cmd);
    if (!child.environment) child.environment = env.inherited || !runnable ? P::current_environment() : env.entries;
    report r = detail::diagnose_session<P>(child);
    detail::judge_openers<P>(r);
    detail::judge_program<P>(cmd, env, r);
    return r;
}
#endif  // LIFTOFF_DETAIL_DEFINITIONS

/// diagnose() on this platform.
inline report diagnose() {
    return basic_diagnose<native_platform>();
}
inline report diagnose(const diagnose_options& options) {
    return basic_diagnose<native_platform>(options);
}
/// preflight() on this platform.
inline report preflight(const command& cmd) {
    return basic_preflight<native_platform>(cmd);
}
inline report preflight(const command& cmd, const diagnose_options& options) {
    return basic_preflight<native_platform>(cmd, options);
}

}  // namespace v0
}  // namespace liftoff
