// liftoff/detail/redact.hpp: which environment variables and values are secrets, and how a
// report shows them (diagnose(), preflight(), liftoff doctor).
// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "text.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

/// Names whose values are secrets in practice; the listed exceptions are facts, not secrets.
inline bool secret_name(std::string_view name) {
    static const char* const exempt[] = {"XDG_SESSION_TYPE",    "XDG_SESSION_ID",  "XDG_SESSION_CLASS",
                                         "XDG_SESSION_DESKTOP", "DESKTOP_SESSION", "DBUS_SESSION_BUS_ADDRESS",
                                         "SSH_AUTH_SOCK"};
    for (const char* e : exempt)
        if (name == e) return false;
    static const char* const words[] = {"TOKEN", "SECRET", "PASSWORD", "PASSWD",  "PASSPHRASE", "KEY",     "CREDENTIAL",
                                        "AUTH",  "COOKIE", "SESSION",  "PRIVATE", "SIGNATURE",  "API_KEY", "ACCESS"};
    std::string upper(name);
    for (char& c : upper)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    for (const char* w : words)
        if (upper.find(w) != std::string::npos) return true;
    // A personal access token by its usual name (GITHUB_PAT), without catching PATH.
    return upper.size() >= 4 && upper.compare(upper.size() - 4, 4, "_PAT") == 0;
}

/// The value with a password in a URL's user info ("http://user:pw@proxy") replaced.
inline std::string redact_url_password(const std::string& value) {
    const auto scheme = value.find("://");
    if (scheme == std::string::npos) return value;
    // The user info ends at the authority's last '@' (a password may hold '@' itself).
    const auto end = value.find_first_of("/?#", scheme + 3);
    const auto at = value.rfind('@', end == std::string::npos ? std::string::npos : end - 1);
    if (at == std::string::npos || at < scheme + 3) return value;
    const auto colon = value.find(':', scheme + 3);
    if (colon == std::string::npos || colon > at) return value;
    return value.substr(0, colon + 1) + "<redacted>" + value.substr(at);
}

/// A value that is a credential whatever its variable's name: the prefixes the big token
/// issuers use, and private keys.
inline bool secret_value(std::string_view v) {
    static const char* const prefixes[] = {"ghp_",   "gho_",     "ghu_",     "ghs_",  "ghr_",  "github_pat_",
                                           "glpat-", "xoxb-",    "xoxp-",    "xoxa-", "AKIA",  "ASIA",
                                           "sk-",    "sk_live_", "rk_live_", "npm_",  "pypi-", "-----BEGIN"};
    for (const char* p : prefixes)
        if (v.compare(0, std::string_view(p).size(), p) == 0) return true;
    return false;
}

inline std::string redact(std::string_view name, const std::string& value) {
    if (secret_name(name) || secret_value(value)) return "<redacted>";
    return redact_url_password(value);
}

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
