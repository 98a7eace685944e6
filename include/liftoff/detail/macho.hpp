// liftoff/detail/macho.hpp: the dylibs a Mach-O program loads (LC_LOAD_DYLIB) and where dyld
// would find them (@executable_path, @loader_path, @rpath through LC_RPATH), so that preflight()
// on macOS names one that is missing. The system's own libraries (/usr/lib, /System) live in
// dyld's shared cache, not on disk: they are not looked for. Pure rules over a file reader.
// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "elf.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

/// What a Mach-O file's load commands say about the dylibs it needs.
struct macho_dylibs {
    bool macho = false;              ///< a Mach-O file (thin, or a slice of a universal one)
    std::vector<std::string> load;   ///< LC_LOAD_DYLIB (not the weak ones: those may be missing)
    std::vector<std::string> rpath;  ///< LC_RPATH, unexpanded
};

/// Reads the load commands of `path`: of a thin Mach-O, or of the slice of a universal one for
/// `cpu` (its first slice when none is). Bounded: 4,096 commands, 1 MiB of them.
inline macho_dylibs read_macho_dylibs(const std::string& path, const file_part_reader& read, std::uint32_t cpu) {
    macho_dylibs d;
    std::uint64_t base = 0;
    std::string head = read(path, 0, 4096);
    auto be = [](const std::string& b, std::size_t off) -> std::uint32_t {
        if (off + 4 > b.size()) return 0;
        std::uint32_t v = 0;
        for (std::size_t i = 0; i < 4; ++i)
            v = (v << 8) | static_cast<unsigned char>(b[off + i]);
        return v;
    };
    if (be(head, 0) == 0xcafebabeu) {  // universal: big-endian fat header, 20-byte fat_arch entries
        const std::uint32_t n = be(head, 4);
        if (n == 0 || n > 20) return d;
        std::uint64_t chosen = be(head, 8 + 8);
        for (std::uint32_t i = 0; i < n; ++i)
            if (be(head, 8 + i * 20) == cpu) chosen = be(head, 8 + i * 20 + 8);
        base = chosen;
        head = read(path, base, 32);
    }
    const std::uint32_t magic = be(head, 0);
    const bool swap = magic == 0xcefaedfeu || magic == 0xcffaedfeu;  // little-endian file (all of today's)
    const bool wide = magic == 0xfeedfacfu || magic == 0xcffaedfeu;
    if (!swap && magic != 0xfeedfaceu && magic != 0xfeedfacfu) return d;
    auto u32 = [&](const std::string& b, std::size_t off) -> std::uint32_t {
        const std::uint32_t v = be(b, off);
        return swap ? ((v >> 24) | ((v >> 8) & 0xff00u) | ((v << 8) & 0xff0000u) | (v << 24)) : v;
    };
    d.macho = true;
    const std::uint32_t ncmds = u32(head, 16), size = u32(head, 20);
    if (ncmds > 4096 || size > (1u << 20)) return d;
    const std::string cmds = read(path, base + (wide ? 32 : 28), size);
    std::size_t at = 0;
    for (std::uint32_t i = 0; i < ncmds && at + 8 <= cmds.size(); ++i) {
        const std::uint32_t cmd = u32(cmds, at), cmdsize = u32(cmds, at + 4);
        if (cmdsize < 8 || at + cmdsize > cmds.size()) break;
        auto string_at = [&](std::uint32_t offset) {
            if (offset >= cmdsize) return std::string();
            const std::string s = cmds.substr(at + offset, cmdsize - offset);
            return s.substr(0, s.find('\0'));
        };
        if (cmd == 0xcu || cmd == 0x8000001fu)  // LC_LOAD_DYLIB, LC_REEXPORT_DYLIB
            d.load.push_back(string_at(u32(cmds, at + 8)));
        else if (cmd == 0x8000001cu)  // LC_RPATH
            d.rpath.push_back(string_at(u32(cmds, at + 8)));
        at += cmdsize;
    }
    return d;
}

/// The dylibs `program` loads that dyld would not find, with where they were looked for.
/// `exists` says whether a file is there. Only the program's own commands are read (its
/// dylibs' dylibs are not followed).
template <class Exists>
std::vector<missing_library> find_missing_dylibs(const std::string& program, const file_part_reader& read,
                                                 std::uint32_t cpu, const Exists& exists) {
    std::vector<missing_library> missing;
    const macho_dylibs d = read_macho_dylibs(program, read, cpu);
    const auto slash = program.find_last_of('/');
    const std::string dir = slash == std::string::npos ? std::string(".") : program.substr(0, slash);
    auto expand = [&](std::string p) {
        for (const char* token : {"@executable_path", "@loader_path"})
            if (p.rfind(token, 0) == 0) p = dir + p.substr(std::string(token).size());
        return p;
    };
    for (const std::string& lib : d.load) {
        if (lib.rfind("/usr/lib/", 0) == 0 || lib.rfind("/System/", 0) == 0) continue;  // the shared cache
        std::vector<std::string> tried;
        if (lib.rfind("@rpath/", 0) == 0) {
            for (const std::string& r : d.rpath)
                tried.push_back(expand(r) + lib.substr(6));
        } else {
            tried.push_back(expand(lib));
        }
        bool found = false;
        for (const std::string& t : tried)
            found = found || exists(t);
        if (!found) missing.push_back(missing_library{lib, program, tried});
    }
    return missing;
}

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
