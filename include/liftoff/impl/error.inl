// liftoff/impl/error.inl: the error category and launch_error (declared in error.hpp).
// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <system_error>
#include <utility>

#include "../detail/config.hpp"
#include "../error.hpp"

namespace liftoff {
inline namespace v0 {
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

LIFTOFF_API const std::error_category& category() noexcept {
    static const detail::error_category_impl instance;
    return instance;
}

LIFTOFF_API launch_error::launch_error(liftoff::failure f) : std::system_error(f.code), failure_(std::move(f)) {}

LIFTOFF_API launch_error::launch_error(std::error_code code, std::string message) : std::system_error(code) {
    failure_.code = code;
    failure_.message = std::move(message);
}

LIFTOFF_API const char* launch_error::what() const noexcept {
    return failure_.message.c_str();
}
LIFTOFF_API std::error_code launch_error::os_error() const noexcept {
    return failure_.os_error;
}
LIFTOFF_API const std::string& launch_error::program() const noexcept {
    return failure_.program;
}
LIFTOFF_API const std::string& launch_error::path() const noexcept {
    return failure_.path;
}
LIFTOFF_API const std::vector<std::string>& launch_error::findings() const noexcept {
    return failure_.findings;
}
LIFTOFF_API const failure& launch_error::failure() const noexcept {
    return failure_;
}

}  // namespace v0
}  // namespace liftoff
