// liftoff/platform/freedesktop/opener.hpp: the Linux/BSD opener strategy: from the session's
// facts (session.hpp) to the exact commands to run (xdg-open, gio, kde-open, $BROWSER, wslview,
// explorer.exe, D-Bus ShowItems, a desktop entry's Exec), and how each one's exit is read.
// Portable code (it asks the OS only through P), so it is compiled and tested everywhere.
// SPDX-License-Identifier: MIT
#pragma once

#include <cctype>  // std::toupper
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../../detail/file.hpp"
#include "../../command.hpp"
#include "../../detail/desktop_entry.hpp"
#include "../../detail/text.hpp"
#include "../../detail/url.hpp"
#include "../../detail/failure.hpp"
#include "../../error.hpp"
#include "../../exit_status.hpp"
#include "../../detail/open_request.hpp"
#include "session.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

/// The real system: probe files are read from "/".
struct freedesktop_system_root {
    static std::string root() { return {}; }
};

/// A failure of an opener request, worded for its target (and application).
inline failure open_failure(const open_request& req, errc code, std::string what, std::string remedy,
                            std::string path = {}) {
    const bool with = req.kind == open_kind::with && !req.targets.empty();
    return make_open_failure(code, req.shown, std::move(what), std::move(remedy), with ? printable(req.app) : "",
                             std::move(path));
}

