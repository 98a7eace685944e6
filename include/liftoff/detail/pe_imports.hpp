// liftoff/detail/pe_imports.hpp: the DLLs a Windows program imports (its import directory), so
// that preflight() names one Windows would not find before the program dies with
// STATUS_DLL_NOT_FOUND. Pure rules: the file is read through the callback given (elf.hpp's).
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

/// The DLL names in a PE file's import directory, in order; empty when it is not a PE file or
/// its headers cannot be read. Bounded: 96 sections, 1,024 imports.
inline std::vector<std::string> read_pe_imports(const std::string& path, const file_part_reader& read) {
    std::vector<std::string> dlls;
    auto num = [](const std::string& b, std::size_t off, std::size_t n) -> std::uint64_t {
        std::uint64_t v = 0;
        if (off + n > b.size()) return 0;
        for (std::size_t i = 0; i < n; ++i)
            v |= static_cast<std::uint64_t>(static_cast<unsigned char>(b[off + i])) << (8 * i);
        return v;
    };
    const std::string dos = read(path, 0, 64);
    if (dos.size() < 64 || dos[0] != 'M' || dos[1] != 'Z') return dlls;
    const std::uint64_t pe = num(dos, 0x3c, 4);
    const std::string head = read(path, pe, 24 + 240);
    if (head.size() < 24 || head.compare(0, 4, std::string("PE\0\0", 4)) != 0) return dlls;
    const std::uint64_t sections = num(head, 6, 2), optional_size = num(head, 20, 2);
    const std::uint64_t magic = num(head, 24, 2);
    const std::size_t directories = magic == 0x20b ? 24 + 112 : magic == 0x10b ? 24 + 96 : 0;
    if (directories == 0 || sections == 0 || sections > 96) return dlls;
    const std::uint64_t import_rva = num(head, directories + 8, 4);  // data directory 1: imports
    if (import_rva == 0) return dlls;
    const std::string table = read(path, pe + 24 + optional_size, static_cast<std::size_t>(sections * 40));
    auto file_offset = [&](std::uint64_t rva, std::uint64_t& out) {
        for (std::uint64_t s = 0; s < sections; ++s) {
            const std::size_t at = static_cast<std::size_t>(s * 40);
            const std::uint64_t size = num(table, at + 8, 4), va = num(table, at + 12, 4), raw = num(table, at + 20, 4);
            const std::uint64_t raw_size = num(table, at + 16, 4);
            if (rva >= va && rva < va + (size > raw_size ? size : raw_size)) {
                out = rva - va + raw;
                return true;
            }
        }
        return false;
    };
    std::uint64_t at = 0;
    if (!file_offset(import_rva, at)) return dlls;
    for (std::size_t i = 0; i < 1024; ++i, at += 20) {
        const std::string descriptor = read(path, at, 20);
        if (descriptor.size() < 20 || descriptor == std::string(20, '\0')) break;
        std::uint64_t name_at = 0;
        if (!file_offset(num(descriptor, 12, 4), name_at)) continue;
        std::string name = read(path, name_at, 260);
        name = name.substr(0, name.find('\0'));
        if (!name.empty()) dlls.push_back(std::move(name));
    }
    return dlls;
}

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
