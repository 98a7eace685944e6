// liftoff/encoding.hpp: from_system_encoding(): text that arrived in the system's legacy code
// page (Windows' ANSI code page: Windows-1252, GBK, Shift-JIS ...) converted to the UTF-8 every
// liftoff string takes, explicitly and never guessed. On POSIX strings are bytes: unchanged.
// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>  // std::size_t
#include <string>
#include <system_error>
#include <utility>

#include "detail/config.hpp"
#include "error.hpp"
#include "platform/select.hpp"
#if LIFTOFF_DETAIL_DEFINITIONS
#include "detail/text.hpp"
#endif

namespace liftoff {
inline namespace v0 {

/// from_system_encoding() on platform P.
template <class P>
std::string basic_from_system_encoding(const std::string& text);
template <class P>
std::string basic_from_system_encoding(const std::string& text, std::error_code& ec) noexcept;

#if LIFTOFF_DETAIL_DEFINITIONS
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

template <class P>
std::string basic_from_system_encoding(const std::string& text) {
    std::string out;
    if (auto f = detail::decode_system_text<P>(text, out)) f.raise();
    return out;
}
template <class P>
std::string basic_from_system_encoding(const std::string& text, std::error_code& ec) noexcept {
    ec.clear();
    try {
        std::string out;
        if (auto f = detail::decode_system_text<P>(text, out)) {
            ec = make_error_code(f.code);
            return {};
        }
        return out;
    } catch (...) {
        ec = make_error_code(errc::resource_exhausted);  // allocation failed on the way
        return {};
    }
}
#endif  // LIFTOFF_DETAIL_DEFINITIONS

/// Converts `text` from the system's legacy encoding to UTF-8. Windows: from the active ANSI
/// code page (GetACP: Windows-1252, GBK, Shift-JIS ...; UTF-8 where the system or the program's
/// manifest makes that the code page), for text from narrow APIs, `argv` of `main`, or files
/// written by such programs. POSIX: returned unchanged (strings are bytes there).
/// Throws launch_error with errc::encoding_error when `text` is not valid in that code page
/// (its what() shows the text and names the code page); nothing is ever replaced or guessed.
inline std::string from_system_encoding(const std::string& text) {
    return basic_from_system_encoding<native_platform>(text);
}
/// As from_system_encoding(text); failure sets `ec` to errc::encoding_error and returns "".
inline std::string from_system_encoding(const std::string& text, std::error_code& ec) noexcept {
    return basic_from_system_encoding<native_platform>(text, ec);
}

}  // namespace v0
}  // namespace liftoff
