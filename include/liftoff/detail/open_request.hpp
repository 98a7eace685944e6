// liftoff/detail/open_request.hpp: what the portable opener code and each platform's opener
// strategy pass between them: the checked request, and the route of opener programs to run
// with the way to judge each one's verdict.
// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>  // std::size_t
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../command.hpp"
#include "../open_options.hpp"
#include "desktop_entry.hpp"  // exec_target
#include "text.hpp"
#include "windows_shell.hpp"  // shell_call

namespace liftoff {
inline namespace v0 {
namespace detail {

enum class open_kind { url, path, with, reveal };

/// A request after the portable checks: the URL is valid, the path absolute and present.
struct open_request {
    open_kind kind = open_kind::url;
    std::string target;                ///< the URL or the absolute path (url, path, reveal)
    std::string shown;                 ///< the target (or the app's first target) as the caller gave it, printable
    std::string app;                   ///< open_with's application as given
    std::vector<exec_target> targets;  ///< open_with's targets, checked
};

/// How an opener's exit is read.
enum class verdict {
    xdg_open,     ///< xdg-utils' exit codes: 1 syntax, 2 missing, 3 no handler, 4 failed
    gio,          ///< gio open: non-zero, with its message naming the cause
    exit_code,    ///< any other program: non-zero is a failure
    ignore_exit,  ///< explorer.exe: exits 1 even when it opened the thing
    show_items,   ///< a D-Bus ShowItems call: non-zero means no file manager answered
    darwin_open,  ///< macOS open(1): stderr names the LaunchServices error
};

/// One program to run, and how its verdict is read.
struct open_step {
    enum class when {
        first,     ///< the first step
        fallback,  ///< only if the steps before it failed (reveal: ShowItems, then the folder)
        also,      ///< as well, after the first succeeded (open_with: %f with several targets)
    };
    command cmd{std::string()};
    verdict judge = verdict::exit_code;
    std::string tool;  ///< the name used in messages
    when run = when::first;
    bool attended = false;  ///< waited for to the end, whatever confirm says (a text browser in the terminal)
};

struct open_route {
    std::vector<open_step> steps;
    std::string opener;
    std::string description;  ///< for a route with no steps (an OS call, such as ShellExecuteExW)
    shell_call shell;         ///< Windows: the ShellExecuteExW call a route with no steps makes
    /// Why open_options::fallback_apps must not follow a failure of this route ("": they may).
    /// Set even when routing fails.
    std::string no_fallback;
};

/// An argument as a POSIX shell would need it written, for descriptions only (never executed).
inline std::string shell_quote_for_display(std::string_view s) {
    bool plain = !s.empty();
    for (char c : s) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                        c == '-' || c == '.' || c == '/' || c == ':' || c == '=' || c == '@' || c == '%' || c == '+' ||
                        c == ',';
        plain = plain && ok;
    }
    if (plain) return std::string(s);
    std::string out = "'";
    for (char c : s) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    out += "'";
    return printable(out);
}

inline std::string describe_command(const command& cmd) {
    std::string out = shell_quote_for_display(cmd.program());
    for (const auto& a : cmd.arguments())
        out += " " + shell_quote_for_display(a);
    return out;
}

/// The public plan of a route: the first step's command, and every step in words.
inline open_plan plan_of(const open_route& r) {
    open_plan p;
    p.opener = r.opener;
    if (r.steps.empty()) return p;
    p.launch = r.steps.front().cmd;
    for (std::size_t i = 0; i < r.steps.size(); ++i) {
        const auto& s = r.steps[i];
        if (i != 0) p.description += s.run == open_step::when::fallback ? "; if that fails: " : "; then: ";
        p.description += describe_command(s.cmd);
    }
    return p;
}

/// An opener command: no stdin, no stdout, stderr captured (a little) for the message.
inline command opener_command(std::string program, std::vector<std::string> args) {
    command c{std::move(program), std::move(args)};
    c.stdin_from(io::null()).stdout_to(io::null()).stderr_to(io::capture(4096)).on_destroy(on_destroy::release);
    return c;
}

/// "(xdg-open said: ...)" from an opener's captured stderr, on one line and bounded.
inline std::string opener_said(const std::string& tool, std::string_view err) {
    while (!err.empty() && (err.back() == '\n' || err.back() == ' ' || err.back() == '\r'))
        err.remove_suffix(1);
    while (!err.empty() && (err.front() == '\n' || err.front() == ' '))
        err.remove_prefix(1);
    if (err.empty()) return {};
    std::string text = printable(err.substr(0, 300));
    if (err.size() > 300) text += "...";
    return " (" + tool + " said: " + text + ")";
}

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
