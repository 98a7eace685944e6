// liftoff/detail/open.hpp: the portable half of open_url(), open_path(), open_with(), reveal()
// and their plan_* twins: check the URL or path before anything runs, ask the platform's opener
// strategy for the commands, launch them with the core, wait up to open_options::confirm for
// the opener's verdict and either report it or let the opener run on.
// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <filesystem>  // a symlink's target for the launcher check
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#include "../child.hpp"
#include "../command.hpp"
#include "../error.hpp"
#include "../exit_status.hpp"
#include "../open_options.hpp"
#include "../platform/darwin/opener.hpp"
#include "../platform/freedesktop/opener.hpp"
#include "../platform/select.hpp"
#include "../platform/windows/opener.hpp"
#include "desktop_entry.hpp"
#include "explain.hpp"
#include "failure.hpp"
#include "launch.hpp"
#include "open_request.hpp"
#include "text.hpp"
#include "url.hpp"

namespace liftoff {
inline namespace v0 {
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
/// `template <class P> static child execute(const open_request&, const open_route&,
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
    const std::string names[2] = {path_arg::utf8(P::to_path(abs).filename()),
                                  ec ? std::string() : path_arg::utf8(real.filename())};
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

/// open_with()'s application, and each of open_options::fallback_apps: not empty, no NUL, valid
/// UTF-8. A bare name (no directory part: it is looked up, and on macOS follows `open -a`) cannot
/// begin with '-' (an option), hold '%' (a desktop entry field code, a Windows %VAR%) or a
/// control character: no name is a desktop id, an App Paths name or a program's with them.
template <class P>
failure check_app_name(const std::string& shown, const std::string& app, const std::string& item) {
    if (app.empty())
        return make_open_failure(errc::invalid_argument, shown, item + " is empty",
                                 "name an application, a desktop id or a path (nothing was run)");
    if (auto bad = check_text<P>(shown, app, item)) return bad;
    if (P::has_directory_part(app)) return {};
    std::string why;
    if (app.front() == '-') why = "begins with '-', so it would read as an option";
    if (app.find('%') != std::string::npos) why = "holds '%', which a desktop entry or Windows would expand";
    for (char c : app)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) why = "holds a control character";
    if (why.empty()) return {};
    return make_open_failure(errc::invalid_argument, shown, item + " '" + printable(app) + "' " + why,
                             "give the application's name as installed, or its path (nothing was run)");
}

template <class P>
failure prepare_with(const std::string& app, const std::vector<std::string>& targets, const open_options& opts,
                     open_request& req) {
    req.kind = open_kind::with;
    req.app = app;
    req.shown = printable(targets.empty() ? app : targets.front());
    if (auto bad = check_app_name<P>(req.shown, app, "the application name")) return bad;
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
    errc code = errc_of(lf);
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
child run_step(const open_step& step, const open_request& req, const open_options& opts, failure& f) {
    using S = typename opener_of<P>::type;
    failure lf;
    auto c = launch_with(step.cmd, stream_defaults::launch, lf);
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
        err = drain.sink(output::err).data();
    }
    f = S::judge(step, req, *st, err);
    if (f) return {};
    return c;
}

template <class P>
child execute(const open_request& req, const open_route& route, const open_options& opts, failure& f) {
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
    child result;
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

// ---- open_options::fallback_apps (open_url and open_path only) -------------------------------
// Peers: Python's webbrowser.open() tries each registered browser in order (_tryorder); npm
// open's `app: {name: [...]}` uses the first that works. Here the default handler comes first.

/// The fallback applications that apply to `req`: open_url()'s and open_path()'s. open_with()
/// names its application and reveal() shows a file manager: neither has a default to replace.
inline bool has_fallbacks(const open_request& req, const open_options& opts) {
    return (req.kind == open_kind::url || req.kind == open_kind::path) && !opts.fallback_apps.empty();
}

/// Whether this failure of the default handler is one a fallback application may follow: the
/// handler is missing (no_opener) or has nothing for the target (no_handler) or failed
/// (opener_failed). Never after a refusal of the target (unsafe_url, target_not_found,
/// refused_executable, invalid_argument, encoding_error), no_graphical_session (no application
/// could show it either), unsupported (the PowerShell guard, a file name xdg-open cannot pass),
/// resource_exhausted, nor where the route forbids it (Flatpak, Snap), nor when Windows says
/// the user cancelled (ERROR_CANCELLED) or access was denied (ERROR_ACCESS_DENIED): a refusal,
/// not a missing handler. (Only Windows' opener_failed carries an OS error.)
inline bool fallback_code(const failure& f) {
    if (f.code != errc::no_opener && f.code != errc::no_handler && f.code != errc::opener_failed) return false;
    const bool refused = f.code == errc::opener_failed && f.os_error.category() == std::system_category() &&
                         (f.os_error.value() == 1223 || f.os_error.value() == 5);
    return !refused;
}
inline bool fallback_may_follow(const open_request& req, const open_options& opts, const open_route& route,
                                const failure& f) {
    return has_fallbacks(req, opts) && route.no_fallback.empty() && fallback_code(f);
}

/// Each fallback name is checked before anything runs, as open_with() checks its application.
template <class P>
failure check_fallback_apps(const open_request& req, const open_options& opts) {
    if (!has_fallbacks(req, opts)) return {};
    for (const auto& app : opts.fallback_apps)
        if (auto bad = check_app_name<P>(req.shown, app, "a fallback_apps entry")) return bad;
    return {};
}

/// open_with(app, {target}) for the target already checked (a URL, or the absolute path).
inline open_request fallback_request(const open_request& req, const std::string& app) {
    open_request w;
    w.kind = open_kind::with;
    w.app = app;
    w.shown = req.shown;
    w.targets.push_back({req.target, req.kind == open_kind::url});
    return w;
}

/// The default handler's failure `f`, with each fallback application and why it failed.
inline void add_fallback_failures(failure& f, const std::vector<std::pair<std::string, failure>>& tried) {
    if (tried.empty()) return;
    std::string list = "; and every fallback application failed: ";
    for (std::size_t i = 0; i < tried.size(); ++i)
        list += (i == 0 ? "'" : "; '") + printable(tried[i].first) + "': " + tried[i].second.what;
    f.message += list;
    f.what += list;
}

/// When the default handler failed: each fallback in order, as open_with() runs it, until one
/// starts; else `f` names them all.
template <class P>
child open_fallbacks(const open_request& req, const open_options& opts, failure& f) {
    std::vector<std::pair<std::string, failure>> tried;
    for (const auto& app : opts.fallback_apps) {
        const open_request w = fallback_request(req, app);
        open_route route;
        failure wf = route_for<P>(w, opts, route);
        child c;
        if (!wf) c = execute<P>(w, route, opts, wf);
        if (!wf) {
            f = {};
            return c;
        }
        tried.emplace_back(app, std::move(wf));
    }
    add_fallback_failures(f, tried);
    return {};
}

/// The plan's words for the fallbacks, and the plan itself when the default has no route: the
/// first fallback that has one (when none has, `f` names them all).
template <class P>
void plan_fallbacks(const open_request& req, const open_options& opts, open_plan& p, failure& f) {
    std::string list;
    std::vector<std::pair<std::string, failure>> unusable;
    bool taken = false;
    for (const auto& app : opts.fallback_apps) {
        const open_request w = fallback_request(req, app);
        open_route route;
        const failure wf = route_for<P>(w, opts, route);
        std::string item = "'" + printable(app) + "' (";
        if (wf) {
            item += "not usable: " + wf.what;
            unusable.emplace_back(app, wf);
        } else {
            open_plan wp = plan_of(route);
            if (route.steps.empty()) wp.description = route.description;
            item += wp.description;
            if (f && !taken) {
                p.launch = wp.launch;
                p.opener = wp.opener;
                taken = true;
            }
        }
        list += (list.empty() ? "" : ", else ") + item + ")";
    }
    if (!f) {
        p.description += "; if that fails, fallback_apps in order: " + list;
    } else if (taken) {
        p.description = "no default handler (" + f.what + "); fallback_apps in order: " + list;
        f = {};
    } else {
        add_fallback_failures(f, unusable);
    }
}

/// Says so when fallback_apps were given but the route forbids them.
inline void note_no_fallback(const open_request& req, const open_options& opts, const open_route& route, failure& f) {
    if (!has_fallbacks(req, opts) || route.no_fallback.empty() || !fallback_code(f)) return;
    f.message += " (fallback_apps not tried: " + route.no_fallback + ")";
}

template <class P, class Prepare>
child open_or_fail(Prepare&& prepare, const open_options& opts, failure& f) {
    open_request req;
    if ((f = prepare(req))) return {};
    if ((f = check_fallback_apps<P>(req, opts))) return {};  // before anything runs
    open_route route;
    child c;
    if (!(f = route_for<P>(req, opts, route))) c = execute<P>(req, route, opts, f);
    if (!f) return c;
    explain_open_failure<P>(f);
    if (fallback_may_follow(req, opts, route, f)) return open_fallbacks<P>(req, opts, f);
    note_no_fallback(req, opts, route, f);
    return {};
}

/// What an opener call would do; `explain` adds the findings behind a failure (diagnose() asks
/// for the plan itself and judges the session on its own).
template <class P, class Prepare>
open_plan plan_or_fail(Prepare&& prepare, const open_options& opts, failure& f, bool explain = true) {
    open_request req;
    if ((f = prepare(req))) return {};
    if ((f = check_fallback_apps<P>(req, opts))) return {};
    open_route route;
    open_plan p;
    if ((f = route_for<P>(req, opts, route))) {
        if (explain) explain_open_failure<P>(f);
        if (!fallback_may_follow(req, opts, route, f)) {
            note_no_fallback(req, opts, route, f);
            return {};
        }
    } else {
        p = plan_of(route);
        if (route.steps.empty()) p.description = route.description;
        if (!has_fallbacks(req, opts)) return p;
        if (!route.no_fallback.empty()) {
            p.description += " (fallback_apps not tried: " + route.no_fallback + ")";
            return p;
        }
    }
    plan_fallbacks<P>(req, opts, p, f);
    return f ? open_plan{} : p;
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

// ---- the forms tests instantiate with their own platform (an opener choice swapped) --------
// The public functions are these with native_platform.

template <class P>
child open_url_on(const std::string& url, const open_options& opts, failure& f) {
    return open_or_fail<P>(url_request<P>(url, opts), opts, f);
}
template <class P>
open_plan plan_open_url_on(const std::string& url, const open_options& opts, failure& f) {
    return plan_or_fail<P>(url_request<P>(url, opts), opts, f);
}
template <class P>
child open_path_on(const std::string& path, const open_options& opts, failure& f) {
    return open_or_fail<P>(path_request<P>(path, opts, false), opts, f);
}
template <class P>
open_plan plan_open_path_on(const std::string& path, const open_options& opts, failure& f) {
    return plan_or_fail<P>(path_request<P>(path, opts, false), opts, f);
}
template <class P>
child open_with_on(const std::string& app, const std::vector<std::string>& targets, const open_options& opts,
                   failure& f) {
    return open_or_fail<P>(with_request<P>(app, targets, opts), opts, f);
}
template <class P>
open_plan plan_open_with_on(const std::string& app, const std::vector<std::string>& targets, const open_options& opts,
                            failure& f) {
    return plan_or_fail<P>(with_request<P>(app, targets, opts), opts, f);
}
template <class P>
child reveal_on(const std::string& path, const open_options& opts, failure& f) {
    return open_or_fail<P>(path_request<P>(path, opts, true), opts, f);
}
template <class P>
open_plan plan_reveal_on(const std::string& path, const open_options& opts, failure& f) {
    return plan_or_fail<P>(path_request<P>(path, opts, true), opts, f);
}

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
