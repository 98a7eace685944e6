// liftoff/detail/encoding.hpp: text in the system's legacy code page converted to UTF-8, or the
// failure that names the text and the code page (from_system_encoding()).
// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>  // std::size_t
#include <string>
#include <string_view>
#include <utility>

#include "../error.hpp"
#include "text.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

/// The conversion on platform P, or the failure that names the text and the code page.
template <class P>
failure decode_system_text(const std::string& text, std::string& out) {
    if (auto utf8 = P::decode_system_text(text)) {
        out = std::move(*utf8);
        return {};
    }
    // The text is not UTF-8 (nor, as it turned out, the code page): every byte past ASCII is
    // shown as \xNN, so the message stays readable and valid UTF-8.
    constexpr std::size_t shown = 60;
    std::string quoted;
    for (const char ch : std::string_view(text).substr(0, shown)) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x80)
            quoted += printable(std::string_view(&ch, 1));
        else
            append_hex_escape(quoted, c);
    }
    if (text.size() > shown) quoted += "...";
    failure f;
    f.code = errc::encoding_error;
    f.what = "it is not valid text in " + P::system_encoding_name();
    f.remedy = "find out which encoding it is in (it may be UTF-8 already) and convert it from that";
    f.message = "liftoff: cannot convert '" + quoted + "' to UTF-8: " + f.what + "; " + f.remedy;
    return f;
}

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
