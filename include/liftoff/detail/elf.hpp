// liftoff/detail/elf.hpp: the shared libraries an ELF program needs (DT_NEEDED) and where the
// dynamic loader would find them (DT_RPATH, LD_LIBRARY_PATH, DT_RUNPATH, /etc/ld.so.cache, the
// default directories), so that preflight() names a missing library before the loader's
// "error while loading shared libraries" kills the child with 127. Pure rules: the files are
// read through the callback given.
// SPDX-License-Identifier: MIT
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "binary_format.hpp"
#include "text.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

/// Reads `size` bytes at `offset` of the file at `path`; fewer (or none) at its end or when it
/// cannot be read.
using file_part_reader = std::function<std::string(const std::string& path, std::uint64_t offset, std::size_t size)>;

/// What an ELF file's dynamic section says about its libraries.
struct elf_dynamic {
    bool elf = false;                 ///< it is an ELF file whose headers could be read
    int elf_class = 0;                ///< 32 or 64
    unsigned machine = 0;             ///< e_machine
    bool little_endian = true;        ///< the data encoding
    std::vector<std::string> needed;  ///< DT_NEEDED, in order
    std::string rpath, runpath;       ///< DT_RPATH, DT_RUNPATH (':'-separated, unexpanded)
};

/// Reads the headers, the program headers and the dynamic section of `path`. Bounded: at most
/// 64 program headers, 4,096 dynamic entries and 64 KiB of string table are looked at.
inline elf_dynamic read_elf_dynamic(const std::string& path, const file_part_reader& read) {
    elf_dynamic d;
    const std::string head = read(path, 0, 64);
    const binary_format f = sniff_binary(head);
    if (f.what != binary_format::kind::elf || head.size() < 52) return d;
    const bool wide = f.elf_class == 64;
    auto num = [&](std::string_view b, std::size_t off, std::size_t n) -> std::uint64_t {
        std::uint64_t v = 0;
        if (off + n > b.size()) return 0;
        for (std::size_t i = 0; i < n; ++i)
            v = (v << 8) | static_cast<unsigned char>(b[off + (f.little_endian ? n - 1 - i : i)]);
        return v;
    };
    const std::size_t word = wide ? 8 : 4;
    const std::uint64_t phoff = num(head, wide ? 32 : 28, word);
    const std::uint64_t phentsize = num(head, wide ? 54 : 42, 2);
    const std::uint64_t phnum = num(head, wide ? 56 : 44, 2);
    if (phentsize < (wide ? 56u : 32u) || phnum == 0 || phnum > 64) return d;
    const std::string ph = read(path, phoff, static_cast<std::size_t>(phentsize * phnum));
    struct segment {
        std::uint64_t offset, vaddr, filesz;
    };
    std::vector<segment> loads;
    segment dynamic{0, 0, 0};
    for (std::uint64_t i = 0; i < phnum; ++i) {
        const std::size_t at = static_cast<std::size_t>(i * phentsize);
        if (at + phentsize > ph.size()) break;
        const std::uint64_t type = num(ph, at, 4);
        const segment s = wide ? segment{num(ph, at + 8, 8), num(ph, at + 16, 8), num(ph, at + 32, 8)}
                               : segment{num(ph, at + 4, 4), num(ph, at + 8, 4), num(ph, at + 16, 4)};
        if (type == 1) loads.push_back(s);  // PT_LOAD
        if (type == 2) dynamic = s;         // PT_DYNAMIC
    }
    d.elf = true;
    d.elf_class = f.elf_class;
    d.machine = f.machine;
    d.little_endian = f.little_endian;
    if (dynamic.filesz == 0) return d;  // linked statically
    const std::size_t entry = 2 * word;
    const std::string dyn = read(
        path, dynamic.offset,
        static_cast<std::size_t>(std::min<std::uint64_t>(dynamic.filesz, 4096 * static_cast<std::uint64_t>(entry))));
    std::uint64_t strtab = 0, strsz = 0;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> names;  // tag, string offset
    for (std::size_t at = 0; at + entry <= dyn.size(); at += entry) {
        const std::uint64_t tag = num(dyn, at, word), value = num(dyn, at + word, word);
        if (tag == 0) break;  // DT_NULL
        if (tag == 5) strtab = value;
        if (tag == 10) strsz = value;
        if (tag == 1 || tag == 15 || tag == 29) names.emplace_back(tag, value);  // NEEDED, RPATH, RUNPATH
    }
    // DT_STRTAB is an address: the PT_LOAD segment that holds it says where it is in the file.
    std::uint64_t strtab_offset = 0;
    bool mapped = false;
    for (const segment& s : loads)
        if (strtab >= s.vaddr && strtab < s.vaddr + s.filesz) {
            strtab_offset = strtab - s.vaddr + s.offset;
            mapped = true;
        }
    if (!mapped || strsz == 0) return d;
    const std::string strings =
        read(path, strtab_offset, static_cast<std::size_t>(std::min<std::uint64_t>(strsz, 64 * 1024)));
    for (const auto& n : names) {
        if (n.second >= strings.size()) continue;
        const std::size_t end = strings.find('\0', static_cast<std::size_t>(n.second));
        if (end == std::string::npos) continue;  // not ended within the table: not a name
        std::string s = strings.substr(static_cast<std::size_t>(n.second), end - n.second);
        if (n.first == 1)
            d.needed.push_back(std::move(s));
        else
            (n.first == 15 ? d.rpath : d.runpath) = std::move(s);
    }
    return d;
}