inline bool ends_with(std::string_view s, std::string_view tail) noexcept {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

/// How Windows names a path of this WSL distribution: /mnt/c/x -> C:\x, anything else
/// \\wsl.localhost\DISTRO\x (what `wslpath -w` answers), or nullopt without a distro name.
inline std::optional<std::string> wsl_windows_path(const std::string& abs, const session_facts& f) {
    auto backslashes = [](std::string s) {
        for (auto& c : s)
            if (c == '/') c = '\\';
        return s;
    };
    const std::string& root = f.wsl_mount_root;
    if (abs.size() > root.size() && abs.compare(0, root.size(), root) == 0 && is_ascii_alpha(abs[root.size()]) &&
        (abs.size() == root.size() + 1 || abs[root.size() + 1] == '/')) {
        const char drive = static_cast<char>(std::toupper(static_cast<unsigned char>(abs[root.size()])));
        const std::string rest = abs.substr(root.size() + 1);
        return std::string(1, drive) + ":" + (rest.empty() ? std::string("\\") : backslashes(rest));
    }
    if (f.wsl_distro.empty()) return std::nullopt;
    return "\\\\wsl.localhost\\" + f.wsl_distro + backslashes(abs);
}

/// The file for desktop id `id` under an applications/ directory, with the spec's rule that
/// "foo-bar.desktop" may be applications/foo/bar.desktop. "" if there is none.
template <class P>
std::string find_desktop_file(const std::string& dir, const std::string& id) {
    const std::string direct = dir + "/" + id;
    if (P::probe_file(direct).regular) return direct;
    for (std::size_t dash = id.find('-'); dash != std::string::npos; dash = id.find('-', dash + 1)) {
        const std::string sub = dir + "/" + id.substr(0, dash);
        if (!P::probe_file(sub).directory) continue;
        std::string found = find_desktop_file<P>(sub, id.substr(dash + 1));
        if (!found.empty()) return found;
    }
    return {};
}

template <class Root = freedesktop_system_root>
struct freedesktop_opener {
    /// Works out the commands for `req`, or why there are none. Runs nothing.
    template <class P>
    static failure route(const open_request& req, const open_options& opts, open_route& out) {
        const session_facts f = gather_session_facts<P>(Root::root());
        // The sandbox's xdg-open hands the request to the portal, whose verdict (the user's
        // choice among them) stands; an application found inside the sandbox is not the host's.
        if (f.flatpak || f.snap)
            out.no_fallback = std::string("inside ") + (f.flatpak ? "Flatpak" : "Snap") + " the portal decides";
        if (req.kind == open_kind::with) return route_with<P>(f, req, opts, out);
        if (req.kind == open_kind::reveal) return route_reveal(f, req, out);
        const opener_choice c = choose_opener(f, req.kind, url_scheme(req.target), req.target);
        if (c.tool == opener_tool::none) return open_failure(req, c.refusal, c.what, c.remedy);
        open_step step;
        if (auto bad = step_for(f, c, req, req.target, step)) return bad;
        out.opener = step.tool;
        out.steps.push_back(std::move(step));
        return {};
    }

    /// Reads the exit of a step that has ended.
    static failure judge(const open_step& s, const open_request& req, const exit_status& st, const std::string& err) {
        if (s.judge == verdict::ignore_exit || st.success()) return {};
        const std::string said = opener_said(s.tool, err);
        const std::string how = st.to_string();
        const std::string tool = "'" + printable(s.tool) + "'";
        if (s.judge == verdict::xdg_open && st.exited()) {
            switch (st.code()) {
            case 1:
                return open_failure(req, errc::invalid_argument, "xdg-open refused its arguments (exit 1)" + said,
                                    "this is a bug in liftoff or xdg-open; please report it");
            case 2:
                return open_failure(req, errc::target_not_found, "xdg-open says it does not exist (exit 2)" + said,
                                    "check that it exists and is readable");
            case 3:
                return open_failure(
                    req, errc::no_handler,
                    "no application is set to open it (xdg-open found no handler, exit 3)" + said,
                    "choose a default application, e.g. `xdg-mime default APP.desktop " + mime_hint(req) + "`");
            case 4:
                return open_failure(req, errc::opener_failed,
                                    "the application xdg-open chose failed (xdg-open exit 4)" + said,
                                    "see its message, or try `xdg-open` by hand");
            default: break;
            }
        }
        if (s.judge == verdict::gio) {
            if (contains_ignoring_case(err, "not supported") || contains_ignoring_case(err, "no application"))
                return open_failure(req, errc::no_handler,
                                    "no application is set to open it (gio open " + how + ")" + said,
                                    "choose a default application, e.g. `gio mime " + mime_hint(req) + " APP.desktop`");
            if (contains_ignoring_case(err, "no such file") || contains_ignoring_case(err, "does not exist"))
                return open_failure(req, errc::target_not_found, "gio open says it does not exist" + said,
                                    "check that it exists and is readable");
        }
        if (s.judge == verdict::show_items)
            return open_failure(req, errc::opener_failed,
                                "no file manager answered ShowItems (" + tool + " " + how + ")" + said,
                                "install a file manager that implements org.freedesktop.FileManager1");
        if (req.kind == open_kind::with)
            return open_failure(req, errc::opener_failed, tool + " " + how + " at once" + said,
                                "see its message, or run it by hand to see why");
        return open_failure(req, errc::opener_failed, "the opener " + tool + " " + how + said,
                            "see its message, or try it by hand");
    }

private:
    static std::string mime_hint(const open_request& req) {
        const std::string_view scheme = url_scheme(req.target);
        if (req.kind == open_kind::url && !scheme.empty()) return "x-scheme-handler/" + std::string(scheme);
        return "$(xdg-mime query filetype FILE)";
    }

    static failure step_for(const session_facts& f, const opener_choice& c, const open_request& req,
                            const std::string& target, open_step& step) {
        const bool is_url = req.kind == open_kind::url;
        switch (c.tool) {
        case opener_tool::xdg_open:
            if (!is_url && target.find('\n') != std::string::npos) {
                // xdg-open 1.1.3 reads its argument line by line and finds no method for it.
                if (const auto* gio = f.tool("gio")) {
                    step = {opener_command(*gio, {"open", target}), verdict::gio, "gio"};
                    break;
                }
                return open_failure(req, errc::unsupported, "xdg-open cannot pass on a file name with a newline in it",
                                    "install gio (libglib2.0-bin), or rename the file (nothing was run)");
            }
            step = {opener_command(c.path, {target}), verdict::xdg_open, "xdg-open"};
            break;
        case opener_tool::gio:
            // gio takes "--" as a file name; the target cannot begin with '-' anyway.
            step = {opener_command(c.path, {"open", target}), verdict::gio, "gio"};
            break;
        case opener_tool::kde_open:
            step = {opener_command(c.path, {"--", target}), verdict::exit_code, "kde-open"};
            break;
        case opener_tool::wslview: step = {opener_command(c.path, {target}), verdict::exit_code, "wslview"}; break;
        case opener_tool::explorer: {
            std::string arg = target;
            if (!is_url) {
                const auto win = wsl_windows_path(target, f);
                if (!win)
                    return open_failure(req, errc::unsupported,
                                        "Windows cannot name this path: $WSL_DISTRO_NAME is not set",
                                        "install wslu (wslview), or set WSL_DISTRO_NAME");
                arg = *win;
            }
            // explorer.exe exits 1 even when it opened the thing: its exit says nothing.
            step = {opener_command(c.path, {arg}), verdict::ignore_exit, "explorer.exe"};
            break;
        }
        case opener_tool::browser: {
            std::vector<std::string> argv = browser_argv(f.browsers[c.browser], target);
            argv.erase(argv.begin());
            step = {opener_command(c.path, std::move(argv)), verdict::exit_code, "$BROWSER"};
            if (c.terminal) {  // a text browser needs the terminal, and has it until it ends
                step.cmd.stdin_from(io::inherit()).stdout_to(io::inherit()).stderr_to(io::inherit());
                step.attended = true;
            }
            break;
        }
        default: return open_failure(req, errc::no_opener, "no opener program was found", "install xdg-utils");
        }
        return {};
    }

    static failure route_reveal(const session_facts& f, const open_request& req, open_route& out) {
        const opener_choice c = choose_opener(f, open_kind::reveal, {}, req.target);
        if (c.tool == opener_tool::none) return open_failure(req, c.refusal, c.what, c.remedy);
        const std::string& path = req.target;
        if (c.tool == opener_tool::explorer) {
            const auto win = wsl_windows_path(path, f);
            if (!win)
                return open_failure(req, errc::unsupported,
                                    "Windows cannot name this path: $WSL_DISTRO_NAME is not set",
                                    "set WSL_DISTRO_NAME");
            out.opener = "explorer.exe";
            out.steps.push_back({opener_command(c.path, {"/select," + *win}), verdict::ignore_exit, "explorer.exe"});
            return {};
        }
        const std::string uri = file_uri(path);
        if (c.tool == opener_tool::gdbus || c.tool == opener_tool::dbus_send) {
            // The URI is percent-encoded: no quote, comma or backslash can break either syntax.
            if (c.tool == opener_tool::gdbus)
                out.steps.push_back(
                    {opener_command(c.path, {"call", "--session", "--dest", "org.freedesktop.FileManager1",
                                             "--object-path", "/org/freedesktop/FileManager1", "--method",
                                             "org.freedesktop.FileManager1.ShowItems", "['" + uri + "']", "''"}),
                     verdict::show_items, "gdbus"});
            else
                out.steps.push_back(
                    {opener_command(c.path, {"--session", "--print-reply", "--dest=org.freedesktop.FileManager1",
                                             "/org/freedesktop/FileManager1", "org.freedesktop.FileManager1.ShowItems",
                                             "array:string:" + uri, "string:"}),
                     verdict::show_items, "dbus-send"});
            out.opener = out.steps.back().tool;
        }
        // Open the folder that holds it: the fallback, or the way when there is no bus.
        const std::string folder = parent_folder(path);
        const opener_choice fc = choose_opener(f, open_kind::path, {}, folder);
        if (fc.tool == opener_tool::none) {
            if (!out.steps.empty()) return {};
            return open_failure(req, fc.refusal, fc.what, fc.remedy);
        }
        open_step step;
        open_request folder_req = req;
        folder_req.kind = open_kind::path;
        if (auto bad = step_for(f, fc, folder_req, folder, step)) {
            if (!out.steps.empty()) return {};
            return bad;
        }
        step.run = out.steps.empty() ? open_step::when::first : open_step::when::fallback;
        if (out.steps.empty()) out.opener = step.tool;
        out.steps.push_back(std::move(step));
        return {};
    }

    static std::string parent_folder(const std::string& path) {
        std::string p = path;
        while (p.size() > 1 && p.back() == '/')
            p.pop_back();
        const auto slash = p.rfind('/');
        if (slash == std::string::npos || slash == 0) return "/";
        return p.substr(0, slash);
    }

    template <class P>
    static failure route_with(const session_facts& f, const open_request& req, const open_options& opts,
                              open_route& out) {
        const std::string& app = req.app;
        const std::string shown_app = "'" + printable(app) + "'";
        auto direct = [&](const std::string& program) {
            std::vector<std::string> argv = opts.app_args;
            for (const auto& t : req.targets)
                argv.push_back(t.text);
            out.opener = "program";
            out.steps.push_back({opener_command(program, std::move(argv)), verdict::exit_code, app});
            return failure{};
        };
        if (P::has_directory_part(app)) {
            const std::string full = P::make_absolute(app);
            const auto probe = P::probe_file(full);
            if (!probe.exists)
                return open_failure(req, errc::application_not_found, "'" + printable(full) + "' does not exist",
                                    "check the path, or give a desktop id or a program name", full);
            if (ends_with(full, ".desktop") && probe.regular) return route_entry<P>(f, full, req, opts, out);
            if (!probe.regular || !probe.executable)
                return open_failure(req, errc::application_not_found,
                                    "'" + printable(full) + "' is not a program (" +
                                        (probe.directory ? "a directory" : "not executable") + ")",
                                    "give the program's path, a desktop id or a program name", full);
            return direct(full);
        }
        const std::string id = ends_with(app, ".desktop") ? app : app + ".desktop";
        std::vector<std::string> looked;
        for (const auto& dir : f.data_dirs) {
            const std::string apps = dir + (ends_with(dir, "/") ? "" : "/") + "applications";
            looked.push_back(apps);
            const std::string file = find_desktop_file<P>(apps, id);
            if (!file.empty()) return route_entry<P>(f, file, req, opts, out);
        }
        const std::string where = looked.empty() ? std::string("no data directories") : join(looked, ":");
        if (id == app)
            return open_failure(req, errc::application_not_found,
                                "no desktop entry " + shown_app + " (searched " + printable(where) + ")",
                                "install the application, or check its desktop id (`ls " +
                                    printable(looked.empty() ? std::string("/usr/share/applications") : looked.back()) +
                                    "`)");
        const path_search s = search_path_list<P>(app, f.searched);
        if (!s.found.empty()) return direct(s.found);
        return open_failure(req, errc::application_not_found,
                            shown_app + " is neither a desktop entry (no " + printable(id) + " in " + printable(where) +
                                ") nor a program in PATH (searched " + printable(f.searched) + ")",
                            "install it, or give its desktop id or a full path");
    }

    template <class P>
    static failure route_entry(const session_facts& f, const std::string& file, const open_request& req,
                               const open_options& opts, open_route& out) {
        const std::string shown_file = "'" + printable(file) + "'";
        std::string text;
        if (!read_whole_file(file, text))
            return open_failure(req, errc::application_not_found, "cannot read the desktop entry " + shown_file,
                                "check its permissions", file);
        const desktop_entry e = [&] {
            desktop_entry d = parse_desktop_entry(text);
            d.path = file;
            return d;
        }();
        if (const auto type = e.get("Type"); type && *type != "Application")
            return open_failure(
                req, errc::application_not_found,
                "the desktop entry " + shown_file + " is not an application (Type=" + printable(*type) + ")",
                "name an application's desktop entry", file);
        if (e.flag("Hidden"))
            return open_failure(req, errc::application_not_found,
                                "the desktop entry " + shown_file + " is hidden (Hidden=true: deleted)",
                                "install the application again, or remove that file", file);
        if (const auto try_exec = e.get("TryExec"); try_exec && !try_exec->empty()) {
            bool ok = false;
            if (P::has_directory_part(*try_exec)) {
                const auto probe = P::probe_file(*try_exec);
                ok = probe.regular && probe.executable;
            } else {
                ok = !search_path_list<P>(*try_exec, f.searched).found.empty();
            }
            if (!ok)
                return open_failure(
                    req, errc::application_not_found,
                    "its program '" + printable(*try_exec) + "' (TryExec of " + shown_file + ") is not installed",
                    "install the application", file);
        }
        if (e.flag("Terminal"))
            return open_failure(req, errc::unsupported,
                                "the desktop entry " + shown_file + " runs in a terminal (Terminal=true)",
                                "launch() its program in the terminal emulator of your choice", file);
        const auto exec = e.get("Exec");
        if (!exec || exec->empty())
            return open_failure(req, errc::unsupported,
                                "the desktop entry " + shown_file + " has no Exec line (D-Bus activation only)",
                                "start it through D-Bus, or name its program instead", file);
        const std::string shown_exec = "(Exec=" + printable(e.keys.at("Exec")) + ")";
        const exec_split words = split_exec(*exec);
        if (!words.error.empty())
            return open_failure(req, errc::invalid_argument,
                                "the Exec line of " + shown_file + " " + shown_exec + " is invalid: " + words.error,
                                "fix the desktop entry (nothing was run)", file);
        exec_context ctx;
        ctx.name = e.get("Name").value_or("");
        ctx.icon = e.get("Icon").value_or("");
        ctx.path = file;
        const exec_expansion x = expand_exec(words.words, ctx, req.targets, opts.app_args);
        if (!x.error.empty())
            return open_failure(req, x.wrong_target ? errc::unsupported : errc::invalid_argument,
                                "the application of " + shown_file + " " + shown_exec + " cannot take it: " + x.error,
                                x.wrong_target ? "give it a local file, or pick an application that takes URLs"
                                               : "fix the desktop entry (nothing was run)",
                                file);
        if (!f.display && !f.wsl && !f.flatpak && !f.snap)
            return open_failure(req, errc::no_graphical_session,
                                "there is no graphical session for the application of " + shown_file +
                                    " (DISPLAY and WAYLAND_DISPLAY are unset or empty)",
                                "run it from a desktop session (nothing was run)", file);
        out.opener = "desktop entry";
        for (std::size_t i = 0; i < x.argvs.size(); ++i) {
            std::vector<std::string> argv = x.argvs[i];
            std::string program = argv.front();
            argv.erase(argv.begin());
            open_step step{opener_command(std::move(program), std::move(argv)), verdict::exit_code, x.argvs[i].front()};
            step.run = i == 0 ? open_step::when::first : open_step::when::also;
            out.steps.push_back(std::move(step));
        }
        return {};
    }

    static bool read_whole_file(const std::string& path, std::string& out) { return read_file_prefix(path, out); }
};

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
