// liftoff/detail/judge.hpp: the judging rules of diagnose() and preflight(). The facts are
// gathered by the platform; what they mean is decided here, the same on every OS.
// SPDX-License-Identifier: MIT
#pragma once

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../command.hpp"
#include "../report.hpp"
#include "../platform/select.hpp"
#include "binary_format.hpp"
#include "causes.hpp"
#include "elf.hpp"
#include "facts.hpp"
#include "prepare.hpp"
#include "redact.hpp"
#include "search.hpp"
#include "text.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

/// The environment diagnose() judges, with lookups by name.
template <class P>
class env_view {
public:
    explicit env_view(std::vector<std::string> entries) : entries_(std::move(entries)) {}
    std::optional<std::string> get(std::string_view name) const {
        for (const auto& e : entries_) {
            const auto n = env_entry_name(e);
            if (n.size() < e.size() && P::env_names_equal(n, name)) return e.substr(n.size() + 1);
        }
        return std::nullopt;
    }
    /// Set and not empty.
    bool has(std::string_view name) const {
        const auto v = get(name);
        return v && !v->empty();
    }
    const std::vector<std::string>& entries() const noexcept { return entries_; }

private:
    std::vector<std::string> entries_;
};

inline void add_finding(std::vector<finding>& out, std::string id, severity s, std::string what, std::string remedy) {
    out.push_back({std::move(id), s, std::move(what), std::move(remedy)});
}
/// An error finding for one of the causes a launch fails for (causes.hpp: its id and remedy).
inline void add_finding(std::vector<finding>& out, const cause& c, std::string what) {
    out.push_back({c.id, severity::error, std::move(what), c.remedy});
}

/// The C library's rule: LC_ALL, then LC_CTYPE, then LANG; "C" when none is set.
template <class P>
void judge_locale(const env_view<P>& env, report& r) {
    for (const char* name : {"LC_ALL", "LC_CTYPE", "LANG"}) {
        if (env.has(name)) {
            r.locale = *env.get(name);
            break;
        }
    }
    std::string lower = r.locale;
    for (char& c : lower)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    r.utf8 =
        lower.find("utf-8") != std::string::npos || lower.find("utf8") != std::string::npos || P::locale_always_utf8;
    if (r.locale.empty()) r.locale = "C (none of LC_ALL, LC_CTYPE, LANG is set)";
    if (!r.utf8)
        add_finding(
            r.findings, "non-utf8-locale", severity::warning,
            "the locale '" + printable(r.locale) + "' is not UTF-8: children may mangle non-ASCII paths and arguments",
            "set LANG=C.UTF-8 (or another UTF-8 locale) in the environment");
}

template <class P>
void judge_session(const env_view<P>& env, const system_facts& sys, report& r) {
    const bool terminal = sys.terminal;
    for (const char* name : {"DISPLAY", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE", "DBUS_SESSION_BUS_ADDRESS",
                             "XDG_RUNTIME_DIR", "SSH_CONNECTION", "XDG_CURRENT_DESKTOP", "BROWSER"})
        r.session_variables.emplace_back(name, env.get(name));
    const bool ssh = env.has("SSH_CONNECTION") || env.has("SSH_CLIENT") || env.has("SSH_TTY");
    const bool graphical = P::native_desktop || env.has("WAYLAND_DISPLAY") || env.has("DISPLAY");
    if (P::native_desktop && !ssh)
        r.session = P::native_desktop_name;
    else if (env.has("WAYLAND_DISPLAY"))
        r.session = "wayland";
    else if (env.has("DISPLAY"))
        r.session = ssh ? "ssh" : "x11";
    else if (ssh)
        r.session = "ssh";
    else
        r.session = terminal ? "terminal" : "none";

    if (ssh)
        add_finding(
            r.findings, "ssh-session", severity::info,
            "this is an ssh session (SSH_CONNECTION is set): openers act on the remote machine's display, if any",
            "open links on your own machine, or forward X11 (ssh -X) if you mean to");
    if (!graphical && !(std::find(r.sandbox.begin(), r.sandbox.end(), "wsl") != r.sandbox.end()))
        add_finding(
            r.findings, "no-display", severity::warning,
            "no graphical session: DISPLAY and WAYLAND_DISPLAY are not set (a service, cron, ssh or a container)",
            "run it from a desktop session, or set BROWSER to a program that can show links here (such as "
            "BROWSER=w3m)");
    if (graphical && !P::native_desktop && !env.has("DBUS_SESSION_BUS_ADDRESS") && !sys.dbus_socket)
        add_finding(r.findings, "no-dbus-session", severity::warning,
                    "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set and $XDG_RUNTIME_DIR/bus is missing)",
                    "start the program from the desktop session, or export DBUS_SESSION_BUS_ADDRESS");
    for (const auto& s : r.sandbox) {
        if (s == "flatpak" || s == "snap")
            add_finding(r.findings, "sandbox", severity::info,
                        "running inside " + s +
                            ": openers go through the desktop portal, which reports success even when no application "
                            "handles the link",
                        "expect a chooser dialog rather than an error when nothing handles it");
        else if (s == "container")
            add_finding(r.findings, "sandbox", severity::info,
                        "running in a container: there is usually no desktop session and a reduced PATH",
                        "install what the program runs in the image, and open links from the host");
        else if (s == "wsl")
            add_finding(r.findings, "sandbox", severity::info,
                        "running under WSL: links open in Windows through wslview or explorer.exe",
                        "install wslu for wslview if links do not open");
    }
}

