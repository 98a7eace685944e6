// liftoff/diagnose.hpp: diagnose() and preflight(): why launching (or opening) would fail here,
// explained before it happens. What they return is in report.hpp.
// SPDX-License-Identifier: MIT
#pragma once

#include "command.hpp"
#include "report.hpp"

namespace liftoff {
inline namespace v0 {

/// The session this process runs in: OS, user, session kind, sandbox, locale, PATH, openers and
/// what open_url() would do, environment (secrets redacted), and the findings that follow.
/// Never throws for what it finds; std::bad_alloc only.
report diagnose(const diagnose_options& options = {});

/// Why launching `cmd` would fail, without running it: the session as the child would see it
/// (its environment), the program's resolution and file, the cwd, and the argument size.
report preflight(const command& cmd, const diagnose_options& options = {});

}  // namespace v0
}  // namespace liftoff
