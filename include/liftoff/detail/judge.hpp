// liftoff/detail/judge.hpp: the judging rules of diagnose() and preflight(). The facts are
// gathered by the platform; what they mean is decided here, the same on every OS.
// SPDX-License-Identifier: MIT
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
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

// Issue 15: the session faults of the field, each named with its value: a DISPLAY or
// WAYLAND_DISPLAY nothing answers on, a runtime directory that is missing or someone else's, a
// D-Bus address that does not answer. The sockets are asked (a connect() each, which does not
// wait); only on systems whose desktop is X11 or Wayland (P::unix_session).

/// `path` under the fake root tests give (diagnose_options::root).
inline std::string under_root(const std::string& root, const std::string& path) {
    if (root.empty() || root == "/") return path;
    return (root.back() == '/' ? root.substr(0, root.size() - 1) : root) + path;
}

/// What is wrong with a socket, after its name: "does not exist", "refuses connections ...".
inline std::string socket_problem(const socket_facts& s) {
    switch (s.state) {
    case socket_state::listening: return "answers";
    case socket_state::missing: return "does not exist";
    case socket_state::not_socket: return "is not a socket";
    case socket_state::refused: return "is a socket nobody listens on (its server is gone)";
    case socket_state::no_access: return "cannot be reached (permission denied)";
    case socket_state::failed: return "cannot be reached (" + std::generic_category().message(s.error) + ")";
    case socket_state::unsupported: return "was not checked";
    }
    return "was not checked";
}

template <class P>
void judge_x11_display(const env_view<P>& env, const std::string& root, report& r) {
    if (!env.has("DISPLAY")) return;
    const std::string value = *env.get("DISPLAY");
    const std::string shown = "DISPLAY='" + printable(value) + "'";
    // [PROTOCOL/][HOST]:NUMBER[.SCREEN]
    const auto colon = value.rfind(':');
    std::string host = colon == std::string::npos ? value : value.substr(0, colon);
    const std::string rest = colon == std::string::npos ? std::string() : value.substr(colon + 1);
    const auto dot = rest.find('.');
    const std::string number = rest.substr(0, dot);
    const auto digits = [](const std::string& d) {
        return !d.empty() && d.find_first_not_of("0123456789") == std::string::npos;
    };
    if (colon == std::string::npos || !digits(number) || (dot != std::string::npos && !digits(rest.substr(dot + 1)))) {
        add_finding(r.findings, "display-invalid", severity::warning,
                    shown + " is not an X display name (:NUMBER, :NUMBER.SCREEN or HOST:NUMBER)",
                    "set DISPLAY to the display of your session (usually :0), or unset it");
        return;
    }
    std::string protocol;
    if (const auto slash = host.find('/'); slash != std::string::npos) {
        protocol = host.substr(0, slash);
        host = host.substr(slash + 1);
    }
    const bool local =
        (host.empty() || host == "unix") && (protocol.empty() || protocol == "unix" || protocol == "local");
    if (!local) {
        add_finding(r.findings, "display-not-checked", severity::info,
                    shown + " is display " + number + " of '" + printable(host.empty() ? protocol : host) +
                        "' over the network (ssh -X forwarding, or a remote X server): whether it answers was "
                        "not checked",
                    "if programs cannot open it, check the ssh forwarding (ssh -X) or that server (xset q asks "
                    "it)");
        return;
    }
    const std::string name = "/tmp/.X11-unix/X" + number;
    const std::string file = under_root(root, name);
    const socket_facts on_disk = P::probe_unix_socket(file, false);
    if (on_disk.state == socket_state::listening) return;
    const socket_facts abstract = P::probe_unix_socket(name, true);
    if (abstract.state == socket_state::listening) return;
    add_finding(r.findings, "display-not-listening", severity::warning,
                shown + " names X display " + number + ", but no X server answers: '" + printable(file) + "' " +
                    socket_problem(on_disk) +
                    (abstract.state == socket_state::unsupported
                         ? std::string()
                         : ", and nothing listens on the abstract socket '@" + name + "'"),
                "start the X server of display " + number + " (Xvfb :" + number +
                    " for one without a screen), or set DISPLAY to a display that runs (each has a socket in "
                    "/tmp/.X11-unix)");
}

