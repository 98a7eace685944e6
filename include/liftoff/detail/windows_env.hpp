// liftoff/detail/windows_env.hpp: Windows rules for environments and program lookup, pure and
// portable: variable names compared without regard to case, the environment block sorted as
// Windows expects, and the PATHEXT candidates for a bare program name.
// SPDX-License-Identifier: MIT
#pragma once

#include <algorithm>  // std::stable_sort
#include <cstddef>    // std::size_t
#include <string>
#include <string_view>
#include <vector>

#include "text.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

/// The name of a "NAME=value" entry. A leading '=' belongs to the name: Windows keeps each
/// drive's current directory in hidden variables such as "=C:=C:\work".
inline std::string_view windows_env_name(std::string_view entry) noexcept {
    const std::size_t eq = entry.find('=', 1);
    return entry.substr(0, eq);
}

/// Ordinal comparison of names with ASCII letters folded to upper case, as Windows sorts
/// environment blocks. (Names that differ only in the case of non-ASCII letters are merged
/// by the platform's own comparison before this sees them.)
inline int compare_env_names(std::string_view a, std::string_view b) noexcept {
    const std::size_t n = a.size() < b.size() ? a.size() : b.size();
    for (std::size_t i = 0; i < n; ++i) {
        auto x = static_cast<unsigned char>(a[i]), y = static_cast<unsigned char>(b[i]);
        if (x >= 'a' && x <= 'z') x = static_cast<unsigned char>(x - 'a' + 'A');
        if (y >= 'a' && y <= 'z') y = static_cast<unsigned char>(y - 'a' + 'A');
        if (x != y) return x < y ? -1 : 1;
    }
    return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
}

/// The entries sorted by name without regard to case, one per name (the last one given wins),
/// entries without '=' dropped: what CreateProcessW's environment block should hold.
inline std::vector<std::string> windows_environment(std::vector<std::string> entries) {
    std::vector<std::string> kept;
    kept.reserve(entries.size());
    for (auto& e : entries)
        if (e.find('=', 1) != std::string::npos) kept.push_back(std::move(e));
    std::stable_sort(kept.begin(), kept.end(), [](const std::string& a, const std::string& b) {
        return compare_env_names(windows_env_name(a), windows_env_name(b)) < 0;
    });
    std::vector<std::string> out;
    out.reserve(kept.size());
    for (auto& e : kept) {
        if (!out.empty() && compare_env_names(windows_env_name(out.back()), windows_env_name(e)) == 0)
            out.back() = std::move(e);  // stable sort: a later duplicate replaces the earlier
        else
            out.push_back(std::move(e));
    }
    return out;
}

/// The extensions PATHEXT lists (".COM;.EXE;.BAT;.CMD" when it is unset or empty), each
/// starting with '.', empty entries and entries without a leading dot dropped.
inline std::vector<std::string> pathext_list(std::string_view pathext) {
    std::vector<std::string> exts;
    for (auto& e : split_list(pathext.empty() ? std::string_view(".COM;.EXE;.BAT;.CMD") : pathext, ';'))
        if (e.size() > 1 && e.front() == '.') exts.push_back(std::move(e));
    return exts;
}

/// The files to try for a bare `name` in `dir`: the name itself when it already ends in an
/// extension PATHEXT lists (so "git.exe" is not tried as "git.exe.exe" first), otherwise the
/// name with each PATHEXT extension in order, in lower case (file names compare without regard
/// to case, and this is the spelling most files have). A name without such an extension is
/// never run as it is: Windows would not know how to run it.
inline std::vector<std::string> pathext_candidates(std::string_view dir, std::string_view name,
                                                   std::string_view pathext) {
    std::string base(dir);
    if (!base.empty() && base.back() != '\\' && base.back() != '/') base += '\\';
    base.append(name.data(), name.size());
    const auto exts = pathext_list(pathext);
    for (const auto& e : exts)
        if (name.size() > e.size() && iequals(name.substr(name.size() - e.size()), e)) return {base};
    std::vector<std::string> out;
    out.reserve(exts.size());
    for (const auto& e : exts) {
        std::string ext = e;  // ".EXE" tried as ".exe": the name most files have, and what users see
        for (auto& c : ext)
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        out.push_back(base + ext);
    }
    return out;
}

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
