// liftoff/detail/file.hpp: reading a small file whole (probe files, desktop entries, /proc), with
// <cstdio> rather than <fstream>, which would cost every user's compile more than all of this.
// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>

namespace liftoff {
inline namespace v0 {
namespace detail {

/// The first `limit` bytes of the file at `path` (a path the C library takes: POSIX bytes).
/// False when it cannot be opened.
inline bool read_file_prefix(const std::string& path, std::string& out, std::size_t limit = 1 << 20) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) return false;
    out.clear();
    char buf[4096];
    while (out.size() < limit) {
        const std::size_t want = limit - out.size() < sizeof buf ? limit - out.size() : sizeof buf;
        const std::size_t got = std::fread(buf, 1, want, f);
        out.append(buf, got);
        if (got < want) break;
    }
    std::fclose(f);
    return true;
}

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
