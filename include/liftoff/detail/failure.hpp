// liftoff/detail/failure.hpp: how a failure's message is worded, for launches and for opens.
// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <system_error>
#include <utility>

#include "../error.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

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
    f.what = std::move(what);
    f.remedy = std::move(remedy);
    return f;
}

/// The liftoff::errc of a failure (every failure liftoff makes has one).
inline errc errc_of(const failure& f) noexcept {
    return f.code.category() == category() ? static_cast<errc>(f.code.value()) : errc{};
}

/// What an overload taking failure& reports when the library's own work could not allocate (its
/// only exceptions are the standard library's for memory: std::bad_alloc, std::length_error).
inline void out_of_memory(failure& f) noexcept {
    f = failure{};
    f.code = make_error_code(errc::resource_exhausted);
    try {
        f.message = "liftoff: out of memory";
    } catch (...) {
    }
}

/// Throws `f` as a launch_error.
[[noreturn]] inline void raise(const failure& f) {
    throw launch_error(f);
}

/// Calls `body(failure&)`; throws what failed as launch_error.
template <class Body>
auto throwing(Body&& body) {
    failure f;
    auto r = body(f);
    if (f) raise(f);
    return r;
}
/// Calls `body(failure&)` for an overload that reports in `f` and never throws.
template <class Body>
auto reporting(failure& f, Body&& body) noexcept -> decltype(body(f)) {
    f = {};
    try {
        return body(f);
    } catch (...) {
        out_of_memory(f);  // allocation failed on the way
        return {};
    }
}
/// Calls `body(failure&)` for an overload that reports in `ec` and never throws.
template <class Body>
auto reporting(std::error_code& ec, Body&& body) noexcept -> decltype(body(std::declval<failure&>())) {
    failure f;
    auto r = reporting(f, std::forward<Body>(body));
    ec = f.code;
    return r;
}

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
