// liftoff/open.hpp: open_url(), open_path(), open_with(), reveal() and their plan_* twins. The
// portable half: check the URL or path before anything runs, ask the platform's opener
// strategy for the commands, launch them with the core, wait up to open_options::confirm for
// the opener's verdict and either report it or let the opener run on.
// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>  // path overloads; a symlink's target for the launcher check
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#include "child.hpp"
#include "command.hpp"
#include "detail/config.hpp"
#include "error.hpp"
#include "exit_status.hpp"
#include "launch.hpp"
#include "open_options.hpp"
#include "platform/select.hpp"
#include "report.hpp"
#if LIFTOFF_DETAIL_DEFINITIONS
#include "detail/desktop_entry.hpp"
#include "detail/text.hpp"
#include "detail/url.hpp"
#include "platform/darwin/opener.hpp"
#include "platform/freedesktop/opener.hpp"
#include "platform/windows/opener.hpp"
#endif

namespace liftoff {
inline namespace v0 {
#if LIFTOFF_DETAIL_DEFINITIONS
namespace detail {

/// The opener strategy of platform P: P::opener if it names one, else native_opener.
template <class P, class = void>
struct opener_of {
    using type = native_opener;
};
template <class P>
struct opener_of<P, std::void_t<typename P::opener>> {
    using type = typename P::opener;
};

/// A strategy that asks the OS directly instead of launching a program (Windows'
/// ShellExecuteExW) routes with no steps and supplies
/// `template <class P> static basic_child<P> execute(const open_request&, const open_route&,
/// const open_options&, failure&)`.
template <class S, class P, class = void>
struct has_execute : std::false_type {};
template <class S, class P>
struct has_execute<
    S, P,
    std::void_t<decltype(S::template execute<P>(std::declval<const open_request&>(), std::declval<const open_route&>(),
                                                std::declval<const open_options&>(), std::declval<failure&>()))>>
    : std::true_type {};

/// Whether P's file probe marks programs (POSIX: the mode bits) or only regular files (Windows,
/// where a program is known by its extension, which is_launcher_name() checks). Default: marks.
template <class P, class = void>
struct probe_marks_programs : std::true_type {};
template <class P>
struct probe_marks_programs<P, std::void_t<decltype(P::probe_marks_programs)>>
    : std::integral_constant<bool, P::probe_marks_programs> {};

/// True for a name whose extension makes opening it run something: programs, scripts and
/// launchers on any of the systems (a file copied from one to another keeps its danger).
/// Trailing dots and spaces are ignored, as Windows ignores them; case is ignored. A name that
/// is only an extension (".exe", ".desktop") is one too: Windows runs it by that extension, and
/// the shared-mime-info glob *.desktop matches it.
inline bool is_launcher_name(std::string_view name) {
    while (!name.empty() && (name.back() == '.' || name.back() == ' '))
        name.remove_suffix(1);
    const auto dot = name.rfind('.');
    if (dot == std::string_view::npos) return false;
    const std::string_view ext = name.substr(dot + 1);
    static const char* const launchers[] = {
        "desktop",  "exe",     "bat",  "cmd",      "com",         "lnk",       "url",
        "app",      "command", "tool", "terminal", "jar",         "jnlp",      "msi",
        "msp",      "scr",     "pif",  "cpl",      "hta",         "vbs",       "vbe",
        "js",       "jse",     "wsf",  "wsh",      "ps1",         "psm1",      "reg",
        "appimage", "scf",     "msc",  "inf",      "application", "appref-ms", "settingcontent-ms",
        "fileloc",  "run",     "mjs",  "gadget"};
    for (const char* l : launchers)
        if (iequals(ext, l)) return true;
    return false;
}

template <class P>
failure check_text(const std::string& shown, std::string_view text, const std::string& item) {
    if (find_nul(text) != std::string_view::npos)
        return make_open_failure(errc::invalid_argument, shown, item + " contains a NUL byte",
                                 "remove it: the OS cannot pass it on (nothing was run)");
    if (!P::valid_text(text))
        return make_open_failure(errc::encoding_error, shown, item + " is not valid UTF-8",
                                 "convert it to UTF-8 first (from_system_encoding() for ANSI text); nothing was run");
    return {};
}

/// `given` made absolute, or the failure when it cannot be: a relative path whose current
/// directory is gone would otherwise be passed on as given, and "-x" read as an option.
template <class P>
failure absolute_path(const std::string& given, const std::string& shown, std::string& abs) {
    abs = P::make_absolute(given);
    if (P::is_absolute(abs)) return {};
    return make_open_failure(errc::bad_working_directory, shown,
                             "the current directory no longer exists, so the relative path '" + printable(given) +
                                 "' cannot be made absolute",
                             "give an absolute path, or change to a directory that exists (nothing was run)");
}

/// open_path()'s and reveal()'s checks: the path exists (made absolute, so it cannot read as an
/// option) and, unless allowed or only revealed, is not a program or launcher.
template <class P>
failure check_local_path(const std::string& given, const open_options& opts, bool reveal, open_request& req) {
    req.shown = printable(given);
    if (given.empty())
        return make_open_failure(errc::invalid_argument, req.shown, "the path is empty",
                                 "give a file or directory (nothing was run)");
    if (auto bad = check_text<P>(req.shown, given, "the path")) return bad;
    std::string abs;
    if (auto gone = absolute_path<P>(given, req.shown, abs)) return gone;
    const std::string shown_abs = "'" + printable(abs) + "'";
    const auto probe = P::probe_file(abs);
    if (!probe.exists)
        return make_open_failure(errc::target_not_found, req.shown, shown_abs + " does not exist",
                                 "check the path (a relative one is taken from the current directory); nothing was run",
                                 {}, abs);
    req.target = abs;
    if (reveal || opts.allow_executables) return {};
    const std::string remedy =
        "launch() it to run it, open_with() an application to open it in, or set open_options::allow_executables "
        "(nothing was run)";
    if (probe_marks_programs<P>::value && probe.regular && probe.executable)
        return make_open_failure(errc::refused_executable, req.shown, shown_abs + " is a program (it is executable)",
                                 remedy, {}, abs);
    std::error_code ec;
    const auto real = std::filesystem::canonical(P::to_path(abs), ec);
    const std::string names[2] = {P::to_path(abs).filename().u8string(),
                                  ec ? std::string() : real.filename().u8string()};
    for (const auto& name : names) {
        // A directory is a launcher only as a macOS bundle (a folder "example.com" is a folder).
        const bool bundle = iequals(name.size() > 4 ? std::string_view(name).substr(name.size() - 4) : "", ".app");
        if (!name.empty() && is_launcher_name(name) && (probe.regular || bundle))
            return make_open_failure(
                errc::refused_executable, req.shown,
                shown_abs + " is a program or launcher ('" + printable(name) + "': opening it would run something)",
                remedy, {}, abs);
    }
    return {};
}

template <class P>
failure prepare_url(const std::string& url, const open_options& opts, open_request& req) {
    req.kind = open_kind::url;
    req.shown = printable(url);
    if (auto bad = check_text<P>(req.shown, url, "the URL")) return bad;
    if (auto bad = check_url(url, opts.allowed_schemes, opts.allow_mail_attachments)) return bad;
    req.target = with_lowercase_scheme(url);
    return {};
}

template <class P>
failure prepare_with(const std::string& app, const std::vector<std::string>& targets, const open_options& opts,
                     open_request& req) {
    req.kind = open_kind::with;
    req.app = app;
    req.shown = printable(targets.empty() ? app : targets.front());
    if (app.empty())
        return make_open_failure(errc::invalid_argument, req.shown, "the application name is empty",
                                 "name an application, a desktop id or a path (nothing was run)");
    if (auto bad = check_text<P>(req.shown, app, "the application name")) return bad;
    for (const auto& a : opts.app_args)
        if (auto bad = check_text<P>(req.shown, a, "an app_args entry ('" + printable(a) + "')")) return bad;
    for (const auto& t : targets) {
        const std::string shown = printable(t);
        if (t.empty())
            return make_open_failure(errc::invalid_argument, req.shown, "a target is empty",
                                     "give a file or a URL (nothing was run)");
        if (auto bad = check_text<P>(shown, t, "the target")) return bad;
        // "C:\x" is a path with a drive letter, not a URL with the scheme "c".
        if (url_scheme(t).size() > 1) {
            if (auto bad = check_url(t, opts.allowed_schemes, opts.allow_mail_attachments)) return bad;
            req.targets.push_back({with_lowercase_scheme(t), true});
        } else {
            std::string abs;
            if (auto gone = absolute_path<P>(t, req.shown, abs)) return gone;
            req.targets.push_back({std::move(abs), false});
        }
    }
    return {};
}

template <class P>
failure route_for(const open_request& req, const open_options& opts, open_route& route) {
    using S = typename opener_of<P>::type;
    return S::template route<P>(req, opts, route);
}

/// A core launch failure of an opener, worded for the target.
inline failure could_not_start(const open_request& req, const open_step& step, const failure& lf) {
    errc code = lf.code;
    if (code == errc::program_not_found)
        code = req.kind == open_kind::with ? errc::application_not_found : errc::no_opener;
    std::string what = lf.message;
    const std::string prefix = "liftoff: ";
    if (what.compare(0, prefix.size(), prefix) == 0) what.erase(0, prefix.size());
    failure f = open_failure(req, code, what, {});
    f.os_error = lf.os_error;
    f.path = lf.path;
    (void)step;
    return f;
}

/// Launches one step and reads its verdict within the confirmation time.
template <class P>
basic_child<P> run_step(const open_step& step, const open_request& req, const open_options& opts, failure& f) {
    using S = typename opener_of<P>::type;
    failure lf;
    auto c = launch_with<P>(step.cmd, stream_defaults::launch, lf);
    if (lf) {
        f = could_not_start(req, step, lf);
        return {};
    }
    auto& s = child_access::state(c);
    std::optional<exit_status> st;
    if (opts.wait || step.attended)
        st = s.observe(s.proc.wait());
    else if (opts.confirm.count() > 0)
        st = s.observe(s.proc.wait_for(opts.confirm));
    if (!st) return c;  // still running after `confirm`: it counts as launched
    {
        std::lock_guard<std::mutex> lock(s.streams_mutex);
        s.proc.settle_streams();
        s.streams_done = true;
    }
    std::string err;
    {
        auto& drain = s.proc.drain();
        std::lock_guard<std::mutex> lock(drain.lock());
        err = drain.sink(2).data();
    }
    f = S::judge(step, req, *st, err);
    if (f) return {};
    return c;
}

template <class P>
basic_child<P> execute(const open_request& req, const open_route& route, const open_options& opts, failure& f) {
    using S = typename opener_of<P>::type;
    if (route.steps.empty()) {
        if constexpr (has_execute<S, P>::value) {
            return S::template execute<P>(req, route, opts, f);
        } else {
            f = open_failure(req, errc::unsupported, "this system's opener runs no program and has no other way",
                             "report it");
            return {};
        }
    }
    basic_child<P> result;
    failure last;
    for (const auto& step : route.steps) {
        if (step.run == open_step::when::fallback && !last) continue;  // what came before worked
        if (step.run == open_step::when::also && last) break;
        failure sf;
        auto c = run_step<P>(step, req, opts, sf);
        if (sf) {
            last = std::move(sf);
            continue;
        }
        last = {};
        if (!result.valid()) result = std::move(c);  // others: released as they go
    }
    if (last) {
        f = std::move(last);
        return {};
    }
    return result;
}

template <class P, class Prepare>
basic_child<P> open_or_fail(Prepare&& prepare, const open_options& opts, failure& f) {
    open_request req;
    if ((f = prepare(req))) return {};
    open_route route;
    if ((f = route_for<P>(req, opts, route))) {
        explain_open_failure<P>(f);
        return {};
    }
    auto c = execute<P>(req, route, opts, f);
    if (f) explain_open_failure<P>(f);
    return c;
}

/// What an opener call would do; `explain` adds the findings behind a failure (diagnose() asks
/// for the plan itself and judges the session on its own).
template <class P, class Prepare>
open_plan plan_or_fail(Prepare&& prepare, const open_options& opts, failure& f, bool explain = true) {
    open_request req;
    if ((f = prepare(req))) return {};
    open_route route;
    if ((f = route_for<P>(req, opts, route))) {
        if (explain) explain_open_failure<P>(f);
        return {};
    }
    open_plan p = plan_of(route);
    if (route.steps.empty()) p.description = route.description;
    return p;
}

template <class P, class Prepare>
basic_child<P> open_throwing(Prepare&& prepare, const open_options& opts) {
    failure f;
    auto c = open_or_fail<P>(std::forward<Prepare>(prepare), opts, f);
    if (f) f.raise();
    return c;
}

template <class P, class Prepare>
basic_child<P> open_reporting(Prepare&& prepare, const open_options& opts, std::error_code& ec) noexcept {
    ec.clear();
    try {
        failure f;
        auto c = open_or_fail<P>(std::forward<Prepare>(prepare), opts, f);
        if (f) ec = make_error_code(f.code);
        return c;
    } catch (...) {
        ec = make_error_code(errc::resource_exhausted);  // allocation failed on the way
        return {};
    }
}

template <class P, class Prepare>
open_plan plan_throwing(Prepare&& prepare, const open_options& opts) {
    failure f;
    auto p = plan_or_fail<P>(std::forward<Prepare>(prepare), opts, f);
    if (f) f.raise();
    return p;
}

template <class P, class Prepare>
open_plan plan_reporting(Prepare&& prepare, const open_options& opts, std::error_code& ec) noexcept {
    ec.clear();
    try {
        failure f;
        auto p = plan_or_fail<P>(std::forward<Prepare>(prepare), opts, f);
        if (f) ec = make_error_code(f.code);
        return p;
    } catch (...) {
        ec = make_error_code(errc::resource_exhausted);
        return {};
    }
}

template <class P>
auto url_request(const std::string& url, const open_options& opts) {
    return [&url, &opts](open_request& req) { return prepare_url<P>(url, opts, req); };
}
template <class P>
auto path_request(const std::string& path, const open_options& opts, bool reveal) {
    return [&path, &opts, reveal](open_request& req) {
        req.kind = reveal ? open_kind::reveal : open_kind::path;
        return check_local_path<P>(path, opts, reveal, req);
    };
}
template <class P>
auto with_request(const std::string& app, const std::vector<std::string>& targets, const open_options& opts) {
    return [&app, &targets, &opts](open_request& req) { return prepare_with<P>(app, targets, opts, req); };
}

}  // namespace detail
#endif  // LIFTOFF_DETAIL_DEFINITIONS

// ---- platform-templated forms (tests instantiate them with their own platform) -------------

/// open_url() on platform P.
template <class P>
basic_child<P> basic_open_url(const std::string& url, const open_options& opts = {});
template <class P>
basic_child<P> basic_open_url(const std::string& url, const open_options& opts, std::error_code& ec) noexcept;
template <class P>
open_plan basic_plan_open_url(const std::string& url, const open_options& opts = {});
template <class P>
open_plan basic_plan_open_url(const std::string& url, const open_options& opts, std::error_code& ec) noexcept;
/// open_path() on platform P.
template <class P>
basic_child<P> basic_open_path(const std::string& path, const open_options& opts = {});
template <class P>
basic_child<P> basic_open_path(const std::string& path, const open_options& opts, std::error_code& ec) noexcept;
template <class P>
open_plan basic_plan_open_path(const std::string& path, const open_options& opts = {});
template <class P>
open_plan basic_plan_open_path(const std::string& path, const open_options& opts, std::error_code& ec) noexcept;
/// open_with() on platform P.
template <class P>
basic_child<P> basic_open_with(const std::string& app, const std::vector<std::string>& targets,
                               const open_options& opts = {});
template <class P>
basic_child<P> basic_open_with(const std::string& app, const std::vector<std::string>& targets,
                               const open_options& opts, std::error_code& ec) noexcept;
template <class P>
open_plan basic_plan_open_with(const std::string& app, const std::vector<std::string>& targets,
                               const open_options& opts = {});
template <class P>
open_plan basic_plan_open_with(const std::string& app, const std::vector<std::string>& targets,
                               const open_options& opts, std::error_code& ec) noexcept;
/// reveal() on platform P.
template <class P>
basic_child<P> basic_reveal(const std::string& path, const open_options& opts = {});
template <class P>
basic_child<P> basic_reveal(const std::string& path, const open_options& opts, std::error_code& ec) noexcept;
template <class P>
open_plan basic_plan_reveal(const std::string& path, const open_options& opts = {});
template <class P>
open_plan basic_plan_reveal(const std::string& path, const open_options& opts, std::error_code& ec) noexcept;

#if LIFTOFF_DETAIL_DEFINITIONS
template <class P>
basic_child<P> basic_open_url(const std::string& url, const open_options& opts) {
    return detail::open_throwing<P>(detail::url_request<P>(url, opts), opts);
}
template <class P>
basic_child<P> basic_open_url(const std::string& url, const open_options& opts, std::error_code& ec) noexcept {
    return detail::open_reporting<P>(detail::url_request<P>(url, opts), opts, ec);
}
template <class P>
open_plan basic_plan_open_url(const std::string& url, const open_options& opts) {
    return detail::plan_throwing<P>(detail::url_request<P>(url, opts), opts);
}
template <class P>
open_plan basic_plan_open_url(const std::string& url, const open_options& opts, std::error_code& ec) noexcept {
    return detail::plan_reporting<P>(detail::url_request<P>(url, opts), opts, ec);
}
template <class P>
basic_child<P> basic_open_path(const std::string& path, const open_options& opts) {
    return detail::open_throwing<P>(detail::path_request<P>(path, opts, false), opts);
}
template <class P>
basic_child<P> basic_open_path(const std::string& path, const open_options& opts, std::error_code& ec) noexcept {
    return detail::open_reporting<P>(detail::path_request<P>(path, opts, false), opts, ec);
}
template <class P>
open_plan basic_plan_open_path(const std::string& path, const open_options& opts) {
    return detail::plan_throwing<P>(detail::path_request<P>(path, opts, false), opts);
}
template <class P>
open_plan basic_plan_open_path(const std::string& path, const open_options& opts, std::error_code& ec) noexcept {
    return detail::plan_reporting<P>(detail::path_request<P>(path, opts, false), opts, ec);
}
template <class P>
basic_child<P> basic_open_with(const std::string& app, const std::vector<std::string>& targets,
                               const open_options& opts) {
    return detail::open_throwing<P>(detail::with_request<P>(app, targets, opts), opts);
}
template <class P>
basic_child<P> basic_open_with(const std::string& app, const std::vector<std::string>& targets,
                               const open_options& opts, std::error_code& ec) noexcept {
    return detail::open_reporting<P>(detail::with_request<P>(app, targets, opts), opts, ec);
}
template <class P>
open_plan basic_plan_open_with(const std::string& app, const std::vector<std::string>& targets,
                               const open_options& opts) {
    return detail::plan_throwing<P>(detail::with_request<P>(app, targets, opts), opts);
}
template <class P>
open_plan basic_plan_open_with(const std::string& app, const std::vector<std::string>& targets,
                               const open_options& opts, std::error_code& ec) noexcept {
    return detail::plan_reporting<P>(detail::with_request<P>(app, targets, opts), opts, ec);
}
template <class P>
basic_child<P> basic_reveal(const std::string& path, const open_options& opts) {
    return detail::open_throwing<P>(detail::path_request<P>(path, opts, true), opts);
}
template <class P>
basic_child<P> basic_reveal(const std::string& path, const open_options& opts, std::error_code& ec) noexcept {
    return detail::open_reporting<P>(detail::path_request<P>(path, opts, true), opts, ec);
}
template <class P>
open_plan basic_plan_reveal(const std::string& path, const open_options& opts) {
    return detail::plan_throwing<P>(detail::path_request<P>(path, opts, true), opts);
}
template <class P>
open_plan basic_plan_reveal(const std::string& path, const open_options& opts, std::error_code& ec) noexcept {
    return detail::plan_reporting<P>(detail::path_request<P>(path, opts, true), opts, ec);
}
#endif  // LIFTOFF_DETAIL_DEFINITIONS

// ---- the public functions ---------------------------------------------------------------------

/// Opens `url` in the user's default application for its scheme. The URL is checked first
/// (absolute, a scheme in opts.allowed_schemes, only RFC 3986 characters, never an option).
/// Waits up to opts.confirm for the opener's verdict; an opener still running then counts as
/// launched. The child owns the opener (if any) and its on_destroy is release. On Windows the
/// verdict is ShellExecuteExW's own, and the child owns the process it started; it is invalid
/// when there is none (the URL went to a running application, or through DDE).
/// Throws launch_error: unsafe_url, no_graphical_session, no_opener, no_handler, opener_failed ...
inline child open_url(const std::string& url, const open_options& opts = {}) {
    return basic_open_url<native_platform>(url, opts);
}
/// As open_url(url, opts); failure goes to `ec` (a liftoff::errc) and the child is invalid.
inline child open_url(const std::string& url, const open_options& opts, std::error_code& ec) noexcept {
    return basic_open_url<native_platform>(url, opts, ec);
}
/// What open_url(url, opts) would run, checked exactly as it checks, running nothing.
/// Throws launch_error for what open_url would refuse before running anything.
inline open_plan plan_open_url(const std::string& url, const open_options& opts = {}) {
    return basic_plan_open_url<native_platform>(url, opts);
}
/// As plan_open_url(url, opts); failure goes to `ec` and the plan is empty.
inline open_plan plan_open_url(const std::string& url, const open_options& opts, std::error_code& ec) noexcept {
    return basic_plan_open_url<native_platform>(url, opts, ec);
}

/// Opens a local file or directory in its default application. The path must exist
/// (target_not_found) and is made absolute; programs, scripts and launchers are refused
/// (refused_executable) unless opts.allow_executables. Otherwise as open_url().
inline child open_path(const std::string& path, const open_options& opts = {}) {
    return basic_open_path<native_platform>(path, opts);
}
inline child open_path(const char* path, const open_options& opts = {}) {
    return open_path(std::string(path), opts);
}
inline child open_path(const std::filesystem::path& path, const open_options& opts = {}) {
    return open_path(path.u8string(), opts);
}
/// As open_path(path, opts); failure goes to `ec` and the child is invalid.
inline child open_path(const std::string& path, const open_options& opts, std::error_code& ec) noexcept {
    return basic_open_path<native_platform>(path, opts, ec);
}
inline child open_path(const char* path, const open_options& opts, std::error_code& ec) noexcept {
    try {
        return open_path(std::string(path), opts, ec);
    } catch (...) {
        ec = make_error_code(errc::resource_exhausted);
        return {};
    }
}
inline child open_path(const std::filesystem::path& path, const open_options& opts, std::error_code& ec) noexcept {
    try {
        return open_path(path.u8string(), opts, ec);
    } catch (...) {
        ec = make_error_code(errc::resource_exhausted);
        return {};
    }
}
/// What open_path(path, opts) would run, running nothing.
inline open_plan plan_open_path(const std::string& path, const open_options& opts = {}) {
    return basic_plan_open_path<native_platform>(path, opts);
}
inline open_plan plan_open_path(const std::string& path, const open_options& opts, std::error_code& ec) noexcept {
    return basic_plan_open_path<native_platform>(path, opts, ec);
}

/// Opens `targets` (files, made absolute, or URLs, checked as open_url checks them) in the
/// application `app`: a path to a program or a .desktop file; a desktop id ("firefox",
/// "org.gnome.TextEditor.desktop") found in $XDG_DATA_HOME and $XDG_DATA_DIRS, its Exec run
/// per the Desktop Entry Specification; a program in PATH; on macOS an application name or
/// bundle id; on Windows a name registered in App Paths (HKCU, then HKLM), else a program in
/// PATH (with PATHEXT), run through ShellExecuteExW. opts.app_args go first, then the targets,
/// each one argument. Never a shell (a .bat/.cmd application gets launch()'s cmd.exe escaping).
/// Throws launch_error: application_not_found, unsupported (Terminal=true), opener_failed ...
inline child open_with(const std::string& app, const std::vector<std::string>& targets, const open_options& opts = {}) {
    return basic_open_with<native_platform>(app, targets, opts);
}
/// As open_with(app, targets, opts); failure goes to `ec` and the child is invalid.
inline child open_with(const std::string& app, const std::vector<std::string>& targets, const open_options& opts,
                       std::error_code& ec) noexcept {
    return basic_open_with<native_platform>(app, targets, opts, ec);
}
/// What open_with(app, targets, opts) would run, running nothing.
inline open_plan plan_open_with(const std::string& app, const std::vector<std::string>& targets,
                                const open_options& opts = {}) {
    return basic_plan_open_with<native_platform>(app, targets, opts);
}
inline open_plan plan_open_with(const std::string& app, const std::vector<std::string>& targets,
                                const open_options& opts, std::error_code& ec) noexcept {
    return basic_plan_open_with<native_platform>(app, targets, opts, ec);
}

/// Shows `path` selected in the file manager (Linux/BSD: org.freedesktop.FileManager1.ShowItems,
/// else its folder opened; macOS: open -R; WSL: explorer.exe /select; Windows: explorer.exe
/// /select,"PATH" from the Windows directory, through ShellExecuteExW). The path must exist.
inline child reveal(const std::string& path, const open_options& opts = {}) {
    return basic_reveal<native_platform>(path, opts);
}
inline child reveal(const char* path, const open_options& opts = {}) {
    return reveal(std::string(path), opts);
}
inline child reveal(const std::filesystem::path& path, const open_options& opts = {}) {
    return reveal(path.u8string(), opts);
}
/// As reveal(path, opts); failure goes to `ec` and the child is invalid.
inline child reveal(const std::string& path, const open_options& opts, std::error_code& ec) noexcept {
    return basic_reveal<native_platform>(path, opts, ec);
}
/// What reveal(path, opts) would run, running nothing.
inline open_plan plan_reveal(const std::string& path, const open_options& opts = {}) {
    return basic_plan_reveal<native_platform>(path, opts);
}
inline open_plan plan_reveal(const std::string& path, const open_options& opts, std::error_code& ec) noexcept {
    return basic_plan_reveal<native_platform>(path, opts, ec);
}

}  // namespace v0
}  // namespace liftoff
