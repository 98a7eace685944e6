// liftoff/detail/search.hpp: looking a bare name up in a PATH list, the way launch() does.
// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "text.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

/// The outcome of looking a bare name up in a PATH list.
struct path_search {
    std::string found;                  ///< the first runnable candidate, or ""
    std::string not_runnable;           ///< the first candidate that exists but cannot be run
    std::vector<std::string> searched;  ///< the entries searched, in order
    std::vector<std::string> skipped;   ///< empty and relative entries, never searched
};

/// Search `list` for `name` the way launch() does: absolute entries only (never the current
/// directory, never an empty or relative entry), first runnable regular file wins. `pathext` is
/// the PATHEXT that platforms with one (Windows) try in each directory.
template <class P>
path_search search_path_list(std::string_view name, std::string_view list,
                             const std::optional<std::string>& pathext = std::nullopt) {
    path_search s;
    for (auto& dir : split_list(list, P::path_list_separator)) {
        if (dir.empty() || !P::is_absolute(dir)) {
            s.skipped.push_back(dir);
            continue;
        }
        for (auto& candidate : P::path_candidates(dir, name, pathext)) {
            const auto probe = P::probe_file(candidate);
            if (probe.regular && probe.executable) {
                s.found = std::move(candidate);
                s.searched.push_back(std::move(dir));
                return s;
            }
            if (probe.exists && s.not_runnable.empty()) s.not_runnable = candidate;
        }
        s.searched.push_back(std::move(dir));
    }
    return s;
}

/// "'' (empty) and 'bin' (relative)" for a message, or "".
inline std::string describe_skipped(const std::vector<std::string>& skipped) {
    std::string out;
    for (std::size_t i = 0; i < skipped.size(); ++i) {
        if (i != 0) out += i + 1 == skipped.size() ? " and " : ", ";
        out += "'" + printable(skipped[i]) + "'" + (skipped[i].empty() ? " (empty)" : " (relative)");
    }
    return out;
}

template <class P>
std::optional<std::filesystem::path> find_program_in(std::string_view name, std::string_view list) {
    if (!P::valid_text(name)) return std::nullopt;
    if (name.empty() || name.find('\0') != std::string_view::npos) return std::nullopt;
    if (P::has_directory_part(name)) {
        std::string full = P::make_absolute(std::string(name));
        const auto probe = P::probe_file(full);
        if (probe.regular && probe.executable) return P::to_path(full);
        return std::nullopt;
    }
    auto s = search_path_list<P>(name, list, P::get_env("PATHEXT"));
    if (s.found.empty()) return std::nullopt;
    return P::to_path(s.found);
}

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
