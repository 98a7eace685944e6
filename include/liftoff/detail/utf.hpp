// liftoff/detail/utf.hpp: UTF-8 validation and UTF-8 <-> UTF-16 conversion, pure and portable
// (Windows takes UTF-16; the rules are tested on every OS).
// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>  // std::size_t
#include <cstdint>  // std::uint32_t
#include <string>
#include <string_view>

namespace liftoff {
inline namespace v0 {
namespace detail {

/// How to treat UTF-16 surrogate code points (U+D800..U+DFFF) written as three UTF-8 bytes.
/// `strict` refuses them (they are not UTF-8); `wtf8` takes them as lone surrogates, so text
/// that came from the OS as ill-formed UTF-16 (an environment variable, say) round-trips.
enum class surrogates : unsigned char { strict, wtf8 };

/// Decodes one code point at `s[i]`, advancing `i`. Returns false for anything that is not
/// UTF-8: stray continuation bytes, truncated sequences, overlong forms, values above
/// U+10FFFF, and (unless `mode` is wtf8) surrogates. In wtf8 mode a lead surrogate directly
/// followed by a trail one is refused too: that pair is a 4-byte code point in WTF-8.
inline bool decode_utf8(std::string_view s, std::size_t& i, std::uint32_t& cp,
                        surrogates mode = surrogates::strict) noexcept {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char b0 = byte(i);
    std::size_t n;
    std::uint32_t lowest;
    if (b0 < 0x80) {
        cp = b0;
        ++i;
        return true;
    } else if (b0 >= 0xc2 && b0 <= 0xdf) {
        n = 1, lowest = 0x80, cp = b0 & 0x1fu;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
        n = 2, lowest = 0x800, cp = b0 & 0x0fu;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
        n = 3, lowest = 0x10000, cp = b0 & 0x07u;
    } else {
        return false;  // a continuation byte, 0xc0/0xc1 (always overlong) or 0xf5..0xff
    }
    if (s.size() - i <= n) return false;
    for (std::size_t k = 1; k <= n; ++k) {
        const unsigned char b = byte(i + k);
        if ((b & 0xc0u) != 0x80u) return false;
        cp = (cp << 6) | (b & 0x3fu);
    }
    if (cp < lowest || cp > 0x10ffff) return false;
    if (cp >= 0xd800 && cp <= 0xdfff) {
        if (mode == surrogates::strict) return false;
        // WTF-8 writes a pair as its one 4-byte code point: a lead surrogate followed by a
        // trail one (ED B0..BF xx) would come back from UTF-16 as 4 bytes, not as these 6.
        const std::size_t next = i + n + 1;
        if (cp <= 0xdbff && s.size() - next >= 2 && byte(next) == 0xed && (byte(next + 1) & 0xf0u) == 0xb0u)
            return false;
    }
    i += n + 1;
    return true;
}

/// True when `s` is well-formed UTF-8 (no surrogates, no overlong forms).
inline bool valid_utf8(std::string_view s) noexcept {
    std::size_t i = 0;
    std::uint32_t cp;
    while (i < s.size())
        if (!decode_utf8(s, i, cp)) return false;
    return true;
}

/// UTF-8 to UTF-16 in any 16-bit character type (char16_t here, wchar_t on Windows). Returns
/// false (and leaves `out` partly written) when `in` is not UTF-8 under `mode`.
template <class String16>
bool utf8_to_utf16(std::string_view in, String16& out, surrogates mode = surrogates::strict) {
    using unit = typename String16::value_type;
    static_assert(sizeof(unit) == 2, "UTF-16 needs a 16-bit character type");
    out.clear();
    out.reserve(in.size());
    std::size_t i = 0;
    std::uint32_t cp;
    while (i < in.size()) {
        if (!decode_utf8(in, i, cp, mode)) return false;
        if (cp < 0x10000) {
            out.push_back(static_cast<unit>(cp));
        } else {
            cp -= 0x10000;
            out.push_back(static_cast<unit>(0xd800 + (cp >> 10)));
            out.push_back(static_cast<unit>(0xdc00 + (cp & 0x3ff)));
        }
    }
    return true;
}

inline void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xc0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xe0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
        out += static_cast<char>(0xf0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    }
}

/// UTF-16 (possibly ill-formed, as the OS may hand it over) to UTF-8. A lone surrogate becomes
/// its three-byte WTF-8 form, which utf8_to_utf16(..., surrogates::wtf8) turns back into it.
template <class Char16>
std::string utf16_to_utf8(std::basic_string_view<Char16> in) {
    static_assert(sizeof(Char16) == 2, "UTF-16 needs a 16-bit character type");
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        std::uint32_t cp = static_cast<std::uint16_t>(in[i]);
        if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < in.size()) {
            const std::uint32_t low = static_cast<std::uint16_t>(in[i + 1]);
            if (low >= 0xdc00 && low <= 0xdfff) {
                cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
                ++i;
            }
        }
        append_utf8(out, cp);
    }
    return out;
}

template <class String16>
std::string utf16_to_utf8(const String16& in) {
    return utf16_to_utf8(std::basic_string_view<typename String16::value_type>(in));
}

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
