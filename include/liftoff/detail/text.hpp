// liftoff/detail/text.hpp: small string helpers for messages and environment handling.
// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>  // std::size_t
#include <string>
#include <string_view>
#include <vector>

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

/// The text with control characters shown as \n, \t, \xNN, so a message stays on one line.
inline std::string printable(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '\n') {
            out += "\\n";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c < 0x20 || c == 0x7f) {
            append_hex_escape(out, c);
        } else {
            out += ch;
        }
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
