// liftoff/platform/freedesktop/session.hpp: the Linux/BSD opener decision. A probe gathers the
// facts of the session (display, Flatpak, Snap, WSL, $BROWSER, the tools in PATH) from an
// injectable root directory and the platform's environment, and one pure function picks the
// opener from them, so every branch is tested on any OS with faked facts.
// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>     // std::size_t
#include <filesystem>  // a $BROWSER program's real name
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "../../detail/file.hpp"
#include "../../detail/browser_env.hpp"
#include "../../detail/text.hpp"
#include "../../error.hpp"
#include "../../detail/open_request.hpp"
#include "../../detail/search.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

/// Everything the choice of an opener depends on.
struct session_facts {
    bool display = false;                      ///< DISPLAY or WAYLAND_DISPLAY is non-empty
    bool flatpak = false;                      ///< /.flatpak-info or $XDG_RUNTIME_DIR/flatpak-info
    bool snap = false;                         ///< $SNAP is set
    bool wsl = false;                          ///< WSLInterop, or "microsoft" in the kernel release; not in a container
    bool container = false;                    ///< /.dockerenv, /run/.containerenv or $container
    bool session_bus = false;                  ///< $DBUS_SESSION_BUS_ADDRESS or $XDG_RUNTIME_DIR/bus
    std::optional<std::string> browser;        ///< $BROWSER as set
    std::vector<browser_entry> browsers;       ///< its entries
    std::vector<std::string> browser_paths;    ///< each entry's program, found ("" where not)
    std::vector<bool> browser_powershell;      ///< each entry's program hands its URL to PowerShell
    std::string wsl_distro;                    ///< $WSL_DISTRO_NAME
    std::string wsl_mount_root = "/mnt/";      ///< where Windows drives are mounted (/etc/wsl.conf)
    std::map<std::string, std::string> tools;  ///< tool name -> absolute path, for those in PATH
    std::string searched;                      ///< the PATH searched, for messages
    std::vector<std::string> data_dirs;        ///< $XDG_DATA_HOME, then $XDG_DATA_DIRS (absolute only)

    const std::string* tool(const std::string& name) const {
        const auto it = tools.find(name);
        return it == tools.end() ? nullptr : &it->second;
    }
};

/// The tools the Linux/BSD strategy may use, in the order they are looked for.
inline const std::vector<std::string>& freedesktop_tool_names() {
    static const std::vector<std::string> names{"xdg-open", "gio",   "kde-open",  "kde-open6",   "kde-open5",
                                                "wslview",  "gdbus", "dbus-send", "explorer.exe"};
    return names;
}

/// Programs known to hand their argument to PowerShell, by file name: wslu's wslview (inside a
/// quoted string, in the releases we have read), wsl-open (Start-Process) and PowerShell itself.
inline bool is_powershell_front(std::string_view path) noexcept {
    const std::string_view name = path.substr(path.find_last_of('/') + 1);
    for (const char* front : {"wslview", "wsl-open", "powershell.exe", "pwsh.exe", "powershell", "pwsh"})
        if (iequals(name, front)) return true;
    return false;
}

inline bool read_small_file(const std::string& path, std::string& out) {
    return read_file_prefix(path, out, 4096);
}

inline bool contains_ignoring_case(std::string_view hay, std::string_view needle) {
    for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i)
        if (iequals(hay.substr(i, needle.size()), needle)) return true;
    return false;
}

