// tests/fuzz/fuzz.hpp: what every libFuzzer harness shares: the input as text, and a check that
// stops the run (a crash libFuzzer reports and saves) when a property fails.
// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <liftoff/liftoff.hpp>

namespace fuzz {

/// Stops the run with what failed; libFuzzer saves the input that did it.
[[noreturn]] inline void failed(const char* what, const char* file, int line, std::string_view input) {
    std::fprintf(stderr, "%s:%d: property failed: %s\n  input: %s\n", file, line, what,
                 liftoff::detail::printable(input).c_str());
    std::abort();
}

/// The input split at NUL bytes (several strings from one input).
inline std::vector<std::string> split_nul(std::string_view s) {
    std::vector<std::string> out(1);
    for (const char c : s) {
        if (c == '\0')
            out.emplace_back();
        else
            out.back() += c;
    }
    return out;
}

}  // namespace fuzz

#define FUZZ_CHECK(cond, input) ((cond) ? (void)0 : ::fuzz::failed(#cond, __FILE__, __LINE__, (input)))