template <class P>
void judge_runtime_dir(const env_view<P>& env, report& r) {
    const auto dir = env.get("XDG_RUNTIME_DIR");
    const std::string uid = std::to_string(r.uid);
    const std::string make_one = "log in through the session manager (systemd-logind or elogind creates /run/user/" +
                                 uid +
                                 " and sets it), or set XDG_RUNTIME_DIR to a directory of your own with mode 0700";
    if (!dir || dir->empty()) {
        if (env.has("DISPLAY") || env.has("WAYLAND_DISPLAY"))
            add_finding(r.findings, "runtime-dir-missing", severity::warning,
                        "XDG_RUNTIME_DIR is not set: Wayland, D-Bus, PipeWire and other desktop services keep "
                        "their sockets there",
                        make_one);
        return;
    }
    const std::string shown = "XDG_RUNTIME_DIR='" + printable(*dir) + "'";
    if ((*dir)[0] != '/') {
        add_finding(r.findings, "runtime-dir-missing", severity::warning,
                    shown + " is not an absolute path: the XDG Base Directory specification says to ignore it",
                    make_one);
        return;
    }
    const owner_facts o = P::inspect_owner(*dir);
    if (!o.exists || !o.directory) {
        add_finding(r.findings, "runtime-dir-missing", severity::warning,
                    shown + (o.exists ? " is not a directory" : " does not exist"), make_one);
    } else if (r.uid >= 0 && o.owner != r.uid) {
        add_finding(r.findings, "runtime-dir-not-owned", severity::warning,
                    shown + " belongs to uid " + std::to_string(o.owner) + ", not to this user (uid " + uid +
                        "): programs cannot create their sockets in it, and the XDG Base Directory specification "
                        "requires the user's own (su and sudo keep the other user's)",
                    "set XDG_RUNTIME_DIR to this user's own (/run/user/" + uid +
                        " where it exists), or start a login session as this user (su -l, machinectl shell) "
                        "instead of su or sudo");
    } else if ((o.mode & 0777) != 0700) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", o.mode);
        add_finding(r.findings, "runtime-dir-mode", severity::warning,
                    shown + " has mode " + mode +
                        ": the XDG Base Directory specification requires 0700 (only its owner may use it)",
                    "chmod 0700 '" + printable(*dir) + "'");
    }
}

template <class P>
void judge_wayland_display(const env_view<P>& env, report& r) {
    if (!env.has("WAYLAND_DISPLAY")) return;
    const std::string name = *env.get("WAYLAND_DISPLAY");
    const std::string shown = "WAYLAND_DISPLAY='" + printable(name) + "'";
    const char* remedy =
        "start the program from the Wayland session (with its WAYLAND_DISPLAY and XDG_RUNTIME_DIR), or unset "
        "WAYLAND_DISPLAY so that toolkits use X11 (DISPLAY)";
    std::string socket = name;
    if (name[0] != '/') {  // a name under XDG_RUNTIME_DIR; libwayland takes an absolute path as it is
        const auto runtime = env.get("XDG_RUNTIME_DIR");
        if (!runtime || runtime->empty() || (*runtime)[0] != '/') {
            add_finding(r.findings, "wayland-not-listening", severity::warning,
                        shown +
                            " is a socket in XDG_RUNTIME_DIR, which is not set (or not absolute): no Wayland "
                            "program can find it",
                        remedy);
            return;
        }
        socket = *runtime + (runtime->back() == '/' ? "" : "/") + name;
    }
    const socket_facts s = P::probe_unix_socket(socket, false);
    if (s.state == socket_state::listening || s.state == socket_state::unsupported) return;
    add_finding(r.findings, "wayland-not-listening", severity::warning,
                shown + " names no Wayland compositor that answers: '" + printable(socket) + "' " + socket_problem(s),
                remedy);
}

