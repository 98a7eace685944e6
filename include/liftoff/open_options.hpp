// liftoff/open_options.hpp: open_options (how the openers go about it) and open_plan (what one
// would do).
// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "command.hpp"

namespace liftoff {
inline namespace v0 {

/// How open_url(), open_path(), open_with() and reveal() go about it.
struct open_options {
    /// Wait this long for the opener's verdict (0: don't wait; the opener is released at once).
    std::chrono::milliseconds confirm{3000};
    /// Wait until the opened application exits, where the OS can (macOS `open -W`; on Linux the
    /// opener program is waited for, which xdg-open's generic mode and open_with's direct launch
    /// make the application itself; on Windows the process ShellExecuteExW started, if any).
    bool wait = false;
    /// Don't bring it to the front, where the OS can (macOS `open -g`; Windows SW_SHOWNOACTIVATE).
    bool background = false;
    /// A new instance even if the application runs already, where the OS can (macOS `open -n`).
    bool new_instance = false;
    /// Extra arguments for open_with()'s application, before the targets.
    std::vector<std::string> app_args;
    /// open_url() (and open_with()'s URL targets) refuse other schemes; compared ignoring case.
    std::vector<std::string> allowed_schemes{"http", "https", "mailto"};
    /// open_path() refuses programs, scripts and launchers (.desktop, .lnk, .app ...) unless set.
    bool allow_executables = false;
    /// open_url() (and open_with()'s URL targets) refuse a mailto: URL with an attach= or
    /// attachment= field (mail clients have attached local files from them) unless set.
    bool allow_mail_attachments = false;

    // ---- added in 0.2: fallback applications (issue 14) ----
    /// open_url() and open_path() only: when the default handler is missing or fails (no_opener,
    /// no_handler, opener_failed; not a refused target, no graphical session, a user's cancel on
    /// Windows or inside Flatpak/Snap), these applications are tried in order, each as
    /// open_with(app, {target}, *this) would run it (app_args included), until one starts. Each
    /// name is checked before anything runs. When all fail, the error is the default handler's,
    /// its message naming each application and why it failed.
    std::vector<std::string> fallback_apps;
};

/// What an opener call would do, worked out without running anything.
struct open_plan {
    /// The exact program and argv where a program is launched (empty where the OS is asked
    /// directly, as ShellExecuteExW on Windows is).
    std::optional<command> launch;
    /// One line for people and logs, e.g. "/usr/bin/xdg-open 'https://example.com/?q=a&b=c'".
    std::string description;
    /// The opener chosen: "xdg-open", "gio", "kde-open", "$BROWSER", "wslview", "explorer.exe",
    /// "gdbus", "dbus-send", "open", "desktop entry", "program", "ShellExecuteExW".
    std::string opener;
};

}  // namespace v0
}  // namespace liftoff
