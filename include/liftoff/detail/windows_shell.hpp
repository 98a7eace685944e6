// liftoff/detail/windows_shell.hpp: the pure half of opening things on Windows: the
// ShellExecuteExW call an opener makes and how a plan shows it, what a failed call means (its
// GetLastError and hInstApp) in liftoff's terms, the `explorer /select,` command line for
// reveal(), and App Paths values. Portable, so it is tested on every OS.
// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>  // std::uintptr_t for hInstApp
#include <string>
#include <string_view>
#include <vector>

#include "../error.hpp"
#include "text.hpp"
#include "windows_command_line.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

/// Which opener call failed: the same error means a missing target for open_path and a missing
/// application for open_with.
enum class shell_verb : unsigned char { open_url, open_path, open_with, reveal };

/// One ShellExecuteExW call ("open" verb): what the Windows opener strategy routes a request to
/// and the platform makes.
struct shell_call {
    shell_verb what = shell_verb::open_url;
    std::string file;        ///< lpFile: the URL, the absolute path, or the program's full path
    std::string parameters;  ///< lpParameters, quoted for the program's command line ("" for none)
};

/// What ShellExecuteExW answered. On success the platform has given the process (if any) to the
/// child it was handed.
struct shell_outcome {
    bool ok = false;
    unsigned long last_error = 0;  ///< GetLastError() after a failure
    std::uintptr_t inst_app = 0;   ///< hInstApp (an SE_ERR_* code up to 32)
    bool has_process = false;      ///< hProcess was set (DDE or a running instance leave it NULL)
};

/// The call as a plan shows it: "ShellExecuteExW(open, 'C:\x\a.pdf')", with the parameters
/// exactly as they are passed when there are any.
inline std::string describe_shell_call(const shell_call& c) {
    std::string out = "ShellExecuteExW(open, '" + printable(c.file) + "'";
    if (!c.parameters.empty()) out += ", '" + printable(c.parameters) + "'";
    return out + ")";
}

/// lpParameters for open_with(): each argument quoted as CommandLineToArgvW and the C runtime
/// read them back, separated by spaces.
inline std::string shell_parameters(const std::vector<std::string>& args) {
    std::string out;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (i != 0) out += ' ';
        append_windows_argument(out, args[i]);
    }
    return out;
}

/// The App Paths key for an application name: the name with ".exe" appended unless it ends in
/// it already (as the shell looks "firefox" up under "firefox.exe").
inline std::string app_paths_key(std::string_view name) {
    std::string key(name);
    if (!(name.size() > 4 && iequals(name.substr(name.size() - 4), ".exe"))) key += ".exe";
    return key;
}

/// An App Paths default value as a path: surrounding blanks and one pair of quotes removed
/// (installers write both C:\x\app.exe and "C:\x\app.exe"). Environment references
/// have been expanded by the registry read.
inline std::string app_paths_value(std::string_view v) {
    auto trim = [](std::string_view& s) {
        while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
            s.remove_prefix(1);
        while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
            s.remove_suffix(1);
    };
    trim(v);
    if (v.size() >= 2 && v.front() == '"') {
        const auto close = v.find('"', 1);
        if (close != std::string_view::npos) v = v.substr(1, close - 1);
        trim(v);
    }
    return std::string(v);
}

/// A ShellExecuteExW failure in words: the code, what happened, and the remedy.
struct shell_error {
    errc code{};
    std::string what;
    std::string remedy;
};

/// Maps a failed ShellExecuteExW to errc. `last_error` is GetLastError() after it returned
/// FALSE; `inst_app` is the hInstApp it set (a value of 32 or less is an SE_ERR_* code). hInstApp
/// is read first: wine 8 reports an extension with no association as GetLastError 193
/// (ERROR_BAD_EXE_FORMAT) with hInstApp 31 (SE_ERR_NOASSOC), and Windows sets both consistently.
inline shell_error map_shell_error(shell_verb verb, unsigned long last_error, std::uintptr_t inst_app) {
    const bool app = verb == shell_verb::open_with;
    const char* const missing_remedy =
        app ? "check the application's name, or give its full path" : "check the path; it must exist";
    auto not_found = [&](const char* what) {
        return shell_error{app ? errc::application_not_found : errc::target_not_found, what, missing_remedy};
    };
    const shell_error no_assoc{errc::no_handler, "no application is associated with it",
                               "associate an application with this type of file (Open with... > Always), "
                               "or use open_with()"};
    // SE_ERR_* codes in hInstApp (values up to 32 are errors).
    switch (inst_app) {
    case 2: return not_found(app ? "the application was not found" : "the file was not found");  // SE_ERR_FNF
    case 3: return not_found("the path was not found");                                          // SE_ERR_PNF
    case 27:                   // SE_ERR_ASSOCINCOMPLETE
    case 31: return no_assoc;  // SE_ERR_NOASSOC
    default: break;
    }
    switch (last_error) {
    case 2:    // ERROR_FILE_NOT_FOUND
    case 3:    // ERROR_PATH_NOT_FOUND
    case 53:   // ERROR_BAD_NETPATH
    case 67:   // ERROR_BAD_NET_NAME
    case 123:  // ERROR_INVALID_NAME
    case 161:  // ERROR_BAD_PATHNAME
        return not_found(last_error == 53 || last_error == 67 ? "the network path was not found"
                         : last_error == 3                    ? "the path was not found"
                         : last_error == 2 ? (app ? "the application was not found" : "the file was not found")
                                           : "the name is not a valid path");
    case 1155:  // ERROR_NO_ASSOCIATION
        return no_assoc;
    case 1223:  // ERROR_CANCELLED
        return {errc::opener_failed, "the user cancelled it", "try again and confirm the prompt"};
    case 5:  // ERROR_ACCESS_DENIED
        return {errc::opener_failed, "access was denied", "check the permissions of the file and the application"};
    case 8:     // ERROR_NOT_ENOUGH_MEMORY
    case 14:    // ERROR_OUTOFMEMORY
    case 1450:  // ERROR_NO_SYSTEM_RESOURCES
        return {errc::resource_exhausted, "the system is out of memory or resources", "free memory and try again"};
    case 193:  // ERROR_BAD_EXE_FORMAT
        return {errc::exec_format_error, "the associated program is not a program Windows can run",
                "repair or reinstall the application associated with this type"};
    case 1156:  // ERROR_DDE_FAIL
        return {errc::opener_failed, "the application did not answer the DDE request",
                "close the application and try again"};
    case 1157:  // ERROR_DLL_NOT_FOUND
        return {errc::opener_failed, "a library the application needs is missing", "reinstall the application"};
    default: break;
    }
    return {errc::opener_failed, "ShellExecuteExW failed (error " + std::to_string(last_error) + ")",
            "see the Windows error code"};
}

/// The arguments that make explorer.exe open the folder of `target` with it selected:
///   /select,"C:\dir\file name.txt"
/// explorer.exe reads its command line itself, so `target` (an absolute path; no Windows name
/// holds '"') goes in one pair of quotes with no escapes, after trailing separators are dropped
/// (a closing "\"" would read as an escaped quote to most parsers). Empty when it cannot be
/// quoted: a '"', a control character, or nothing left.
inline std::string explorer_select_arguments(std::string_view target) {
    while (target.size() > 3 && (target.back() == '\\' || target.back() == '/'))
        target.remove_suffix(1);
    if (target.empty()) return {};
    for (const char c : target)
        if (c == '"' || static_cast<unsigned char>(c) < 0x20) return {};
    std::string out = "/select,\"";
    out.append(target.data(), target.size());
    out += '"';
    return out;
}

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