template <class P>
void judge_path(const env_view<P>& env, report& r) {
    const auto path = env.get("PATH");
    if (!path) {
        add_finding(
            r.findings, "no-path", severity::warning,
            "PATH is not set: bare program names are looked up in the system default (" + P::default_path() + ")",
            "set PATH, or give programs by full path");
        return;
    }
    for (auto& dir : split_list(*path, P::path_list_separator)) {
        path_entry e;
        e.dir = dir;
        e.empty = dir.empty();
        e.relative = !e.empty && !P::is_absolute(dir);
        if (!e.empty) {
            const auto d = P::inspect_directory(dir);
            e.exists = d.exists;
            e.directory = d.directory;
            e.writable_by_others = d.writable_by_others;
        }
        if (e.empty)
            add_finding(r.findings, "empty-path-entry", severity::warning,
                        "PATH has an empty entry, which many programs take as the current directory",
                        "remove the empty entry (a leading, trailing or doubled '" +
                            std::string(1, P::path_list_separator) + "')");
        else if (e.relative)
            add_finding(r.findings, "relative-path-entry", severity::warning,
                        "PATH entry '" + printable(dir) +
                            "' is relative: it means a different directory wherever a program runs",
                        "use an absolute directory (liftoff never searches relative entries)");
        else if (!e.exists)
            add_finding(r.findings, "path-entry-missing", severity::warning,
                        "PATH entry '" + printable(dir) + "' does not exist", "remove it from PATH or create it");
        else if (e.writable_by_others)
            add_finding(
                r.findings, "writable-path-entry", severity::error,
                "PATH entry '" + printable(dir) + "' is writable by other users: anyone can plant a program there",
                "chmod o-w '" + printable(dir) + "', or remove it from PATH");
        r.path.push_back(std::move(e));
    }
}

template <class P>
void judge_environment(const env_view<P>& env, report& r) {
    for (const auto& entry : env.entries()) {
        const auto name = env_entry_name(entry);
        const std::string value = name.size() < entry.size() ? entry.substr(name.size() + 1) : std::string();
        r.environment.emplace_back(std::string(name), redact(name, value));
    }
}

/// What makes a name that was not found easier to find, appended to not-in-path and not-found:
/// a file in `dirs` whose name differs only in case ("did you mean"), and a Windows-style path
/// given to a POSIX system (a backslash, or a drive letter, where '/' separates).
template <class P>
std::string name_hint(const std::string& name, const std::vector<std::string>& dirs) {
    std::string hint;
    if (P::path_list_separator == ':' && name.find('/') == std::string::npos &&
        (name.find('\\') != std::string::npos ||
         (name.size() >= 2 && name[1] == ':' &&
          ((name[0] >= 'A' && name[0] <= 'Z') || (name[0] >= 'a' && name[0] <= 'z')))))
        hint += "; '" + printable(name) + "' is a Windows-style path: this system separates directories with '/'";
    for (const std::string& d : dirs) {
        for (const std::string& e : P::directory_entries(d)) {
            if (e == name || !iequals(e, name)) continue;
            const std::string full = (d.empty() || d.back() == '/' ? d : d + "/") + e;
            return hint + "; did you mean '" + printable(e) + "'? ('" + printable(full) + "' exists)";
        }
    }
    return hint;
}