/// A D-Bus address value with its %XX escapes undone.
inline std::string dbus_unescape(std::string_view v) {
    const auto digit = [](char c) {
        return c >= '0' && c <= '9'   ? c - '0'
               : c >= 'a' && c <= 'f' ? c - 'a' + 10
               : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                      : -1;
    };
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (v[i] == '%' && i + 2 < v.size() && digit(v[i + 1]) >= 0 && digit(v[i + 2]) >= 0) {
            out += static_cast<char>(digit(v[i + 1]) * 16 + digit(v[i + 2]));
            i += 2;
        } else {
            out += v[i];
        }
    }
    return out;
}

template <class P>
void judge_dbus_address(const env_view<P>& env, report& r) {
    const auto address = env.get("DBUS_SESSION_BUS_ADDRESS");
    if (!address || address->empty()) {
        // Unset: the bus is $XDG_RUNTIME_DIR/bus. Missing is no-dbus-session's; one that refuses is here.
        const auto runtime = env.get("XDG_RUNTIME_DIR");
        if (!runtime || runtime->empty() || (*runtime)[0] != '/') return;
        const std::string bus = *runtime + (runtime->back() == '/' ? "bus" : "/bus");
        const socket_facts s = P::probe_unix_socket(bus, false);
        if (s.state == socket_state::refused || s.state == socket_state::no_access || s.state == socket_state::failed)
            add_finding(
                r.findings, "dbus-not-answering", severity::warning,
                "the session bus '" + printable(bus) + "' (DBUS_SESSION_BUS_ADDRESS is not set) " + socket_problem(s),
                "restart the session bus (systemctl --user restart dbus), or log in again");
        return;
    }
    // Each address in turn, as libdbus tries them; one that answers is enough.
    std::vector<std::string> failed, unchecked;
    for (const auto& one : split_list(*address, ';')) {
        if (one.empty()) continue;
        const auto colon = one.find(':');
        std::optional<std::string> path, abstract;
        if (colon != std::string::npos && one.compare(0, colon, "unix") == 0) {
            for (const auto& kv : split_list(std::string_view(one).substr(colon + 1), ',')) {
                const auto eq = kv.find('=');
                if (eq == std::string::npos) continue;
                if (kv.compare(0, eq, "path") == 0) path = dbus_unescape(kv.substr(eq + 1));
                if (kv.compare(0, eq, "abstract") == 0) abstract = dbus_unescape(kv.substr(eq + 1));
            }
        }
        if (!path && !abstract) {  // tcp:, launchd:, autolaunch:, unix:runtime=yes (a server's), ...
            unchecked.push_back(one);
            continue;
        }
        const socket_facts s = P::probe_unix_socket(path ? *path : *abstract, !path);
        if (s.state == socket_state::listening) return;
        if (s.state == socket_state::unsupported)
            unchecked.push_back(one);
        else
            failed.push_back(
                (path ? "'" + printable(*path) + "' " : "the abstract socket '@" + printable(*abstract) + "' ") +
                socket_problem(s));
    }
    const std::string shown = "DBUS_SESSION_BUS_ADDRESS='" + printable(*address) + "'";
    if (!failed.empty())
        add_finding(r.findings, "dbus-not-answering", severity::warning,
                    shown + " does not answer: " + join(failed, "; ") +
                        (unchecked.empty() ? "" : " (its other addresses were not checked)"),
                    "start the program from the desktop session (this address is stale: that session ended, or "
                    "it is another user's), or unset DBUS_SESSION_BUS_ADDRESS so that $XDG_RUNTIME_DIR/bus is used");
    else if (!unchecked.empty())
        add_finding(r.findings, "dbus-not-checked", severity::info,
                    shown + " was not checked: only unix:path= and unix:abstract= addresses are",
                    "if D-Bus calls fail, ask the bus: dbus-send --session --print-reply --dest=org.freedesktop.DBus "
                    "/ org.freedesktop.DBus.GetId");
}

