// liftoff/detail/json.hpp: a small JSON writer for report::to_json (strings escaped, invalid UTF-8
// replaced by U+FFFD so the output is always valid JSON; a name's exact bytes go beside it).
// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <vector>

#include "text.hpp"
#include "utf.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

/// `s` as a JSON string literal, quotes included.
inline std::string json_quote(std::string_view s) {
    static const char hex[] = "0123456789abcdef";
    std::string out = "\"";
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t next = i;
        std::uint32_t cp = 0;
        const std::size_t n = decode_utf8(s, next, cp) ? next - i : 0;
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

/// A name (a path, a directory): `"key": "..."`, and when it is not valid UTF-8 (its string has
/// U+FFFD for the bad bytes) also `"key_hex": "c4e3..."`, its exact bytes as hex.
inline void json_name(json_writer& w, std::string_view key, std::string_view name) {
    w.key(key).string(name);
    if (!valid_utf8(name)) w.key(std::string(key) + "_hex").string(hex_bytes(name));
}

/// A list of names, and `"key_hex": [...]` (every entry, as hex) when one of them is not UTF-8.
inline void json_names(json_writer& w, std::string_view key, const std::vector<std::string>& names) {
    w.key(key).open('[');
    bool exact = true;
    for (const auto& n : names) {
        w.string(n);
        exact = exact && valid_utf8(n);
    }
    w.close(']');
    if (exact) return;
    w.key(std::string(key) + "_hex").open('[');
    for (const auto& n : names)
        w.string(hex_bytes(n));
    w.close(']');
}

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
