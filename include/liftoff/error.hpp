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
    program_not_found = 1,  ///< no such program: not in PATH, or no file at the path given
    not_executable,         ///< found, but not executable (mode bits, a noexec mount, a directory)
    bad_working_directory,  ///< the working directory is missing or not searchable
    invalid_argument,       ///< a value refused (a NUL byte, an empty name), before running or by an opener
    exec_format_error,      ///< not a program this system can run (wrong format or architecture)
    resource_exhausted,     ///< out of processes, descriptors or memory
    timed_out,              ///< the command's timeout fired
    unsafe_url,             ///< a URL refused before anything ran (bad character, scheme, or not absolute)
    target_not_found,       ///< the file or target to open does not exist
    no_graphical_session,   ///< no graphical session to open it in
    no_opener,              ///< no opener program is installed
    no_handler,             ///< no application is set to handle it
    application_not_found,  ///< the application asked for (open_with) was not found
    opener_failed,          ///< the opener ran and reported a failure
    refused_executable,     ///< refused to open an executable file
    encoding_error,         ///< text is not valid UTF-8
    unsupported,            ///< not supported on this system
    redirect_failed,        ///< an io::file / io::append could not be opened for the child
    callback_failed,        ///< a trace callback threw (where the exception cannot be passed on)
};

/// The category of liftoff::errc codes: its name is "liftoff", its messages the short ones below
/// (launch_error::what() and failure::message say more), its conditions the nearest std::errc.
const std::error_category& category() noexcept;

/// A liftoff::errc as a std::error_code (std::is_error_code_enum<errc> is true).
inline std::error_code make_error_code(errc e) noexcept {
    return {static_cast<int>(e), category()};
}

/// A launch or an open that did not happen, said in full: what launch_error carries, and what
/// the overloads taking `failure&` fill in for code that does not use exceptions.
struct failure {
    std::error_code code;      ///< compares equal to a liftoff::errc; empty when nothing failed
    std::error_code os_error;  ///< the OS error underneath (an errno or a Windows error), if any
    std::string message;       ///< "liftoff: cannot launch 'prog': <what>; <remedy>", as what() says
    std::string program;       ///< the program (for the openers: the URL or path) as the caller gave it
    std::string path;          ///< the resolved path that was tried, or "" when it never got that far
    std::string what;          ///< the middle of the message: what happened, to what
    std::string remedy;        ///< the end of the message: what to do about it
    /// The id of the diagnose()/preflight() finding for the cause that stopped it, where
    /// preflight() has one (a launch stops at its first cause: preflight(cmd) lists them all).
    std::vector<std::string> findings;

    /// True when something failed.
    explicit operator bool() const noexcept { return static_cast<bool>(code); }
};

/// Thrown by launch(), run() and the openers. `what()` names the program, the path tried and a
/// remedy; `code()` compares equal to an errc; `os_error()` is the OS error underneath, if any.
class launch_error : public std::system_error {
public:
    /// The exception for `f` (whose code must be set).
    explicit launch_error(liftoff::failure f);
    /// An exception with only a code and a message (for tests and for code that wraps liftoff).
    launch_error(std::error_code code, std::string message);

    /// The whole message: failure().message.
    const char* what() const noexcept override;
    /// The OS error under the failure (an errno or a Windows error), or an empty code.
    std::error_code os_error() const noexcept;
    /// The program (or URL/path for the openers) as the caller gave it.
    const std::string& program() const noexcept;
    /// The resolved path that was tried, or "" when it never got that far.
    const std::string& path() const noexcept;
    /// Ids of diagnose()/preflight() findings that explain this failure (may be empty): for a
    /// launch, the one for the cause that stopped it (preflight(cmd) lists every cause).
    const std::vector<std::string>& findings() const noexcept;
    /// All of it: the failure this exception was made from.
    const liftoff::failure& failure() const noexcept;

private:
    liftoff::failure failure_;
};

}  // namespace v0
}  // namespace liftoff

namespace std {
template <>
struct is_error_code_enum<liftoff::errc> : true_type {};
}  // namespace std