/// The [automount] root of /etc/wsl.conf, or "/mnt/".
inline std::string wsl_mount_root_from(const std::string& conf) {
    std::string root = "/mnt/";
    bool in_automount = false;
    for (const auto& raw : split_list(conf, '\n')) {
        std::string line = raw;
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
            line.pop_back();
        const auto first = line.find_first_not_of(" \t");
        if (first == std::string::npos || line[first] == '#') continue;
        line = line.substr(first);
        if (line.front() == '[') {
            in_automount = line == "[automount]";
            continue;
        }
        if (!in_automount) continue;
        const auto eq = line.find('=');
        if (eq == std::string::npos) continue;
        std::string key = line.substr(0, eq), value = line.substr(eq + 1);
        while (!key.empty() && (key.back() == ' ' || key.back() == '\t'))
            key.pop_back();
        const auto v = value.find_first_not_of(" \t");
        value = v == std::string::npos ? "" : value.substr(v);
        if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front())
            value = value.substr(1, value.size() - 2);
        if (key == "root" && !value.empty() && value.front() == '/') root = value.back() == '/' ? value : value + "/";
    }
    return root;
}

/// Gathers the facts: files are read under `root` ("" for the real system), the environment
/// and PATH through P (so a test platform can fake them).
template <class P>
session_facts gather_session_facts(const std::string& root) {
    session_facts f;
    auto env = [](const char* name) { return P::get_env(name); };
    auto non_empty = [&](const char* name) {
        const auto v = env(name);
        return v && !v->empty();
    };
    auto exists = [&](const std::string& path) { return P::probe_file(root + path).exists; };

    f.display = non_empty("DISPLAY") || non_empty("WAYLAND_DISPLAY");
    const auto runtime = env("XDG_RUNTIME_DIR");
    const bool runtime_ok = runtime && P::is_absolute(*runtime);
    f.flatpak = exists("/.flatpak-info") || (runtime_ok && exists(*runtime + "/flatpak-info"));
    f.snap = non_empty("SNAP");
    f.container = exists("/.dockerenv") || exists("/run/.containerenv") || non_empty("container");
    std::string release;
    read_small_file(root + "/proc/sys/kernel/osrelease", release);
    f.wsl =
        !f.container && (exists("/proc/sys/fs/binfmt_misc/WSLInterop") || contains_ignoring_case(release, "microsoft"));
    if (f.wsl) {
        std::string conf;
        if (read_small_file(root + "/etc/wsl.conf", conf)) f.wsl_mount_root = wsl_mount_root_from(conf);
        if (const auto d = env("WSL_DISTRO_NAME")) f.wsl_distro = *d;
    }
    f.session_bus = non_empty("DBUS_SESSION_BUS_ADDRESS") || (runtime_ok && exists(*runtime + "/bus"));

    const auto path = env("PATH");
    f.searched = path ? *path : P::default_path();
    for (const auto& name : freedesktop_tool_names()) {
        auto s = search_path_list<P>(name, f.searched);
        if (!s.found.empty()) f.tools[name] = std::move(s.found);
    }

    f.browser = env("BROWSER");
    if (f.browser) {
        f.browsers = parse_browser_list(*f.browser);
        for (const auto& b : f.browsers) {
            const std::string& prog = b.words.front();
            std::string found;
            if (P::has_directory_part(prog)) {
                const std::string full = P::make_absolute(prog);
                const auto probe = P::probe_file(full);
                if (probe.regular && probe.executable) found = full;
            } else {
                found = search_path_list<P>(prog, f.searched).found;
            }
            // By the name given, and by the file it leads to (a symlink named "browser").
            std::error_code ec;
            const auto real =
                found.empty() ? std::filesystem::path() : std::filesystem::canonical(P::to_path(found), ec);
            f.browser_powershell.push_back(is_powershell_front(prog) ||
                                           (!ec && is_powershell_front(path_arg::utf8(real.filename()))));
            f.browser_paths.push_back(std::move(found));
        }
    }

    // XDG Base Directory: empty or unset means the default; relative entries are ignored.
    const auto data_home = env("XDG_DATA_HOME");
    const auto home = env("HOME");
    if (data_home && P::is_absolute(*data_home))
        f.data_dirs.push_back(*data_home);
    else if (home && P::is_absolute(*home))
        f.data_dirs.push_back(*home + "/.local/share");
    const auto data_dirs = env("XDG_DATA_DIRS");
    for (const auto& d : split_list(data_dirs && !data_dirs->empty() ? *data_dirs : "/usr/local/share:/usr/share", ':'))
        if (P::is_absolute(d)) f.data_dirs.push_back(d);
    return f;
}