/// The session faults above, where the desktop is X11 or Wayland.
template <class P>
void judge_session_faults(const env_view<P>& env, const std::string& root, report& r) {
    if constexpr (P::unix_session) {
        judge_x11_display<P>(env, root, r);
        judge_runtime_dir<P>(env, r);
        judge_wayland_display<P>(env, r);
        judge_dbus_address<P>(env, r);
    } else {
        (void)env, (void)root, (void)r;
    }
}

/// Issue 15: names that are not UTF-8 (a GBK or Shift_JIS file name on a UTF-8 system). Text
/// output shows their bad bytes as \xNN, JSON carries their bytes in a *_hex field; this says
/// so, and what the name reads as in the legacy encodings (where the platform can decode them).
template <class P>
void judge_names(report& r) {
    std::vector<std::pair<std::string, std::string>> names;  // role, name
    names.emplace_back("the current directory", r.cwd);
    for (const auto& e : r.path)
        names.emplace_back("PATH entry", e.dir);
    if (r.program) {
        const auto& pf = *r.program;
        names.emplace_back("the program", pf.resolved.empty() ? pf.program : pf.resolved);
        names.emplace_back("its interpreter", pf.interpreter);
        names.emplace_back("its working directory", pf.cwd);
    }
    std::vector<std::string> seen;
    for (const auto& n : names) {
        const std::string& name = n.second;
        if (name.empty() || valid_utf8(name) || std::find(seen.begin(), seen.end(), name) != seen.end()) continue;
        seen.push_back(name);
        std::string what =
            n.first + " '" + printable(name) + "' is not valid UTF-8 (the bytes that are not UTF-8 are shown as \\xNN)";
        const auto readings = P::legacy_readings(name);
        for (std::size_t i = 0; i < readings.size(); ++i)
            what += (i == 0 ? "; it reads as '" : ", '") + printable(readings[i].second) + "' in " + readings[i].first;
        add_finding(r.findings, "non-utf8-name", severity::info, std::move(what),
                    "rename it to UTF-8 (convmv -f ENCODING -t utf8 --notest NAME, with the encoding it reads "
                    "right in), or give it by its exact bytes (to_json() carries them as hex in the *_hex "
                    "fields)");
    }
}

