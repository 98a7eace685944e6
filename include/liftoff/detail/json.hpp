// liftoff/detail/json.hpp: a small JSON writer for report::to_json (strings escaped, invalid UTF-8
// replaced by U+FFFD so the output is always valid JSON).
// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace liftoff {
inline namespace v0 {
namespace detail {

/// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is not one.
inline std::size_t utf8_sequence_length(std::string_view s, std::size_t i) noexcept {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = b(i);
    if (c < 0x80) return 1;
    std::size_t n = 0;
    unsigned min = 0;
    unsigned cp = 0;
    if ((c & 0xE0) == 0xC0) {
        n = 2, cp = c & 0x1Fu, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3, cp = c & 0x0Fu, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4, cp = c & 0x07u, min = 0x10000;
    } else {
        return 0;
    }
    if (i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k) {
        if ((b(i + k) & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b(i + k) & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return n;
}

inline bool valid_utf8(std::string_view s) noexcept {
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = utf8_sequence_length(s, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

/// `s` as a JSON string literal, quotes included.
inline std::string json_quote(std::string_view s) {
    static const char hex[] = "0123456789abcdef";
    std::string out = "\"";
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const std::size_t n = utf8_sequence_length(s, i);
        if (n == 0) {
            out += "\xEF\xBF\xBD";  // U+FFFD for a byte that is not UTF-8
            ++i;
            continue;
        }
        if (n > 1) {
            out.append(s.data() + i, n);
        } else if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c < 0x20 || c == 0x7f) {
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 15];
        } else {
            out += static_cast<char>(c);
        }
        i += n;
    }
    return out + "\"";
}

/// Builds one JSON object or array, comma by comma.
class json_writer {
public:
    json_writer& open(char bracket) {
        comma();
        out_ += bracket;
        first_ = true;
        return *this;
    }
    json_writer& close(char bracket) {
        out_ += bracket;
        first_ = false;
        return *this;
    }
    json_writer& key(std::string_view k) {
        comma();
        out_ += json_quote(k);
        out_ += ": ";
        first_ = true;  // the value follows without a comma
        return *this;
    }
    json_writer& string(std::string_view v) { return raw(json_quote(v)); }
    json_writer& boolean(bool v) { return raw(v ? "true" : "false"); }
    json_writer& number(long long v) { return raw(std::to_string(v)); }
    json_writer& null() { return raw("null"); }
    json_writer& raw(const std::string& text) {
        comma();
        out_ += text;
        return *this;
    }
    const std::string& str() const noexcept { return out_; }

private:
    void comma() {
        if (!first_) out_ += ", ";
        first_ = false;
    }
    std::string out_;
    bool first_ = true;
};

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
