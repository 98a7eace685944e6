// liftoff/detail/judge_openers.hpp: the rule of diagnose() about open_url(): what it would run
// now, and what stops it.
// SPDX-License-Identifier: MIT
#pragma once

#include <string>

#include "../open_options.hpp"
#include "../report.hpp"
#include "judge.hpp"
#include "open.hpp"

namespace liftoff {
inline namespace v0 {
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
}  // namespace v0
}  // namespace liftoff
