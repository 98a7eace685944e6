// liftoff/detail/explain.hpp: the session findings behind an opener's failure, and their
// remedy, added to its message. (A launch failure names its finding where it is described.)
// SPDX-License-Identifier: MIT
#pragma once

#include <string>

#include "../error.hpp"
#include "../report.hpp"
#include "judge.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

/// True when `message` already gives `remedy`, or at least its first clause (a failure's own
/// remedy may be shorter than a finding's: "run it from a desktop session").
inline bool mentions_remedy(const std::string& message, const std::string& remedy) {
    if (message.find(remedy) != std::string::npos) return true;
    const auto cut = remedy.find_first_of(",;(");
    return cut != std::string::npos && cut > 8 && message.find(remedy.substr(0, cut)) != std::string::npos;
}

/// Gives an opener failure the ids of the session findings that explain it (no-display for
/// no_graphical_session, no-opener for no_opener ...), and their remedy.
template <class P>
void explain_open_failure(failure& f) {
    const char* id = f.code == errc::no_graphical_session ? "no-display"
                     : f.code == errc::no_opener          ? "no-opener"
                     : f.code == errc::no_handler         ? "sandbox"
                                                          : nullptr;
    if (id == nullptr) return;
    const report r = diagnose_session<P>(diagnose_options{});
    for (const auto& x : r.findings) {
        if (x.id != id && !(f.code == errc::no_graphical_session && x.id == "ssh-session")) continue;
        f.findings.push_back(x.id);
        if (f.findings.size() == 1 && !mentions_remedy(f.message, x.remedy)) f.message += " (" + x.remedy + ")";
    }
}

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
