// liftoff/impl/open.inl: the openers (declared in open.hpp): each form is the native platform's
// detail::*_on, throwing or reporting.
// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <system_error>
#include <vector>

#include "../detail/config.hpp"
#include "../detail/open.hpp"
#include "../open.hpp"

namespace liftoff {
inline namespace v0 {

LIFTOFF_API child open_url(const std::string& url, const open_options& opts, failure& f) noexcept {
    return detail::reporting(f, [&](failure& out) { return detail::open_url_on<detail::native_platform>(url, opts, out); });
}
LIFTOFF_API child open_url(const std::string& url, const open_options& opts, std::error_code& ec) noexcept {
    return detail::reporting(ec, [&](failure& out) { return detail::open_url_on<detail::native_platform>(url, opts, out); });
}
LIFTOFF_API child open_url(const std::string& url, const open_options& opts) {
    return detail::throwing([&](failure& out) { return detail::open_url_on<detail::native_platform>(url, opts, out); });
}

LIFTOFF_API open_plan plan_open_url(const std::string& url, const open_options& opts, failure& f) noexcept {
    return detail::reporting(f, [&](failure& out) { return detail::plan_open_url_on<detail::native_platform>(url, opts, out); });
}
LIFTOFF_API open_plan plan_open_url(const std::string& url, const open_options& opts, std::error_code& ec) noexcept {
    return detail::reporting(ec, [&](failure& out) { return detail::plan_open_url_on<detail::native_platform>(url, opts, out); });
}
LIFTOFF_API open_plan plan_open_url(const std::string& url, const open_options& opts) {
    return detail::throwing([&](failure& out) { return detail::plan_open_url_on<detail::native_platform>(url, opts, out); });
}

LIFTOFF_API child open_path(const path_arg& path, const open_options& opts, failure& f) noexcept {
    return detail::reporting(f, [&](failure& out) { return detail::open_path_on<detail::native_platform>(path.str(), opts, out); });
}
LIFTOFF_API child open_path(const path_arg& path, const open_options& opts, std::error_code& ec) noexcept {
    return detail::reporting(ec, [&](failure& out) { return detail::open_path_on<detail::native_platform>(path.str(), opts, out); });
}
LIFTOFF_API child open_path(const path_arg& path, const open_options& opts) {
    return detail::throwing([&](failure& out) { return detail::open_path_on<detail::native_platform>(path.str(), opts, out); });
}

LIFTOFF_API open_plan plan_open_path(const path_arg& path, const open_options& opts, failure& f) noexcept {
    return detail::reporting(f, [&](failure& out) { return detail::plan_open_path_on<detail::native_platform>(path.str(), opts, out); });
}
LIFTOFF_API open_plan plan_open_path(const path_arg& path, const open_options& opts, std::error_code& ec) noexcept {
    return detail::reporting(ec, [&](failure& out) { return detail::plan_open_path_on<detail::native_platform>(path.str(), opts, out); });
}
LIFTOFF_API open_plan plan_open_path(const path_arg& path, const open_options& opts) {
    return detail::throwing([&](failure& out) { return detail::plan_open_path_on<detail::native_platform>(path.str(), opts, out); });
}

LIFTOFF_API child open_with(const std::string& app, const std::vector<std::string>& targets, const open_options& opts, failure& f) noexcept {
    return detail::reporting(f, [&](failure& out) { return detail::open_with_on<detail::native_platform>(app, targets, opts, out); });
}
LIFTOFF_API child open_with(const std::string& app, const std::vector<std::string>& targets, const open_options& opts, std::error_code& ec) noexcept {
    return detail::reporting(ec, [&](failure& out) { return detail::open_with_on<detail::native_platform>(app, targets, opts, out); });
}
LIFTOFF_API child open_with(const std::string& app, const std::vector<std::string>& targets, const open_options& opts) {
    return detail::throwing([&](failure& out) { return detail::open_with_on<detail::native_platform>(app, targets, opts, out); });
}

LIFTOFF_API open_plan plan_open_with(const std::string& app, const std::vector<std::string>& targets, const open_options& opts, failure& f) noexcept {
    return detail::reporting(f, [&](failure& out) { return detail::plan_open_with_on<detail::native_platform>(app, targets, opts, out); });
}
LIFTOFF_API open_plan plan_open_with(const std::string& app, const std::vector<std::string>& targets, const open_options& opts, std::error_code& ec) noexcept {
    return detail::reporting(ec, [&](failure& out) { return detail::plan_open_with_on<detail::native_platform>(app, targets, opts, out); });
}
LIFTOFF_API open_plan plan_open_with(const std::string& app, const std::vector<std::string>& targets, const open_options& opts) {
    return detail::throwing([&](failure& out) { return detail::plan_open_with_on<detail::native_platform>(app, targets, opts, out); });
}

LIFTOFF_API child reveal(const path_arg& path, const open_options& opts, failure& f) noexcept {
    return detail::reporting(f, [&](failure& out) { return detail::reveal_on<detail::native_platform>(path.str(), opts, out); });
}
LIFTOFF_API child reveal(const path_arg& path, const open_options& opts, std::error_code& ec) noexcept {
    return detail::reporting(ec, [&](failure& out) { return detail::reveal_on<detail::native_platform>(path.str(), opts, out); });
}
LIFTOFF_API child reveal(const path_arg& path, const open_options& opts) {
    return detail::throwing([&](failure& out) { return detail::reveal_on<detail::native_platform>(path.str(), opts, out); });
}

LIFTOFF_API open_plan plan_reveal(const path_arg& path, const open_options& opts, failure& f) noexcept {
    return detail::reporting(f, [&](failure& out) { return detail::plan_reveal_on<detail::native_platform>(path.str(), opts, out); });
}
LIFTOFF_API open_plan plan_reveal(const path_arg& path, const open_options& opts, std::error_code& ec) noexcept {
    return detail::reporting(ec, [&](failure& out) { return detail::plan_reveal_on<detail::native_platform>(path.str(), opts, out); });
}
LIFTOFF_API open_plan plan_reveal(const path_arg& path, const open_options& opts) {
    return detail::throwing([&](failure& out) { return detail::plan_reveal_on<detail::native_platform>(path.str(), opts, out); });
}

}  // namespace v0
}  // namespace liftoff
