// liftoff/platform/windows/opener.hpp: how open_url() and friends open things on Windows. The
// route asks the OS directly (ShellExecuteExW), so it has no programs to run.
// SPDX-License-Identifier: MIT
#pragma once

#include <string>

#include "../../child.hpp"
#include "../../error.hpp"
#include "../../exit_status.hpp"
#include "../../open_options.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

struct windows_shell_opener {
    template <class P>
    static failure route(const open_request& req, const open_options&, open_route& out) {
        out.opener = "ShellExecuteExW";
        const char* verb = req.kind == open_kind::reveal ? "explore" : "open";
        out.description = std::string("ShellExecuteExW(") + verb + ", '" +
                          (req.kind == open_kind::with ? req.app : req.target) + "')";
        return {};
    }

    static failure judge(const open_step&, const open_request&, const exit_status&, const std::string&) { return {}; }

    template <class P>
    static basic_child<P> execute(const open_request& req, const open_route&, const open_options&, failure& f) {
        f = make_open_failure(errc::unsupported, req.shown, "opening through ShellExecuteExW is not built yet",
                              "launch the application with liftoff::launch() meanwhile");
        return {};
    }
};

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