/// "sed -i 's/\r$//' 'PATH' (or dos2unix)": the remedy of crlf-line-endings names the file.
inline std::string crlf_remedy(const std::string& path) {
    return "convert it to Unix line endings: sed -i 's/\\r$//' '" + printable(path) + "' (or dos2unix)";
}

/// The child's value of `name` ("" if unset).
template <class P>
std::string child_env_value(const child_environment& env, std::string_view name) {
    if (env.inherited) return P::get_env(std::string(name).c_str()).value_or(std::string());
    for (const auto& e : env.entries) {
        const auto n = env_entry_name(e);
        if (n.size() < e.size() && P::env_names_equal(n, name)) return e.substr(n.size() + 1);
    }
    return {};
}

/// The shared libraries a program needs that its loader would not find (Linux: ELF DT_NEEDED;
/// Windows: the DLLs it imports; elsewhere P::missing_libraries() cannot tell). A set-user-ID
/// program is loaded in secure mode, which ignores LD_LIBRARY_PATH.
template <class P>
void judge_libraries(const std::string& program, const child_environment& env, bool setuid, program_facts& pf,
                     std::vector<finding>& out) {
    const auto missing =
        P::missing_libraries(program, [&](std::string_view name) { return child_env_value<P>(env, name); }, setuid);
    for (const missing_library& m : missing) {
        pf.missing_libraries.push_back(m.name);
        std::string what = "'" + printable(program) + "' needs the shared library '" + printable(m.name) + "'";
        if (m.needed_by != program) what += " (through '" + printable(m.needed_by) + "')";
        what += ", which the loader does not find (searched " +
                (m.searched.empty() ? std::string("nothing") : printable(join(m.searched, ", "))) + ")";
        add_finding(out, cause{causes::library_missing.id, P::library_remedy}, std::move(what));
    }
}

