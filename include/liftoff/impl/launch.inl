// liftoff/impl/launch.inl: launch() and run() (declared in launch.hpp).
// SPDX-License-Identifier: MIT
#pragma once

#include <exception>
#include <new>
#include <system_error>

#include "../detail/config.hpp"
#include "../detail/failure.hpp"
#include "../detail/launch.hpp"
#include "../launch.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

/// launch_with() for the overloads that do not throw: a trace callback's exception is
/// errc::callback_failed, and kept in `*callback_error` when it is given.
inline child launch_reporting(const command& cmd, stream_defaults defaults, failure& f,
                              std::exception_ptr* callback_error) noexcept {
    f = {};
    try {
        return launch_with(cmd, defaults, f);
    } catch (const callback_thrown& t) {
        if (callback_error != nullptr) *callback_error = t.error;
        try {
            f = make_failure(errc::callback_failed, printable(cmd.program()), "a trace callback threw an exception",
                             "catch exceptions in the callback, or use the overload that throws");
        } catch (...) {
            out_of_memory(f);
        }
    } catch (...) {
        // Callbacks are wrapped above: what is left is the library's own work, whose only
        // exceptions are the standard library's for memory (std::bad_alloc, std::length_error).
        out_of_memory(f);
    }
    return {};
}

/// launch_with(), with what a trace callback threw passed on as the original exception.
inline child launch_throwing(const command& cmd, stream_defaults defaults) {
    failure f;
    child c;
    try {
        c = launch_with(cmd, defaults, f);
    } catch (const callback_thrown& t) {
        std::rethrow_exception(t.error);
    }
    if (f) raise(f);
    return c;
}

}  // namespace detail

LIFTOFF_API child launch(const command& cmd) {
    return detail::launch_throwing(cmd, detail::stream_defaults::launch);
}

LIFTOFF_API child launch(const command& cmd, failure& f) noexcept {
    return detail::launch_reporting(cmd, detail::stream_defaults::launch, f, nullptr);
}

LIFTOFF_API child launch(const command& cmd, std::error_code& ec) noexcept {
    failure f;
    child c = launch(cmd, f);
    ec = f.code;
    return c;
}

LIFTOFF_API result run(const command& cmd) {
    child c = detail::launch_throwing(cmd, detail::stream_defaults::run);
    return detail::collect(c);
}

LIFTOFF_API result run(const command& cmd, failure& f) {
    std::exception_ptr callback_error;
    child c = detail::launch_reporting(cmd, detail::stream_defaults::run, f, &callback_error);
    if (callback_error) std::rethrow_exception(callback_error);
    if (f) return {};
    return detail::collect(c);
}

LIFTOFF_API result run(const command& cmd, std::error_code& ec) {
    failure f;
    result r = run(cmd, f);
    ec = f.code;
    return r;
}

}  // namespace v0
}  // namespace liftoff
