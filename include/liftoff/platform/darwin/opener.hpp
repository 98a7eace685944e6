// liftoff/platform/darwin/opener.hpp: the macOS opener strategy: /usr/bin/open by absolute path,
// its options for each open_options field, and its LaunchServices errors read from stderr.
// The tool's path is a parameter, so a test on Linux runs this strategy with a recording script
// in its place and checks the exact argv.
// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "../../command.hpp"
#include "../../detail/text.hpp"
#include "../../error.hpp"
#include "../../exit_status.hpp"
#include "../../detail/open_request.hpp"
#include "../freedesktop/opener.hpp"  // open_failure, contains_ignoring_case, ends_with

namespace liftoff {
inline namespace v0 {
namespace detail {

/// macOS's own open(1).
struct darwin_open_tool {
    static std::string path() { return "/usr/bin/open"; }
};

/// True for a reverse-DNS bundle identifier such as com.apple.TextEdit (not "Foo.app", not a
/// name with spaces): letters, digits, '-' and '_' in two or more dot-separated labels.
inline bool is_bundle_id(std::string_view s) noexcept {
    if (s.empty() || !is_ascii_alpha(s.front()) || ends_with(s, ".app") || ends_with(s, ".APP")) return false;
    bool dot = false, label = false;
    for (char c : s) {
        if (c == '.') {
            if (!label) return false;
            dot = true;
            label = false;
        } else if (is_ascii_alpha(c) || is_ascii_digit(c) || c == '-' || c == '_') {
            label = true;
        } else {
            return false;
        }
    }
    return dot && label;
}

template <class Tool = darwin_open_tool>
struct darwin_opener {
    /// `open [-a APP | -b ID] [-W] [-g] [-n] TARGET... [--args APP_ARGS...]`, `open -R PATH`.
    /// No "--" before the targets: open(1)'s manual does not name it, it would turn a following
    /// --args into a file name, and every target is an absolute path or a checked URL already.
    template <class P>
    static failure route(const open_request& req, const open_options& opts, open_route& out) {
        const std::string tool = Tool::path();
        const auto probe = P::probe_file(tool);
        if (!probe.regular || !probe.executable)
            return open_failure(req, errc::no_opener, "the opener '" + printable(tool) + "' is missing",
                                "it is part of macOS: check the system (nothing was run)");
        std::vector<std::string> args;
        if (req.kind == open_kind::reveal) {
            args.push_back("-R");
            if (opts.background) args.push_back("-g");
            args.push_back(req.target);
        } else {
            if (req.kind == open_kind::with) {
                if (P::has_directory_part(req.app)) {
                    args.push_back("-a");
                    args.push_back(P::make_absolute(req.app));
                } else {
                    args.push_back(is_bundle_id(req.app) ? "-b" : "-a");
                    args.push_back(req.app);
                }
            }
            if (opts.wait) args.push_back("-W");
            if (opts.background) args.push_back("-g");
            if (opts.new_instance) args.push_back("-n");
            if (req.kind == open_kind::with) {
                for (const auto& t : req.targets)
                    args.push_back(t.text);
                if (!opts.app_args.empty()) {
                    args.push_back("--args");
                    args.insert(args.end(), opts.app_args.begin(), opts.app_args.end());
                }
            } else {
                args.push_back(req.target);
            }
        }
        out.opener = "open";
        out.steps.push_back({opener_command(tool, std::move(args)), verdict::darwin_open, "open"});
        return {};
    }

    /// open(1) exits 1 and names the LaunchServices error on stderr (-10814 is
    /// kLSApplicationNotFoundErr: no such application, or none for this kind of document).
    static failure judge(const open_step& s, const open_request& req, const exit_status& st, const std::string& err) {
        if (st.success()) return {};
        const std::string said = opener_said("open", err);
        const bool not_found = contains_ignoring_case(err, "-10814");
        if (contains_ignoring_case(err, "Unable to find application") || (req.kind == open_kind::with && not_found))
            return open_failure(req, errc::application_not_found, "open(1) found no such application" + said,
                                "check its name in /Applications, or give its bundle id (com.apple.TextEdit) "
                                "or its path");
        if (not_found || contains_ignoring_case(err, "No application knows how to open"))
            return open_failure(req, errc::no_handler, "no application is set to open it" + said,
                                "choose one in Finder: Get Info, Open with, Change All");
        if (contains_ignoring_case(err, "does not exist"))
            return open_failure(req, errc::target_not_found, "open(1) says it does not exist" + said, "check the path");
        return open_failure(req, errc::opener_failed, "'" + s.tool + "' " + st.to_string() + said,
                            "see its message, or try `open` by hand");
    }
};

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
