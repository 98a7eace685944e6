// liftoff/error.hpp: the error codes every failure reports, their category, and launch_error.
// SPDX-License-Identifier: MIT
#pragma once

#include <string>        // launch_error's message and names
#include <system_error>  // std::error_code, std::system_error
#include <utility>       // std::move
#include <vector>        // finding ids

namespace liftoff {
inline namespace v0 {

/// Why a launch (or an open) failed. Compare a `std::error_code` with these.
enum class errc {
    program_not_found = 1,
    not_executable,
    bad_working_directory,
    invalid_argument,
    exec_format_error,
    resource_exhausted,
    timed_out,
    unsafe_url,
    target_not_found,
    no_graphical_session,
    no_opener,
    no_handler,
    application_not_found,
    opener_failed,
    refused_executable,
    encoding_error,
    unsupported,
    redirect_failed,  ///< an io::file / io::append could not be opened for the child
    callback_failed,  ///< a trace callback threw (where the exception cannot be passed on)
};

namespace detail {

class error_category_impl final : public std::error_category {
public:
    const char* name() const noexcept override { return "liftoff"; }

    std::string message(int ev) const override {
        switch (static_cast<errc>(ev)) {
        case errc::program_not_found: return "program not found; give a full path or install it";
        case errc::not_executable: return "program is not executable; check its mode bits and mount";
        case errc::bad_working_directory: return "working directory is missing or not searchable";
        case errc::invalid_argument: return "invalid argument; nothing was run";
        case errc::exec_format_error: return "not a program this system can run";
        case errc::resource_exhausted: return "out of processes, descriptors or memory";
        case errc::timed_out: return "timed out";
        case errc::unsafe_url:
            return "URL refused before anything ran (a character to percent-encode, a scheme not allowed, or not "
                   "absolute)";
        case errc::target_not_found: return "file or target not found";
        case errc::no_graphical_session: return "no graphical session to open it in";
        case errc::no_opener: return "no opener program is installed";
        case errc::no_handler: return "no application is set to handle it";
        case errc::application_not_found: return "application not found";
        case errc::opener_failed: return "the opener reported a failure";
        case errc::refused_executable: return "refused to open an executable file";
        case errc::encoding_error: return "text is not valid UTF-8";
        case errc::unsupported: return "not supported on this system";
        case errc::redirect_failed: return "a file for the child's stream could not be opened";
        case errc::callback_failed: return "a callback given to liftoff (trace) threw an exception";
        }
        return "unknown liftoff error";
    }

    std::error_condition default_error_condition(int ev) const noexcept override {
        switch (static_cast<errc>(ev)) {
        case errc::program_not_found:
        case errc::target_not_found: return std::errc::no_such_file_or_directory;
        case errc::not_executable: return std::errc::permission_denied;
        case errc::invalid_argument:
        case errc::unsafe_url:
        case errc::encoding_error: return std::errc::invalid_argument;
        case errc::exec_format_error: return std::errc::executable_format_error;
        case errc::resource_exhausted: return std::errc::resource_unavailable_try_again;
        case errc::timed_out: return std::errc::timed_out;
        case errc::unsupported: return std::errc::not_supported;
        default: return {ev, *this};
        }
    }
};

}  // namespace detail

/// The category of liftoff::errc codes.
inline const std::error_category& category() noexcept {
    static const detail::error_category_impl instance;
    return instance;
}

inline std::error_code make_error_code(errc e) noexcept {
    return {static_cast<int>(e), category()};
}

/// Thrown by launch(), run() and the openers. `what()` names the program, the path tried and a
/// remedy; `code()` compares equal to an errc; `os_error()` is the OS error underneath, if any.
class launch_error : public std::system_error {
public:
    launch_error(std::error_code code, std::string message, std::error_code os_error = {}, std::string program = {},
                 std::string path = {}, std::vector<std::string> findings = {})
        : std::system_error(code),
          message_(std::move(message)),
          os_error_(os_error),
          program_(std::move(program)),
          path_(std::move(path)),
          findings_(std::move(findings)) {}

    const char* what() const noexcept override { return message_.c_str(); }
    /// The OS error under the failure (an errno or a Windows error), or an empty code.
    std::error_code os_error() const noexcept { return os_error_; }
    /// The program (or URL/path for the openers) as the caller gave it.
    const std::string& program() const noexcept { return program_; }
    /// The resolved path that was tried, or "" when it never got that far.
    const std::string& path() const noexcept { return path_; }
    /// Ids of diagnose()/preflight() findings that explain this failure (may be empty).
    const std::vector<std::string>& findings() const noexcept { return findings_; }

private:
    std::string message_;
    std::error_code os_error_;
    std::string program_;
    std::string path_;
    std::vector<std::string> findings_;
};

namespace detail {

/// A failure on its way to the caller: thrown as launch_error or stored in an error_code.
struct failure {
    errc code{};
    std::error_code os_error;
    std::string program;
    std::string path;
    std::string message;
    std::string what;    ///< the message's middle part: what happened, to what
    std::string remedy;  ///< the message's last part
    std::vector<std::string> findings;

    explicit operator bool() const noexcept { return code != errc{}; }

    [[noreturn]] void raise() const {
        throw launch_error(make_error_code(code), message, os_error, program, path, findings);
    }
};

/// "liftoff: cannot launch 'prog': <what>; <remedy>"
inline failure make_failure(errc code, const std::string& program, std::string what, std::string remedy,
                            std::string path = {}, std::error_code os = {}) {
    failure f;
    f.code = code;
    f.os_error = os;
    f.program = program;
    f.path = std::move(path);
    f.message = "liftoff: cannot launch '" + program + "': " + what;
    if (!remedy.empty()) f.message += "; " + remedy;
    f.what = std::move(what);
    f.remedy = std::move(remedy);
    return f;
}

/// "liftoff: cannot open 'target': <what>; <remedy>", or with `app`:
/// "liftoff: cannot open 'target' with 'app': <what>; <remedy>". For the openers: program()
/// of the launch_error is the target as the caller gave it.
inline failure make_open_failure(errc code, const std::string& target, std::string what, std::string remedy,
                                 const std::string& app = {}, std::string path = {}, std::error_code os = {}) {
    failure f;
    f.code = code;
    f.os_error = os;
    f.program = target;
    f.path = std::move(path);
    f.message = "liftoff: cannot open '" + target + "'";
    if (!app.empty()) f.message += " with '" + app + "'";
    f.message += ": " + what;
    if (!remedy.empty()) f.message += "; " + remedy;
    return f;
}

}  // namespace detail
}  // namespace v0
}  // namespace liftoff

namespace std {
template <>
struct is_error_code_enum<liftoff::errc> : true_type {};
}  // namespace std