/// Judges the file a command would run, as exec and then the dynamic loader would: what it is,
/// whether it may run, its #! interpreter or ELF loader, and (Linux) the shared libraries it
/// needs. The launch path explains a failed exec with the same findings (explain_exec_failure).
template <class P>
void judge_program_file(const std::string& resolved, const child_environment& env, program_facts& pf,
                        std::vector<finding>& out) {
    pf.resolved = resolved;
    const auto f = P::inspect_program_file(resolved);
    const std::string shown = "'" + printable(resolved) + "'";
    pf.exists = f.exists;
    pf.regular = f.regular;
    pf.directory = f.directory;
    pf.dangling_symlink = f.dangling_symlink;
    pf.executable = f.executable;
    pf.noexec_mount = f.noexec_mount;
    pf.setuid = f.setuid;
    pf.mode = f.mode;
    pf.owner = f.owner;
    pf.capabilities = f.capabilities;
    pf.quarantined = f.quarantined;
    pf.zone_id = f.zone_id;
    const binary_format fmt = sniff_binary(f.head);
    if (f.regular) pf.format = fmt.description;
    if (f.dangling_symlink) {
        add_finding(out, causes::dangling_symlink,
                    shown + " is a symbolic link to '" + printable(f.link_target) + "', which does not exist");
    } else if (!f.exists) {
        const auto slash = resolved.find_last_of('/');
        add_finding(out, causes::not_found,
                    shown + " does not exist" +
                        (slash == std::string::npos
                             ? std::string()
                             : name_hint<P>(resolved.substr(slash + 1),
                                            {slash == 0 ? std::string("/") : resolved.substr(0, slash)})));
    } else if (f.directory) {
        add_finding(out, causes::is_directory, shown + " is a directory");
    } else if (!f.regular) {
        add_finding(out, causes::not_a_regular_file, shown + " is not a regular file");
    } else {
        if (!f.executable && !f.noexec_mount)  // on a noexec mount access(X_OK) fails whatever the mode
            add_finding(out, causes::not_executable, severity::error,
                        shown + " is not executable by this user (mode " + f.mode + ", owner uid " +
                            std::to_string(f.owner) + ")",
                        "chmod +x " + shown);
        if (f.noexec_mount) add_finding(out, causes::noexec_mount, shown + " is on a file system mounted noexec");
        if (!f.readable) {
            // Cannot read it (e.g. mode 0711): nothing to say about its format.
        } else if (fmt.what == binary_format::kind::script && P::runs_scripts) {
            pf.interpreter = fmt.interpreter;
            std::string named = fmt.interpreter;  // the interpreter the #! line means
            if (fmt.crlf) {
                const bool in_name = !named.empty() && named.back() == '\r';
                if (in_name) named.pop_back();
                add_finding(out, causes::crlf_line_endings, severity::error,
                            "the #! line of " + shown + " ends in a carriage return (Windows line endings), so " +
                                (in_name ? "the system looks for the interpreter '" + printable(fmt.interpreter) + "'"
                                         : "its interpreter's last argument ends in '\\r'"),
                            crlf_remedy(resolved));
            }
            const auto interp = P::inspect_program_file(named);
            if (named.empty() || !interp.exists)
                add_finding(out, causes::interpreter_missing,
                            "its interpreter '" + printable(named) + "' (the #! line of " + shown + ") does not exist");
            else if (!interp.executable || interp.directory)
                add_finding(
                    out, causes::interpreter_not_runnable,
                    "its interpreter '" + printable(named) + "' (the #! line of " + shown + ") cannot be executed");
        } else if (!P::runs_format(resolved, fmt)) {
            const bool known = fmt.what != binary_format::kind::unknown && fmt.what != binary_format::kind::empty;
            if (known)
                add_finding(out, causes::wrong_architecture,
                            shown + " is " + fmt.description + ", not a program for this system (" +
                                P::native_format_name() + ")");
            else if (P::runs_scripts)
                add_finding(out, causes::exec_format, shown + " is " + fmt.description);
            else  // Windows: no #! to add
                add_finding(out, causes::exec_format.id, severity::error,
                            shown + " is not a program Windows can run (" +
                                (fmt.what == binary_format::kind::empty ? "an empty file" : "no known format") + ")",
                            "run an .exe, .com, .bat or .cmd, or use a build for this system");
        } else if (fmt.what == binary_format::kind::elf) {
            pf.interpreter = elf_interpreter(f.head);
            if (!pf.interpreter.empty() && !P::inspect_program_file(pf.interpreter).exists)
                add_finding(out, causes::loader_missing,
                            shown + " needs the loader '" + printable(pf.interpreter) + "', which does not exist");
            else if (!pf.interpreter.empty())
                judge_libraries<P>(resolved, env, f.setuid, pf, out);
        } else if (fmt.what == binary_format::kind::pe || fmt.what == binary_format::kind::mach_o ||
                   fmt.what == binary_format::kind::mach_o_fat) {  // runs here: Windows, macOS
            judge_libraries<P>(resolved, env, false, pf, out);
        }
        if (pf.quarantined)
            add_finding(out, "quarantined", severity::warning,
                        shown + " carries the com.apple.quarantine attribute (downloaded)",
                        "xattr -d com.apple.quarantine " + shown + " if you trust it");
        if (pf.zone_id >= 3)
            add_finding(out, "mark-of-the-web", severity::warning,
                        shown + " carries the Mark of the Web (Zone.Identifier, ZoneId=" + std::to_string(pf.zone_id) +
                            ": downloaded from " + (pf.zone_id == 3 ? "the Internet" : "an untrusted site") +
                            "): SmartScreen or a policy may refuse to run it",
                        "Unblock-File -Path " + shown + " (PowerShell) if you trust it");
        if (!pf.capabilities.empty())
            add_finding(out, "file-capabilities", severity::info,
                        shown + " has file capabilities (" + pf.capabilities + ")",
                        "nothing to do unless it should not have them");
        if (pf.setuid)
            add_finding(out, "setuid", severity::info,
                        shown + " is set-user-ID: the kernel drops kill_on_parent_exit() for it",
                        "end it yourself (on_destroy kill) if it must not outlive you");
    }
}

