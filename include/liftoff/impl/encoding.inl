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

LIFTOFF_API std::string from_system_encoding(const std::string& text, failure& f) noexcept {
    f = {};
    try {
        std::string out;
        f = detail::decode_system_text<detail::native_platform>(text, out);
        return out;
    } catch (...) {
        detail::out_of_memory(f);  // allocation failed on the way
        return {};
    }
}

LIFTOFF_API std::string from_system_encoding(const std::string& text, std::error_code& ec) noexcept {
    failure f;
    std::string out = from_system_encoding(text, f);
    ec = f.code;
    return out;
}

LIFTOFF_API std::string from_system_encoding(const std::string& text) {
    std::string out;
    if (auto f = detail::decode_system_text<detail::native_platform>(text, out)) detail::raise(f);
    return out;
}

}  // namespace v0
}  // namespace liftoff
