// liftoff/detail/url.hpp: the URL check open_url() and plan_open_url() make before anything
// runs (RFC 3986 characters only, an allowed scheme, never readable as an option), and the
// percent-encoding of a local path into a file: URI. Pure functions, the same on every OS.
// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>  // std::size_t
#include <string>
#include <string_view>
#include <vector>

#include "../error.hpp"
#include "text.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

inline bool is_ascii_alpha(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
inline bool is_ascii_digit(char c) noexcept {
    return c >= '0' && c <= '9';
}
inline bool is_hex_digit(char c) noexcept {
    return is_ascii_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/// RFC 3986 unreserved: ALPHA DIGIT - . _ ~
inline bool is_url_unreserved(char c) noexcept {
    return is_ascii_alpha(c) || is_ascii_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

/// A character RFC 3986 allows literally in a URI: unreserved, gen-delims, sub-delims (and '%',
/// which must start a %XX escape; that is checked separately).
inline bool is_url_char(char c) noexcept {
    if (is_url_unreserved(c)) return true;
    switch (c) {
    case ':':
    case '/':
    case '?':
    case '#':
    case '[':
    case ']':
    case '@':  // gen-delims
    case '!':
    case '$':
    case '&':
    case '\'':
    case '(':
    case ')':
    case '*':
    case '+':
    case ',':
    case ';':
    case '=':  // sub-delims
    case '%': return true;
    default: return false;
    }
}

/// "%XX" for each byte of `s`.
inline std::string percent_encode_all(std::string_view s) {
    static const char hex[] = "0123456789ABCDEF";
    std::string out;
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        out += '%';
        out += hex[c >> 4];
        out += hex[c & 15];
    }
    return out;
}

/// The scheme of an absolute URL ("https" of "https://x"), or "" if `url` does not start with
/// one: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":".
inline std::string_view url_scheme(std::string_view url) noexcept {
    if (url.empty() || !is_ascii_alpha(url[0])) return {};
    for (std::size_t i = 1; i < url.size(); ++i) {
        const char c = url[i];
        if (c == ':') return url.substr(0, i);
        if (!is_ascii_alpha(c) && !is_ascii_digit(c) && c != '+' && c != '-' && c != '.') return {};
    }
    return {};
}

/// A name for a character in a message: "a space", "'\"'", "U+00E9 'é'", "a control character (\x07)".
inline std::string describe_url_char(std::string_view url, std::size_t i, std::size_t& length) {
    const auto c = static_cast<unsigned char>(url[i]);
    length = 1;
    if (c == ' ') return "a space";
    if (c == '\t') return "a tab";
    if (c == '\n') return "a newline";
    if (c == '\r') return "a carriage return";
    if (c < 0x20 || c == 0x7f) return "a control character (" + printable(url.substr(i, 1)) + ")";
    if (c < 0x80) return "'" + std::string(1, static_cast<char>(c)) + "'";
    // A UTF-8 sequence: show it whole and encode all its bytes.
    std::size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    if (i + n > url.size()) n = 1;
    for (std::size_t k = 1; k < n; ++k)
        if ((static_cast<unsigned char>(url[i + k]) & 0xc0) != 0x80) n = 1;
    length = n;
    if (n == 1) return "the byte 0x" + percent_encode_all(url.substr(i, 1)).substr(1) + " (not UTF-8)";
    return "the non-ASCII character '" + std::string(url.substr(i, n)) + "'";
}

/// Checks `url` for open_url(). Returns a failure (unsafe_url, with what and where and the
/// encoding to use) or an empty one. `allowed` schemes compare case-insensitively.
inline failure check_url(std::string_view url, const std::vector<std::string>& allowed) {
    const std::string shown = printable(url.substr(0, 200)) + (url.size() > 200 ? "..." : "");
    auto refuse = [&](std::string what, std::string remedy) {
        return make_open_failure(errc::unsafe_url, shown, std::move(what), std::move(remedy));
    };
    if (url.empty()) return refuse("the URL is empty", "give an absolute URL such as https://example.com/");
    const char first = url.front();
    if (first == '-')
        return refuse("it begins with '-', so a program could read it as an option",
                      "give an absolute URL such as https://example.com/ (nothing was run)");
    if (first == ' ' || first == '\t' || first == '\n' || first == '\r' || first == '\f' || first == '\v')
        return refuse("it begins with whitespace", "remove the leading whitespace (nothing was run)");

    // Every character first: the message for "https://a b" is about the space, not the scheme.
    for (std::size_t i = 0; i < url.size(); ++i) {
        const char c = url[i];
        if (c == '%') {
            if (i + 2 >= url.size() || !is_hex_digit(url[i + 1]) || !is_hex_digit(url[i + 2]))
                return refuse("'%' at position " + std::to_string(i + 1) + " does not begin a %XX escape",
                              "write a literal '%' as %25 (nothing was run)");
            continue;
        }
        if (is_url_char(c)) continue;
        std::size_t n = 1;
        const std::string name = describe_url_char(url, i, n);
        return refuse(name + " at position " + std::to_string(i + 1) + " is not allowed in a URL (RFC 3986)",
                      "percent-encode it as " + percent_encode_all(url.substr(i, n)) + " (nothing was run)");
    }

    const std::string_view scheme = url_scheme(url);
    if (scheme.empty())
        return refuse("it is not an absolute URL (no scheme such as https:)",
                      "give an absolute URL such as https://example.com/; use open_path() for a file");
    bool ok = false;
    for (const auto& s : allowed)
        ok = ok || iequals(s, scheme);
    if (!ok)
        return refuse("the scheme '" + std::string(scheme) + "' is not allowed (allowed: " +
                          (allowed.empty() ? std::string("none") : join(allowed, ", ")) + ")",
                      "add it to open_options::allowed_schemes if opening it is safe (nothing was run)");
    const std::string_view rest = url.substr(scheme.size() + 1);
    if (rest.empty()) return refuse("nothing follows the scheme", "give a complete URL (nothing was run)");
    if ((iequals(scheme, "http") || iequals(scheme, "https")) &&
        (rest.compare(0, 2, "//") != 0 || rest.size() == 2 || rest[2] == '/' || rest[2] == '?' || rest[2] == '#'))
        return refuse("an " + std::string(scheme) + " URL needs a host after '//'",
                      "write it as " + std::string(scheme) + "://host/path (nothing was run)");
    return {};
}

/// A file: URI for an absolute local path: every byte except unreserved ones and '/' is
/// percent-encoded, so the URI holds no quote, comma, space or backslash.
inline std::string file_uri(std::string_view absolute_path) {
    std::string out = "file://";
    for (char c : absolute_path) {
        if (is_url_unreserved(c) || c == '/')
            out += c;
        else
            out += percent_encode_all(std::string_view(&c, 1));
    }
    return out;
}

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
