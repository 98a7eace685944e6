// liftoff/launch.hpp: launch() and run(), and the result run() returns.
// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <string>
#include <system_error>
#include <vector>

#include "child.hpp"
#include "command.hpp"
#include "error.hpp"
#include "exit_status.hpp"
#include "report.hpp"

namespace liftoff {
inline namespace v0 {

/// What run() returns. A non-zero exit or a timeout is a result, not an error.
struct result {
    exit_status status;                                 ///< how the child ended
    std::string out, err;                               ///< captured text ("" where not captured)
    bool out_truncated = false, err_truncated = false;  ///< more than the capture limit arrived
    bool out_cut = false, err_cut = false;              ///< a grandchild held the pipe; draining stopped
    bool timed_out = false;                             ///< the timeout fired and the child was terminated
    std::chrono::nanoseconds elapsed{};                 ///< from the launch until the child's end was seen
    /// Why it died, when it ended badly within 3 s of its start and no timeout stopped it: a
    /// signature in its stderr (a missing shared library, no display, Chromium's sandbox ...),
    /// its signal, or what preflight() finds in its file now. Empty otherwise.
    std::vector<finding> findings;
    /// The first of `findings` as a launch_error words it: "liftoff: 'PROG' exited with code 127
    /// 4 ms after it started: ...; REMEDY". Empty when `findings` is.
    std::string explanation;
    /// Exited with code 0 and did not time out.
    bool ok() const noexcept { return status.success() && !timed_out; }
};

/// Starts `cmd`; its streams are inherited unless redirected; on_destroy defaults to terminate
/// (so a result thrown away ends the child at once: hence [[nodiscard]]).
/// Throws launch_error (code() is a liftoff::errc) when it cannot start; passes on what a trace
/// callback throws.
[[nodiscard]] child launch(const command& cmd);

/// As launch(cmd), reporting failure in `ec` (a liftoff::errc) and returning an invalid child.
/// A trace callback that throws gives errc::callback_failed.
[[nodiscard]] child launch(const command& cmd, std::error_code& ec) noexcept;

/// As launch(cmd), reporting failure in `f`, whose message is launch_error's what(), and
/// returning an invalid child. A trace callback that throws gives errc::callback_failed.
[[nodiscard]] child launch(const command& cmd, failure& f) noexcept;

/// Starts `cmd` with stdout and stderr captured (unless redirected) and stdin from the null
/// device (unless redirected), waits for it honouring its timeout, and returns what happened.
/// Throws launch_error when it cannot start; rethrows an exception from an io::lines callback.
result run(const command& cmd);

/// As run(cmd), reporting a failure to start in `ec` (the result is then empty). What a trace
/// or io::lines callback throws is rethrown, as run(cmd) does.
result run(const command& cmd, std::error_code& ec);

/// As run(cmd, ec), reporting a failure to start in `f`.
result run(const command& cmd, failure& f);

}  // namespace v0
}  // namespace liftoff