enum class opener_tool { none, xdg_open, gio, kde_open, browser, wslview, explorer, gdbus, dbus_send };

/// wslview hands its argument to PowerShell inside a quoted string (in the wslu releases we have
/// read), where `$(...)`, `$name` and a backtick expand and a quote ends the string.
inline bool powershell_would_expand(std::string_view target) noexcept {
    return target.find_first_of("$`'\"") != std::string_view::npos;
}

/// Whether a route through `tool` may end in PowerShell: wslview; a $BROWSER entry whose program
/// is a PowerShell front (is_powershell_front); and on WSL a Linux opener when wslview is
/// installed or $BROWSER names such a front, because xdg-open's generic mode hands URLs to
/// $BROWSER and `wslview --reg-as-browser` makes itself the x-scheme-handler of http(s).
inline bool may_reach_powershell(const session_facts& f, opener_tool tool, std::size_t browser = 0) {
    bool browser_front = false;
    for (const bool b : f.browser_powershell)
        browser_front = browser_front || b;
    switch (tool) {
    case opener_tool::wslview: return true;
    case opener_tool::browser: return browser < f.browser_powershell.size() && f.browser_powershell[browser];
    case opener_tool::xdg_open:
    case opener_tool::gio:
    case opener_tool::kde_open: return f.wsl && (f.tool("wslview") != nullptr || browser_front);
    default: return false;
    }
}

/// What choose_opener() decided: a tool, or why there is none.
struct opener_choice {
    opener_tool tool = opener_tool::none;
    std::string path;          ///< the tool's absolute path
    std::size_t browser = 0;   ///< for opener_tool::browser: which $BROWSER entry
    bool terminal = false;     ///< a $BROWSER used without a graphical session gets the terminal
    errc refusal{};            ///< for opener_tool::none
    std::string what, remedy;  ///< for opener_tool::none
};

