// liftoff/platform/windows/opener.hpp: how open_url() and friends open things on Windows. The
// route is one ShellExecuteExW call (the URL, the path, the application found through App Paths
// or PATH with its arguments quoted, or explorer.exe /select,"PATH"), so it has no programs to
// run; execute() makes the call through P and owns the process it gives back, if any. Portable
// code: the OS is reached only through P (platform/windows/shell.hpp on Windows).
// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "../../child.hpp"
#include "../../detail/windows_command_line.hpp"
#include "../../detail/windows_env.hpp"
#include "../../detail/windows_shell.hpp"
#include "../../error.hpp"
#include "../../exit_status.hpp"
#include "../../launch.hpp"
#include "../../detail/launch.hpp"  // child_access, child_state
#include "../../detail/open_request.hpp"
#include "../../search.hpp"
#include "../freedesktop/opener.hpp"  // open_failure

namespace liftoff {
inline namespace v0 {
namespace detail {

struct windows_shell_opener {
    /// The ShellExecuteExW call for `req` (or, for open_with() of a .bat/.cmd script, a launch
    /// through liftoff's own cmd.exe escaping). Runs nothing; reads App Paths and probes files.
    template <class P>
    static failure route(const open_request& req, const open_options& opts, open_route& out) {
        out.opener = "ShellExecuteExW";
        shell_call& call = out.shell;
        switch (req.kind) {
        case open_kind::url:
            call.what = shell_verb::open_url;
            call.file = req.target;
            break;
        case open_kind::path:
            call.what = shell_verb::open_path;
            call.file = req.target;
            break;
        case open_kind::reveal:
            call.what = shell_verb::reveal;
            call.parameters = explorer_select_arguments(req.target);
            if (call.parameters.empty())
                return open_failure(req, errc::invalid_argument,
                                    "explorer.exe cannot be given '" + printable(req.target) +
                                        "' (it holds a control character or a '\"')",
                                    "rename it (nothing was run)");
            call.file = P::windows_directory() + "\\explorer.exe";
            break;
        case open_kind::with:
            if (auto bad = route_with<P>(req, opts, out)) return bad;
            if (!out.steps.empty()) return {};
            break;
        }
        out.description = describe_shell_call(call);
        return {};
    }

    /// A route with steps is only open_with() of a .bat/.cmd script: judged by its exit, as a
    /// program open_with() runs directly is on the other systems.
    static failure judge(const open_step&, const open_request& req, const exit_status& st, const std::string& err) {
        if (st.success()) return {};
        return open_failure(req, errc::opener_failed,
                            "'" + printable(req.app) + "' " + st.to_string() + " at once" + opener_said(req.app, err),
                            "see its message, or run it by hand to see why");
    }

    /// Makes the call. A failure is worded from GetLastError and hInstApp. The child owns the
    /// process ShellExecuteExW gave back and is released on destruction; it is invalid when
    /// there is none (the request went to a running application, or through DDE). open_with()'s
    /// program is watched for opts.confirm, as on the other systems: a non-zero exit in that time
    /// is opener_failed. opts.wait waits for the process where there is one.
    template <class P>
    static child execute(const open_request& req, const open_route& route, const open_options& opts, failure& f) {
        const shell_call& call = route.shell;
        child_state_ptr state(new child_state());
        state->started = child_state::clock::now();
        const shell_outcome r = P::shell_execute(call, opts.background, state->proc);
        if (!r.ok) {
            const shell_error e = map_shell_error(call.what, r.last_error, r.inst_app);
            const std::string code = "ShellExecuteExW: error " + std::to_string(r.last_error) + ", hInstApp " +
                                     std::to_string(static_cast<unsigned long long>(r.inst_app));
            f = open_failure(req, e.code, e.what + " (" + code + ")", e.remedy,
                             call.what == shell_verb::open_with ? call.file : std::string());
            if (r.last_error != 0) f.os_error = std::error_code(static_cast<int>(r.last_error), std::system_category());
            return {};
        }
        if (!r.has_process) return {};
        state->program = call.file;
        state->path = call.file;
        state->policy = on_destroy::release;
        state->streams_done = true;  // no pipes: the opened application has its own console or none
        child c = child_access::make(std::move(state));
        auto& s = child_access::state(c);
        const bool with = call.what == shell_verb::open_with;
        std::optional<exit_status> st;
        if (opts.wait)
            st = s.observe(s.proc.wait());
        else if (with && opts.confirm.count() > 0)
            st = s.observe(s.proc.wait_for(opts.confirm));
        if (st && with && !st->success()) {
            f = open_failure(req, errc::opener_failed,
                             "'" + printable(call.file) + "' " + st->to_string() + (opts.wait ? "" : " at once"),
                             "run it by hand to see why", call.file);
            return {};
        }
        return c;
    }

private:
    /// open_with(): the application (a path, an App Paths name, or a program in PATH), then
    /// app_args and the targets as its parameters.
    template <class P>
    static failure route_with(const open_request& req, const open_options& opts, open_route& out) {
        const std::string& app = req.app;
        const std::string shown_app = "'" + printable(app) + "'";
        const auto pathext = P::get_env("PATHEXT");
        std::string program;
        if (P::has_directory_part(app)) {
            program = P::make_absolute(app);
            const std::string shown = "'" + printable(program) + "'";
            const auto probe = P::probe_file(program);
            if (!probe.exists)
                return open_failure(req, errc::application_not_found, shown + " does not exist",
                                    "check the path, or give a program's name", program);
            if (!probe.regular || !has_program_extension(program, pathext ? *pathext : std::string()))
                return open_failure(req, errc::application_not_found,
                                    shown + " is not a program (" +
                                        (probe.directory ? std::string("a directory")
                                                         : "its extension is not one of PATHEXT's: " +
                                                               join(pathext_list(pathext ? *pathext : ""), ";")) +
                                        ")",
                                    "give the path of the program (.exe) to open it with", program);
        } else {
            const std::string key = app_paths_key(app);
            std::vector<std::string> stale;
            for (const auto& value : P::app_paths(key)) {
                const std::string candidate = app_paths_value(value);
                if (!candidate.empty() && P::is_absolute(candidate) && P::probe_file(candidate).regular) {
                    program = candidate;
                    break;
                }
                stale.push_back(candidate);
            }
            if (program.empty()) {
                const auto path = P::get_env("PATH");
                const std::string list = path ? *path : P::default_path();
                const path_search s = search_path_list<P>(app, list, pathext);
                if (s.found.empty()) {
                    std::string what = shown_app + " is neither registered in App Paths (no " + printable(key) +
                                       " under HKEY_CURRENT_USER or HKEY_LOCAL_MACHINE";
                    if (!stale.empty()) what += "; it names '" + printable(stale.front()) + "', which is missing";
                    what += ") nor a program in PATH (searched " +
                            (s.searched.empty() ? std::string("nothing") : printable(join(s.searched, ";"))) + ")";
                    return open_failure(req, errc::application_not_found, what,
                                        "install it, or give the full path of its .exe");
                }
                program = s.found;
            }
        }
        std::vector<std::string> args = opts.app_args;
        for (const auto& t : req.targets)
            args.push_back(t.text);
        if (is_batch_file(program)) {
            // ShellExecuteExW would hand the parameters to cmd.exe unescaped: launch() escapes them
            // for cmd or refuses them.
            out.opener = "program";
            out.steps.push_back({opener_command(program, std::move(args)), verdict::exit_code, app});
            return {};
        }
        const windows_command_line line = make_windows_command_line(program, args);
        if (!line)
            return open_failure(req, errc::invalid_argument, line.refusal,
                                "pass such data through a file instead (nothing was run)", program);
        out.shell.what = shell_verb::open_with;
        out.shell.file = program;
        out.shell.parameters = shell_parameters(args);
        return {};
    }

    /// True when the file's extension is one PATHEXT lists (.COM;.EXE;.BAT;.CMD when unset).
    static bool has_program_extension(std::string_view path, const std::string& pathext) {
        while (!path.empty() && (path.back() == '.' || path.back() == ' '))
            path.remove_suffix(1);  // as Windows drops them
        for (const auto& e : pathext_list(pathext))
            if (path.size() > e.size() && iequals(path.substr(path.size() - e.size()), e)) return true;
        return false;
    }
};

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