/// The libraries named by /etc/ld.so.cache (glibc's format "glibc-ld.so.cache1.1", alone or
/// after the old "ld.so-1.7.0" table): name and path pairs, of every architecture it lists.
inline std::vector<std::pair<std::string, std::string>> parse_ld_so_cache(std::string_view bytes) {
    std::vector<std::pair<std::string, std::string>> out;
    auto u32 = [&](std::size_t off) -> std::uint32_t {  // the cache is in the host's byte order
        if (off + 4 > bytes.size()) return 0;
        std::uint32_t v = 0;
        for (std::size_t i = 0; i < 4; ++i)
            v |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[off + i])) << (8 * i);
        return v;
    };
    auto string_at = [&](std::size_t off) -> std::string {
        if (off >= bytes.size()) return {};
        const std::size_t end = bytes.find('\0', off);
        if (end == std::string_view::npos || end - off > 4096) return {};  // not a path
        return std::string(bytes.substr(off, end - off));
    };
    constexpr std::string_view old_magic = "ld.so-1.7.0", new_magic = "glibc-ld.so.cache1.1";
    auto magic_at = [&](std::size_t off, std::string_view magic) {
        return off <= bytes.size() && bytes.substr(off, magic.size()) == magic;
    };
    std::size_t start = 0;
    if (magic_at(0, old_magic)) {
        const std::size_t count = u32(12);
        if (count > bytes.size() / 12) return out;
        const std::size_t after = 16 + count * 12;
        const std::size_t aligned = (after + 7) & ~static_cast<std::size_t>(7);
        if (magic_at(aligned, new_magic)) {
            start = aligned;
        } else {  // the old format alone: offsets count from the end of its table
            for (std::size_t i = 0; i < count; ++i)
                out.emplace_back(string_at(after + u32(16 + i * 12 + 4)), string_at(after + u32(16 + i * 12 + 8)));
            return out;
        }
    }
    if (!magic_at(start, new_magic)) return out;
    const std::size_t count = u32(start + 20);
    constexpr std::size_t header = 48, entry = 24;
    if (count > bytes.size() / entry) return out;
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t at = start + header + i * entry;
        if (at + entry > bytes.size()) break;
        out.emplace_back(string_at(start + u32(at + 4)), string_at(start + u32(at + 8)));
    }
    return out;
}

/// One library the loader would not find.
struct missing_library {
    std::string name;                   ///< as DT_NEEDED names it: "libfoo.so.1"
    std::string needed_by;              ///< the file that needs it (the program, or a library it loads)
    std::vector<std::string> searched;  ///< the directories looked in, in the loader's order
};

/// Where the loader looks, and how to read there: the inputs of find_missing_libraries().
struct library_search {
    file_part_reader read;                                   ///< reads the files
    std::function<std::string(const std::string&)> real;     ///< a file's real path ("" if none)
    std::string ld_library_path;                             ///< the child's LD_LIBRARY_PATH
    std::vector<std::pair<std::string, std::string>> cache;  ///< parse_ld_so_cache()
    std::vector<std::string> default_dirs;                   ///< searched last
};