/// A Windows path at `s[at]` ("C:\\bin", "C:/bin"): a drive letter, a colon and a separator,
/// at the start of a PATH entry of either kind.
inline bool windows_path_at(std::string_view s, std::size_t at) noexcept {
    const char c = s.size() > at + 2 ? s[at] : '\0';
    return ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) && s[at + 1] == ':' &&
           (s[at + 2] == '\\' || s[at + 2] == '/') && (at == 0 || s[at - 1] == ':' || s[at - 1] == ';');
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
    // A PATH written for Windows, read where ':' separates: ';' joins entries into one, and
    // "C:\bin" splits into "C" and "\bin". Each is named once, as what it is.
    const bool colon_list = P::path_list_separator == ':';
    const bool semicolons = colon_list && path->find(';') != std::string::npos;
    std::vector<std::string> windows_entries;
    for (std::size_t at = 0; colon_list && at < path->size(); ++at) {
        if (!windows_path_at(*path, at)) continue;
        std::size_t end = path->find(';', at);
        if (!semicolons) end = path->find(':', at + 2);
        windows_entries.push_back(path->substr(at, end == std::string::npos ? std::string::npos : end - at));
    }
    if (semicolons) {
        std::string fixed = *path;
        std::replace(fixed.begin(), fixed.end(), ';', ':');
        add_finding(r.findings, "path-semicolons", severity::warning,
                    "PATH '" + printable(*path) +
                        "' separates entries with ';' (as on Windows): here only ':' does, so each run of entries "
                        "joined by ';' is looked up as one directory, which does not exist",
                    windows_entries.empty() ? "separate the entries with ':' (PATH='" + printable(fixed) + "')"
                                            : std::string("separate the entries with ':', and give directories of "
                                                          "this system"));
    }
    if (!windows_entries.empty())
        add_finding(r.findings, "path-windows-entry", severity::warning,
                    "PATH has Windows directories ('" + printable(join(windows_entries, "', '")) +
                        "'): they mean nothing here (a PATH copied from Windows, or split at the drive letter's ':')",
                    "remove them, or give the same directories as this system sees them (under WSL: /mnt/c/...)");
    const auto home = env.get("HOME");
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
        // Explained above: an entry with ';' in it, or a piece of a Windows path.
        const bool windows_piece =
            (semicolons && dir.find(';') != std::string::npos) ||
            (!windows_entries.empty() && colon_list && (dir.find('\\') != std::string::npos || dir.size() == 1));
        if (e.empty)
            add_finding(r.findings, "empty-path-entry", severity::warning,
                        "PATH has an empty entry, which many programs take as the current directory",
                        "remove the empty entry (a leading, trailing or doubled '" +
                            std::string(1, P::path_list_separator) + "')");
        else if (windows_piece && !e.exists) {
            // named by path-semicolons or path-windows-entry
        } else if (colon_list && dir[0] == '~') {
            const bool own = dir.size() == 1 || dir[1] == '/';  // "~/bin", not "~alice/bin"
            add_finding(r.findings, "path-tilde", severity::warning,
                        "PATH entry '" + printable(dir) +
                            "' begins with a literal '~': the shell did not expand it (it was quoted, as in "
                            "PATH=\"~/bin:$PATH\"), so nothing is found there",
                        own ? "write $HOME for the ~ (PATH=\"$HOME" + printable(dir.substr(1)) + ":$PATH\"" +
                                  (home && !home->empty() ? "; here '" + printable(*home + dir.substr(1)) + "'" : "") +
                                  ")"
                            : std::string("write the directory out in full"));
        } else if (e.relative)
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
/// Windows: the DLLs it imports; elsewhere P::missing_libraries() cannot tell). A program in
/// the loader's secure mode (`secure`: set-ID, file capabilities) gets no LD_LIBRARY_PATH.
template <class P>
void judge_libraries(const std::string& program, const child_environment& env, bool secure, program_facts& pf,
                     std::vector<finding>& out) {
    const auto missing =
        P::missing_libraries(program, [&](std::string_view name) { return child_env_value<P>(env, name); }, secure);
    for (const missing_library& m : missing) {
        pf.missing_libraries.push_back(m.name);
        std::string what = "'" + printable(program) + "' needs the shared library '" + printable(m.name) + "'";
        if (m.needed_by != program) what += " (through '" + printable(m.needed_by) + "')";
        std::vector<std::string> shown(
            m.searched.begin(),
            m.searched.begin() + std::min<std::ptrdiff_t>(12, static_cast<std::ptrdiff_t>(m.searched.size())));
        if (m.searched.size() > shown.size())
            shown.push_back("and " + std::to_string(m.searched.size() - shown.size()) + " more");
        what += ", which the loader does not find (searched " +
                (shown.empty() ? std::string("nothing") : printable(join(shown, ", "))) + ")";
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
                                         : "its interpreter's last argument ends in a carriage return"),
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
                // The loader's secure mode (set-user-ID, set-group-ID, file capabilities)
                // ignores LD_LIBRARY_PATH.
                judge_libraries<P>(resolved, env,
                                   f.setuid ||
                                       (!f.mode.empty() && (std::strtoul(f.mode.c_str(), nullptr, 8) & 02000)) ||
                                       !f.capabilities.empty(),
                                   pf, out);
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
                                                : printable(join(s.searched, std::string(1, P::path_list_separator)))) +
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
    judge_session_faults(env, opt.root, r);
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
