// liftoff/impl/encoding.inl: from_system_encoding() (declared in encoding.hpp).
// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <system_error>

#include "../detail/config.hpp"
#include "../detail/encoding.hpp"
#include "../detail/failure.hpp"
#include "../encoding.hpp"
#include "../platform/select.hpp"

namespace liftoff {
inline namespace v0 {

namespace detail {
inline std::string from_system_encoding_into(const std::string& text, failure& f) {
    std::string out;
    f = decode_system_text<native_platform>(text, out);
    return out;
}
}  // namespace detail

LIFTOFF_API std::string from_system_encoding(const std::string& text, failure& f) noexcept {
    return detail::reporting(f, [&](failure& out) { return detail::from_system_encoding_into(text, out); });
}

LIFTOFF_API std::string from_system_encoding(const std::string& text, std::error_code& ec) noexcept {
    return detail::reporting(ec, [&](failure& out) { return detail::from_system_encoding_into(text, out); });
}

LIFTOFF_API std::string from_system_encoding(const std::string& text) {
    return detail::throwing([&](failure& out) { return detail::from_system_encoding_into(text, out); });
}

}  // namespace v0
}  // namespace liftoff
