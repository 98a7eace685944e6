// liftoff/detail/text.hpp: small string helpers for messages and environment handling.
// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>  // std::size_t
#include <cstdint>  // std::uint32_t
#include <string>
#include <string_view>
#include <vector>

#include "utf.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

/// Appends `c` as \xNN.
inline void append_hex_escape(std::string& out, unsigned char c) {
    static const char hex[] = "0123456789abcdef";
    out += "\\x";
    out += hex[c >> 4];
    out += hex[c & 15];
}

/// printable() and printable_message(): `escape_backslash_x` says whether a backslash that
/// reads like an escape ("\\x" and two hex digits) is itself escaped.
inline std::string escape_for_text(std::string_view s, bool escape_backslash_x) {
    const auto hex_digit = [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    };
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t next = i;
        std::uint32_t cp = 0;
        if (c >= 0x80) {
            if (decode_utf8(s, next, cp)) {
                out.append(s.data() + i, next - i);
                i = next;
            } else {
                append_hex_escape(out, c);  // not UTF-8: one byte at a time, resynchronising after it
                ++i;
            }
            continue;
        }
        if (c < 0x20 || c == 0x7f ||
            (escape_backslash_x && c == '\\' && s.size() - i > 3 && s[i + 1] == 'x' && hex_digit(s[i + 2]) &&
             hex_digit(s[i + 3])))
            append_hex_escape(out, c);
        else
            out += static_cast<char>(c);
        ++i;
    }
    return out;
}

/// `s` with every control character and every byte that is not part of valid UTF-8 written as
/// \xNN (lowercase hex), so a message stays on one line and no byte of a name is lost. A
/// backslash is written \x5c only where 'x' and two hex digits follow it, so every \xNN in the
/// result is an escape and every other character is itself (Windows paths keep their
/// backslashes). The rule is documented in docs/guide/explain-failures.md.
inline std::string printable(std::string_view s) {
    return escape_for_text(s, true);
}

/// A message built from printable() parts, made safe for one line of output: control
/// characters and bytes that are not UTF-8 become \xNN, backslashes are left as they are (the
/// names in it were escaped when it was built; escaping them again would double the escapes).
inline std::string printable_message(std::string_view s) {
    return escape_for_text(s, false);
}

/// The bytes of `s` as lowercase hex, two digits a byte ("c4e3"): the exact name, for JSON.
inline std::string hex_bytes(std::string_view s) {
    static const char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(s.size() * 2);
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        out += hex[c >> 4];
        out += hex[c & 15];
    }
    return out;
}

/// Split a PATH-like list at `sep`, keeping empty entries (they are findings, not the cwd).
inline std::vector<std::string> split_list(std::string_view list, char sep) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (;;) {
        const std::size_t end = list.find(sep, start);
        parts.emplace_back(list.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    return parts;
}

inline std::string join(const std::vector<std::string>& parts, std::string_view sep) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i != 0) out += sep;
        out += parts[i];
    }
    return out;
}

/// Position of the first NUL byte, or npos.
inline std::size_t find_nul(std::string_view s) noexcept {
    return s.find('\0');
}

/// The part of a "NAME=value" entry before the first '='.
inline std::string_view env_entry_name(std::string_view entry) noexcept {
    return entry.substr(0, entry.find('='));
}

/// Case-insensitive ASCII comparison (Windows variable names, URL schemes).
inline bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
