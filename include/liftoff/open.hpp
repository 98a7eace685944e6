// liftoff/open.hpp: open_url(), open_path(), open_with(), reveal() and their plan_* twins, which
// say what the call would run without running anything.
// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <system_error>
#include <vector>

#include "child.hpp"
#include "command.hpp"
#include "error.hpp"
#include "open_options.hpp"

namespace liftoff {
inline namespace v0 {

// Each comes in three forms: throwing launch_error; reporting in a std::error_code& (a
// liftoff::errc); reporting in a failure& (the code and the whole message). Those two never
// throw and return an invalid child (or an empty plan) on failure.

/// Opens `url` in the user's default application for its scheme. The URL is checked first
/// (absolute, a scheme in opts.allowed_schemes, only RFC 3986 characters, never an option).
/// Waits up to opts.confirm for the opener's verdict; an opener still running then counts as
/// launched. The child owns the opener (if any) and its on_destroy is release. On Windows the
/// verdict is ShellExecuteExW's own, and the child owns the process it started; it is invalid
/// when there is none (the URL went to a running application, or through DDE). When the
/// default handler is missing or fails, opts.fallback_apps are tried (see open_options).
/// Throws launch_error: unsafe_url, no_graphical_session, no_opener, no_handler, opener_failed ...
child open_url(const std::string& url, const open_options& opts = {});
/// As open_url(url, opts); failure goes to `ec` (a liftoff::errc) and the child is invalid.
child open_url(const std::string& url, const open_options& opts, std::error_code& ec) noexcept;
/// As open_url(url, opts); failure goes to `f` and the child is invalid.
child open_url(const std::string& url, const open_options& opts, failure& f) noexcept;
/// What open_url(url, opts) would run, checked exactly as it checks, running nothing.
/// Throws launch_error for what open_url would refuse before running anything.
open_plan plan_open_url(const std::string& url, const open_options& opts = {});
/// As plan_open_url(url, opts); failure goes to `ec` and the plan is empty.
open_plan plan_open_url(const std::string& url, const open_options& opts, std::error_code& ec) noexcept;
/// As plan_open_url(url, opts); failure goes to `f` and the plan is empty.
open_plan plan_open_url(const std::string& url, const open_options& opts, failure& f) noexcept;

/// Opens a local file or directory in its default application. The path must exist
/// (target_not_found) and is made absolute; programs, scripts and launchers are refused
/// (refused_executable) unless opts.allow_executables. Otherwise as open_url().
child open_path(const path_arg& path, const open_options& opts = {});
/// As open_path(path, opts); failure goes to `ec` and the child is invalid.
child open_path(const path_arg& path, const open_options& opts, std::error_code& ec) noexcept;
/// As open_path(path, opts); failure goes to `f` and the child is invalid.
child open_path(const path_arg& path, const open_options& opts, failure& f) noexcept;
/// What open_path(path, opts) would run, running nothing.
open_plan plan_open_path(const path_arg& path, const open_options& opts = {});
/// As plan_open_path(path, opts); failure goes to `ec` and the plan is empty.
open_plan plan_open_path(const path_arg& path, const open_options& opts, std::error_code& ec) noexcept;
/// As plan_open_path(path, opts); failure goes to `f` and the plan is empty.
open_plan plan_open_path(const path_arg& path, const open_options& opts, failure& f) noexcept;

/// Opens `targets` (files, made absolute, or URLs, checked as open_url checks them) in the
/// application `app`: a path to a program or a .desktop file; a desktop id ("firefox",
/// "org.gnome.TextEditor.desktop") found in $XDG_DATA_HOME and $XDG_DATA_DIRS, its Exec run
/// per the Desktop Entry Specification; a program in PATH; on macOS an application name or
/// bundle id; on Windows a name registered in App Paths (HKCU, then HKLM), else a program in
/// PATH (with PATHEXT), run through ShellExecuteExW. opts.app_args go first, then the targets,
/// each one argument. Never a shell (a .bat/.cmd application gets launch()'s cmd.exe escaping).
/// Throws launch_error: application_not_found, unsupported (Terminal=true), opener_failed ...
child open_with(const std::string& app, const std::vector<std::string>& targets, const open_options& opts = {});
/// As open_with(app, targets, opts); failure goes to `ec` and the child is invalid.
child open_with(const std::string& app, const std::vector<std::string>& targets, const open_options& opts,
                std::error_code& ec) noexcept;
/// As open_with(app, targets, opts); failure goes to `f` and the child is invalid.
child open_with(const std::string& app, const std::vector<std::string>& targets, const open_options& opts,
                failure& f) noexcept;
/// What open_with(app, targets, opts) would run, running nothing.
open_plan plan_open_with(const std::string& app, const std::vector<std::string>& targets,
                         const open_options& opts = {});
/// As plan_open_with(app, targets, opts); failure goes to `ec` and the plan is empty.
open_plan plan_open_with(const std::string& app, const std::vector<std::string>& targets, const open_options& opts,
                         std::error_code& ec) noexcept;
/// As plan_open_with(app, targets, opts); failure goes to `f` and the plan is empty.
open_plan plan_open_with(const std::string& app, const std::vector<std::string>& targets, const open_options& opts,
                         failure& f) noexcept;

/// Shows `path` selected in the file manager (Linux/BSD: org.freedesktop.FileManager1.ShowItems,
/// else its folder opened; macOS: open -R; WSL: explorer.exe /select; Windows: explorer.exe
/// /select,"PATH" from the Windows directory, through ShellExecuteExW). The path must exist.
child reveal(const path_arg& path, const open_options& opts = {});
/// As reveal(path, opts); failure goes to `ec` and the child is invalid.
child reveal(const path_arg& path, const open_options& opts, std::error_code& ec) noexcept;
/// As reveal(path, opts); failure goes to `f` and the child is invalid.
child reveal(const path_arg& path, const open_options& opts, failure& f) noexcept;
/// What reveal(path, opts) would run, running nothing.
open_plan plan_reveal(const path_arg& path, const open_options& opts = {});
/// As plan_reveal(path, opts); failure goes to `ec` and the plan is empty.
open_plan plan_reveal(const path_arg& path, const open_options& opts, std::error_code& ec) noexcept;
/// As plan_reveal(path, opts); failure goes to `f` and the plan is empty.
open_plan plan_reveal(const path_arg& path, const open_options& opts, failure& f) noexcept;

}  // namespace v0
}  // namespace liftoff