/// Judges the program of a command: everything that would make its launch fail.
template <class P>
void judge_program(const command& cmd, const child_environment& env, report& r) {
    program_facts pf;
    pf.program = cmd.program();
    auto& out = r.findings;
    const std::string shown_prog = "'" + printable(cmd.program()) + "'";

    if (auto bad = validate<P>(cmd)) {
        add_finding(out, causes::invalid_argument, severity::error, bad.what, bad.remedy);
        r.program = std::move(pf);
        return;
    }
    // Where it is.
    if (P::has_directory_part(cmd.program())) {
        pf.resolved = P::make_absolute(cmd.program());
        pf.found_by = "given as a path";
    } else {
        const std::string list = env.path ? *env.path : P::default_path();
        auto s = search_path_list<P>(cmd.program(), list, env.pathext);
        pf.searched = s.searched;
        if (!s.found.empty()) {
            pf.resolved = s.found;
            pf.found_by = "PATH entry '" + pf.resolved.substr(0, pf.resolved.find_last_of("/\\")) + "'";
        } else if (!s.not_runnable.empty()) {
            pf.resolved = s.not_runnable;
            pf.found_by = "PATH, but not runnable";
        } else {
            pf.found_by = "not found";
            add_finding(out, causes::not_in_path,
                        shown_prog + " is not in PATH (searched " +
                            (s.searched.empty() ? std::string("nothing")
                                                : join(s.searched, std::string(1, P::path_list_separator))) +
                            ")" + name_hint<P>(cmd.program(), s.searched));
        }
    }
    // What it is.
    if (!pf.resolved.empty()) judge_program_file<P>(pf.resolved, env, pf, out);
    // Where it starts, and how much it is given.
    pf.cwd = cmd.cwd() ? *cmd.cwd() : std::string();
    if (cmd.cwd()) {
        const auto d = P::inspect_directory(*cmd.cwd());
        const std::string shown = "working directory '" + printable(*cmd.cwd()) + "'";
        if (!d.exists)
            add_finding(out, causes::working_directory_missing, shown + " does not exist");
        else if (!d.directory)
            add_finding(out, causes::working_directory_missing, shown + " is not a directory");
        else if (!d.searchable)
            add_finding(out, causes::working_directory_not_searchable,
                        shown + " is not searchable (permission denied)");
    }
    std::size_t bytes = cmd.program().size() + 1 + sizeof(char*);
    std::size_t longest = 0;
    for (const auto& a : cmd.arguments()) {
        bytes += a.size() + 1 + sizeof(char*);
        longest = a.size() > longest ? a.size() : longest;
    }
    const std::vector<std::string> inherited = env.inherited ? P::current_environment() : std::vector<std::string>();
    for (const auto& e : env.inherited ? inherited : env.entries)
        bytes += e.size() + 1 + sizeof(char*);
    pf.argument_bytes = bytes;
    pf.argument_limit = P::argument_limit();
    if ((pf.argument_limit != 0 && bytes > pf.argument_limit) ||
        (P::single_argument_limit() != 0 && longest >= P::single_argument_limit()))
        add_finding(out, causes::arguments_too_long,
                    "its arguments and environment take " + std::to_string(bytes) + " bytes (limit " +
                        std::to_string(pf.argument_limit) +
                        (longest >= P::single_argument_limit()
                             ? ", and one argument is over " + std::to_string(P::single_argument_limit()) + " bytes"
                             : std::string()) +
                        ")");
    r.program = std::move(pf);
}

template <class P>
report diagnose_session(const diagnose_options& opt) {
    report r;
    const env_view<P> env(opt.environment ? *opt.environment : P::current_environment());
    const system_facts sys = P::probe_system(opt.root, [&env](std::string_view name) { return env.get(name); });
    r.os = sys.os;
    r.kernel = sys.kernel;
    r.arch = sys.arch;
    r.user = sys.user;
    r.uid = sys.uid;
    r.gid = sys.gid;
    r.groups = sys.groups;
    r.umask = sys.umask;
    r.cwd = sys.cwd;
    r.cwd_exists = sys.cwd_exists;
    r.sandbox = sys.sandbox;
    if (!r.cwd_exists)
        add_finding(r.findings, "cwd-missing", severity::error,
                    "the current directory '" + printable(r.cwd) + "' no longer exists",
                    "cd to an existing directory (or give children a cwd())");
    judge_session(env, sys, r);
    judge_locale(env, r);
    judge_path(env, r);
    const auto path = env.get("PATH");
    for (const char* opener : P::opener_programs())
        if (find_program_in<P>(opener, path ? *path : P::default_path())) r.openers.emplace_back(opener);
    judge_environment(env, r);
    return r;
}

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
