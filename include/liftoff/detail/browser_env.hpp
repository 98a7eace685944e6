// liftoff/detail/browser_env.hpp: reading $BROWSER, a ':'-separated list of commands, into
// argvs for one URL. An entry is split into words first and the URL is put in afterwards, as
// one word, so no URL can add an argument (the RUSTSEC-2026-0257 class). Pure, every OS.
// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>  // std::size_t
#include <string>
#include <string_view>
#include <vector>

#include "text.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

/// One $BROWSER entry: its words as written, and whether it has a %s for the URL.
struct browser_entry {
    std::vector<std::string> words;
    bool templated = false;
};

/// The entries of a $BROWSER value: split at ':', empty entries skipped, each split into words
/// at spaces and tabs (no quoting, as xdg-open and Python read it).
inline std::vector<browser_entry> parse_browser_list(std::string_view value) {
    std::vector<browser_entry> out;
    for (const auto& item : split_list(value, ':')) {
        browser_entry e;
        std::string word;
        for (char c : item) {
            if (c == ' ' || c == '\t') {
                if (!word.empty()) e.words.push_back(std::move(word));
                word.clear();
            } else {
                word += c;
            }
        }
        if (!word.empty()) e.words.push_back(std::move(word));
        if (e.words.empty()) continue;
        for (const auto& w : e.words)
            e.templated = e.templated || w.find("%s") != std::string::npos;
        out.push_back(std::move(e));
    }
    return out;
}

/// The argv of `entry` for `url`: with %s, each word gets the URL for each %s and '%' for %%
/// (the words were split before, so the URL stays inside its word); without, the URL is
/// appended as the last word.
inline std::vector<std::string> browser_argv(const browser_entry& entry, const std::string& url) {
    std::vector<std::string> argv;
    if (!entry.templated) {
        argv = entry.words;
        argv.push_back(url);
        return argv;
    }
    for (const auto& w : entry.words) {
        std::string out;
        for (std::size_t i = 0; i < w.size(); ++i) {
            if (w[i] == '%' && i + 1 < w.size() && (w[i + 1] == 's' || w[i + 1] == '%')) {
                out += w[i + 1] == 's' ? url : std::string("%");
                ++i;
            } else {
                out += w[i];
            }
        }
        argv.push_back(std::move(out));
    }
    return argv;
}

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