/// Picks how to open a URL (`scheme` given), a local path (kind path) or to reveal one.
///
/// The order, and why:
/// 1. WSL (not in a container): the Windows side owns the user's browser and files, so
///    `wslview` (wslu), else `explorer.exe`; never cmd.exe or PowerShell, which re-parse their
///    command line. Without either, on to the Linux openers (WSLg has a display).
/// 2. Flatpak or Snap: the sandbox's own `xdg-open` forwards to the host through the portal
///    (or snapd), the only way out of the sandbox; it needs no display of its own.
/// 3. A graphical session: `xdg-open` first (the freedesktop dispatcher: it defers to the
///    desktop's own tool and mimeapps.list, and its exit codes say what went wrong), then
///    `gio open` (GLib, present wherever GTK is), then `kde-open` (KDE only).
/// 4. For http(s) only, $BROWSER: its first entry whose program is in PATH. Without a display
///    it gets the terminal (a text browser such as w3m).
/// 5. Otherwise: no_graphical_session without a display, no_opener with one.
/// Reveal: ShowItems of org.freedesktop.FileManager1 through `gdbus` or `dbus-send` when there
/// is a session bus (not inside Flatpak, whose sandbox hides the file manager); the caller
/// falls back to opening the folder (kind path).
/// The PowerShell guard, here and nowhere else: a `target` PowerShell would expand
/// (powershell_would_expand) is never given to a route that may end in PowerShell
/// (may_reach_powershell), whichever step would pick it; when only such routes are left, the
/// choice is errc::unsupported, naming them.
inline opener_choice choose_opener(const session_facts& f, open_kind kind, std::string_view scheme = {},
                                   std::string_view target = {}) {
    opener_choice c;
    const bool expands = powershell_would_expand(target);
    std::vector<std::string> shunned;  // routes the guard kept the target from
    auto guarded = [&](opener_tool t, const std::string& name, std::size_t browser = 0) {
        if (!expands || !may_reach_powershell(f, t, browser)) return false;
        shunned.push_back("'" + printable(name) + "'");
        return true;
    };
    auto pick = [&](opener_tool t, const char* name) {
        if (const auto* p = f.tool(name)) {
            if (guarded(t, name)) return false;
            c.tool = t;
            c.path = *p;
            return true;
        }
        return false;
    };
    const bool web = kind == open_kind::url && (iequals(scheme, "http") || iequals(scheme, "https"));

    if (f.wsl) {
        if (kind == open_kind::reveal) {
            if (pick(opener_tool::explorer, "explorer.exe")) return c;
        } else if (pick(opener_tool::wslview, "wslview") || pick(opener_tool::explorer, "explorer.exe")) {
            return c;
        }
    }
    const bool sandbox = f.flatpak || f.snap;
    if (kind == open_kind::reveal && (f.display || sandbox) && f.session_bus && !f.flatpak) {
        if (pick(opener_tool::gdbus, "gdbus") || pick(opener_tool::dbus_send, "dbus-send")) return c;
    }
    if (kind == open_kind::reveal) kind = open_kind::path;  // the caller opens the folder
    if (sandbox && pick(opener_tool::xdg_open, "xdg-open")) return c;
    if (f.display) {
        if (pick(opener_tool::xdg_open, "xdg-open") || pick(opener_tool::gio, "gio") ||
            pick(opener_tool::kde_open, "kde-open") || pick(opener_tool::kde_open, "kde-open6") ||
            pick(opener_tool::kde_open, "kde-open5"))
            return c;
    }
    std::vector<std::string> missing_browsers;
    if (web) {
        for (std::size_t i = 0; i < f.browsers.size(); ++i) {
            const std::string& prog = f.browsers[i].words.front();
            const bool self =
                prog == "xdg-open" || (prog.size() > 9 && prog.compare(prog.size() - 9, 9, "/xdg-open") == 0);
            if (!f.browser_paths[i].empty() && !self) {
                if (guarded(opener_tool::browser, "$BROWSER's " + prog, i)) continue;
                c.tool = opener_tool::browser;
                c.path = f.browser_paths[i];
                c.browser = i;
                c.terminal = !f.display;
                return c;
            }
            missing_browsers.push_back("'" + printable(prog) + "'");
        }
    }
    if (!shunned.empty()) {
        c.refusal = errc::unsupported;
        c.what =
            "it holds '$', a backtick or a quote, which PowerShell would expand or end a string at, and the "
            "openers here may hand it to PowerShell (" +
            join(shunned, ", ") + ")";
        c.remedy =
            "put explorer.exe in PATH (WSL's appendWindowsPath), or percent-encode those characters in a URL "
            "(%24 %60 %27 %22); nothing was run";
        return c;
    }
    std::string browser_note;
    if (web && f.browser && !missing_browsers.empty())
        browser_note = "; $BROWSER names " + join(missing_browsers, ", ") + ", none of them in PATH";
    if (!f.display) {
        c.refusal = errc::no_graphical_session;
        c.what = "there is no graphical session (DISPLAY and WAYLAND_DISPLAY are unset or empty)" + browser_note;
        c.remedy = web ? "run it from a desktop session, or set BROWSER to a program that can show it here (such "
                         "as BROWSER=w3m for a terminal); nothing was run"
                       : "run it from a desktop session (nothing was run)";
        return c;
    }
    c.refusal = errc::no_opener;
    c.what = "no opener program was found: xdg-open, gio and kde-open are not in PATH (searched " +
             printable(f.searched) + ")" + browser_note;
    c.remedy = web ? "install xdg-utils, or set BROWSER (nothing was run)" : "install xdg-utils (nothing was run)";
    return c;
}

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
