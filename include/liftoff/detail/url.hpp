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
#include "failure.hpp"
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

/// `url` with its scheme in lowercase and the rest unchanged. RFC 3986 makes schemes
/// case-insensitive, but openers look handlers up by the exact name (xdg-open's
/// x-scheme-handler/https), so "HTTPS://x" would miss the user's registered browser.
inline std::string with_lowercase_scheme(std::string_view url) {
    std::string out(url);
    const std::size_t n = url_scheme(url).size();
    for (std::size_t i = 0; i < n; ++i)
        if (out[i] >= 'A' && out[i] <= 'Z') out[i] = static_cast<char>(out[i] - 'A' + 'a');
    return out;
}

/// The host of an http(s) URL's authority ("//[userinfo@]host[:port]"): without the userinfo
/// and the port, so "http://:80/" and "http://user@/" have an empty one. `rest` follows "scheme:".
inline std::string_view url_host(std::string_view rest) noexcept {
    if (rest.compare(0, 2, "//") != 0) return {};
    std::string_view host = rest.substr(2, rest.find_first_of("/?#", 2) - 2);
    const std::size_t at = host.rfind('@');
    if (at != std::string_view::npos) host.remove_prefix(at + 1);
    if (!host.empty() && host.front() == '[') {  // an IP literal: its ':'s are not the port's
        const std::size_t close = host.find(']');
        return close == std::string_view::npos ? host : host.substr(1, close - 1);
    }
    return host.substr(0, host.find(':'));
}

/// `s` with each %XX escape decoded (a '%' that begins none is kept).
inline std::string percent_decode(std::string_view s) {
    auto value = [](char c) {
        return is_ascii_digit(c) ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : c - 'A' + 10;
    };
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && is_hex_digit(s[i + 1]) && is_hex_digit(s[i + 2])) {
            out += static_cast<char>(value(s[i + 1]) * 16 + value(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

/// The first header field of a mailto: URL that asks a mail client to attach a file
/// ("attach", "attachment", in any case, percent-encoded or not), or "". Mail clients have
/// attached local files from such links (Evolution, CVE-2020-11879). Read generously, as a lax
/// client might: the whole URL is decoded (twice-encoded too) before it is split at '?', '&'
/// and ';', so neither `%3Fattach=` nor `%2561ttach=` slips through.
inline std::string mailto_attachment_field(std::string_view rest) {
    std::string decoded(rest);
    for (int round = 0; round < 3; ++round) {
        std::string again = percent_decode(decoded);
        if (again == decoded) break;
        decoded = std::move(again);
    }
    const std::size_t q = decoded.find('?');
    if (q == std::string::npos) return {};
    const std::string query = decoded.substr(q + 1);
    std::size_t start = 0;
    while (start <= query.size()) {
        std::size_t end = query.find_first_of("&;?", start);
        if (end == std::string::npos) end = query.size();
        std::string_view name = std::string_view(query).substr(start, end - start);
        name = name.substr(0, name.find('='));
        while (!name.empty() && (name.front() == ' ' || name.front() == '\t'))
            name.remove_prefix(1);
        while (!name.empty() && (name.back() == ' ' || name.back() == '\t'))
            name.remove_suffix(1);
        if (iequals(name, "attach") || iequals(name, "attachment")) return std::string(name);
        start = end + 1;
    }
    return {};
}

/// Checks `url` for open_url(). Returns a failure (unsafe_url, with what and where and the
/// encoding to use) or an empty one. `allowed` schemes compare case-insensitively. A mailto:
/// URL asking for an attachment is refused unless `allow_mail_attachments`.
inline failure check_url(std::string_view url, const std::vector<std::string>& allowed,
                         bool allow_mail_attachments = false) {
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
    if ((iequals(scheme, "http") || iequals(scheme, "https")) && url_host(rest).empty())
        return refuse(
            "an " + std::string(scheme) + " URL needs a host after '//' (and after any 'user@', before any ':port')",
            "write it as " + std::string(scheme) + "://host/path (nothing was run)");
    if (iequals(scheme, "mailto") && !allow_mail_attachments) {
        const std::string field = mailto_attachment_field(rest);
        if (!field.empty())
            return refuse("it asks the mail client to attach a file ('" + printable(field) +
                              "='), which could send a local file away",
                          "remove that field, or set open_options::allow_mail_attachments if the caller chose "
                          "the file (nothing was run)");
    }
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