/// The libraries `program` needs, directly or through the libraries it loads (breadth first),
/// that the loader would not find, searched as glibc's ld.so searches: the DT_RPATH of the
/// object and of each object that loaded it up to the program, while the object has no
/// DT_RUNPATH; LD_LIBRARY_PATH; DT_RUNPATH; the cache; the default directories. A candidate of
/// another ELF class or machine is passed over, as the loader passes it over; a directory met
/// twice is searched once. $ORIGIN is the object's directory: the program's real path, a
/// library's path as it was found (symlinks not resolved, as glibc does); an entry naming any
/// other $ token ($LIB, $PLATFORM: the loader's to choose) is skipped. Bounded for a hostile
/// file: 256 objects, 4,096 candidate files looked at, 16 libraries reported.
inline std::vector<missing_library> find_missing_libraries(const std::string& program, const library_search& how) {
    std::vector<missing_library> missing;
    const elf_dynamic top = read_elf_dynamic(program, how.read);
    if (!top.elf) return missing;
    auto dir_of = [](const std::string& p) {
        const auto slash = p.find_last_of('/');
        return slash == std::string::npos ? std::string(".") : slash == 0 ? std::string("/") : p.substr(0, slash);
    };
    const std::string real_program = how.real(program);
    const std::string program_dir = dir_of(real_program.empty() ? program : real_program);
    // One pass, left to right: a directory whose own name holds "$ORIGIN" is not expanded again.
    auto expand = [](const std::string& list, const std::string& origin, std::vector<std::string>& dirs) {
        if (list.empty()) return;
        for (const std::string& entry : split_list(list, ':')) {
            std::string d;
            bool unknown = false;
            for (std::size_t at = 0; at < entry.size();) {
                if (entry[at] != '$') {
                    d += entry[at++];
                } else if (entry.compare(at, 9, "${ORIGIN}") == 0) {
                    d += origin, at += 9;
                } else if (entry.compare(at, 7, "$ORIGIN") == 0) {
                    d += origin, at += 7;
                } else {
                    unknown = true;
                    break;
                }
            }
            if (unknown) continue;
            if (d.empty()) d = ".";  // an empty entry is the current directory
            if (std::find(dirs.begin(), dirs.end(), d) == dirs.end()) dirs.push_back(std::move(d));
        }
    };
    std::size_t budget = 4096;  // candidate files looked at, in all
    auto fits = [&](const std::string& candidate) {
        if (budget == 0) return false;
        --budget;
        const binary_format f = sniff_binary(how.read(candidate, 0, 64));
        return f.what == binary_format::kind::elf && f.elf_class == top.elf_class && f.machine == top.machine;
    };
    struct object {
        std::string path;
        elf_dynamic dyn;
        std::size_t loaded_by;  // index of the object that needs it (the program: itself)
    };
    std::vector<object> queue{{program, top, 0}};
    std::vector<std::string> seen;  // names resolved or reported
    for (std::size_t i = 0; i < queue.size() && queue.size() <= 256 && budget > 0; ++i) {
        const object o = queue[i];
        const std::string origin = i == 0 ? program_dir : dir_of(o.path);
        for (const std::string& name : o.dyn.needed) {
            if (name.empty() || name.size() > 4096) continue;
            if (std::find(seen.begin(), seen.end(), name) != seen.end()) continue;
            seen.push_back(name);
            std::vector<std::string> dirs;
            std::string found;
            if (name.find('/') != std::string::npos) {
                if (fits(name)) found = name;
            } else {
                if (o.dyn.runpath.empty()) {  // DT_RPATH up the chain of loaders
                    for (std::size_t k = i;; k = queue[k].loaded_by) {
                        expand(queue[k].dyn.rpath, k == 0 ? program_dir : dir_of(queue[k].path), dirs);
                        if (k == 0) break;
                    }
                }
                expand(how.ld_library_path, program_dir, dirs);
                expand(o.dyn.runpath, origin, dirs);
                for (const std::string& d : dirs) {
                    const std::string candidate = (d.back() == '/' ? d : d + "/") + name;
                    if (fits(candidate)) {
                        found = candidate;
                        break;
                    }
                }
                if (found.empty() && !how.cache.empty()) {
                    dirs.emplace_back("/etc/ld.so.cache");
                    for (const auto& entry : how.cache)
                        if (entry.first == name && fits(entry.second)) {
                            found = entry.second;
                            break;
                        }
                }
                for (std::size_t k = 0; found.empty() && k < how.default_dirs.size(); ++k) {
                    const std::string& d = how.default_dirs[k];
                    if (std::find(dirs.begin(), dirs.end(), d) == dirs.end()) dirs.push_back(d);
                    if (fits(d + "/" + name)) found = d + "/" + name;
                }
            }
            if (found.empty()) {
                if (budget == 0) return missing;  // out of looks: not a finding, a file too big to judge
                missing.push_back(missing_library{name, o.path, std::move(dirs)});
                if (missing.size() >= 16) return missing;
            } else {
                elf_dynamic next = read_elf_dynamic(found, how.read);
                if (next.elf) queue.push_back(object{found, std::move(next), i});
            }
        }
    }
    return missing;
}

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
