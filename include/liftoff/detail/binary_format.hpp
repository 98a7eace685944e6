// liftoff/detail/binary_format.hpp: what kind of program a file's first bytes say it is (a #!
// script, ELF for which machine, Mach-O, PE), so preflight() can name a wrong-architecture binary.
// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace liftoff {
inline namespace v0 {
namespace detail {

struct binary_format {
    enum class kind { unknown, script, elf, mach_o, mach_o_fat, pe, empty } what = kind::unknown;
    std::string interpreter;    ///< script: the #! program, as exec reads it ('\r' and all)
    bool crlf = false;          ///< script: the #! line ends in "\r\n" (Windows line endings)
    std::string description;    ///< "ELF 64-bit little-endian x86-64", "script (#!/bin/sh)", ...
    int elf_class = 0;          ///< 32 or 64
    bool little_endian = true;  ///< ELF data encoding
    unsigned machine = 0;       ///< ELF e_machine
};

inline const char* elf_machine_name(unsigned m) noexcept {
    switch (m) {
    case 3: return "x86 (i386)";
    case 8: return "MIPS";
    case 20: return "PowerPC";
    case 21: return "PowerPC 64";
    case 22: return "s390";
    case 40: return "ARM (32-bit)";
    case 62: return "x86-64";
    case 183: return "AArch64 (ARM 64-bit)";
    case 243: return "RISC-V";
    case 258: return "LoongArch";
    default: return nullptr;
    }
}

/// Reads the first bytes of a file (at least 64 for ELF) and says what they are.
inline binary_format sniff_binary(std::string_view head) {
    binary_format f;
    auto u8 = [&](std::size_t i) { return i < head.size() ? static_cast<unsigned char>(head[i]) : 0u; };
    if (head.empty()) {
        f.what = binary_format::kind::empty;
        f.description = "an empty file";
        return f;
    }
    if (head.size() >= 2 && head[0] == '#' && head[1] == '!') {
        std::string line(
            head.substr(2, head.find('\n') == std::string_view::npos ? std::string_view::npos : head.find('\n') - 2));
        const auto start = line.find_first_not_of(" \t");
        line = start == std::string::npos ? std::string() : line.substr(start);
        f.what = binary_format::kind::script;
        // As the kernel reads it: the line ends at '\n' only, so a file saved with Windows line
        // endings names the interpreter "/bin/sh\r" (or gives its last argument a '\r').
        f.crlf = !line.empty() && line.back() == '\r';
        f.interpreter = line.substr(0, line.find_first_of(" \t"));
        if (f.crlf) line.pop_back();
        f.description = "a script (#!" + line + ")";
        return f;
    }
    if (head.size() >= 20 && u8(0) == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F') {
        f.what = binary_format::kind::elf;
        f.elf_class = u8(4) == 2 ? 64 : 32;
        f.little_endian = u8(5) != 2;
        f.machine = f.little_endian ? (u8(18) | (u8(19) << 8)) : ((u8(18) << 8) | u8(19));
        const char* m = elf_machine_name(f.machine);
        f.description = "ELF " + std::to_string(f.elf_class) + "-bit " +
                        (f.little_endian ? "little-endian " : "big-endian ") +
                        (m != nullptr ? m : "machine " + std::to_string(f.machine));
        return f;
    }
    const std::uint32_t magic_be = (u8(0) << 24) | (u8(1) << 16) | (u8(2) << 8) | u8(3);
    if (magic_be == 0xfeedfaceu || magic_be == 0xfeedfacfu || magic_be == 0xcefaedfeu || magic_be == 0xcffaedfeu) {
        f.what = binary_format::kind::mach_o;
        f.description = "a Mach-O (macOS) program";
        return f;
    }
    if (magic_be == 0xcafebabeu && u8(7) < 20) {  // a fat Mach-O has few slices; Java classes share the magic
        f.what = binary_format::kind::mach_o_fat;
        f.description = "a universal Mach-O (macOS) program";
        return f;
    }
    if (head.size() >= 2 && head[0] == 'M' && head[1] == 'Z') {
        f.what = binary_format::kind::pe;
        f.description = "a Windows (PE) program";
        return f;
    }
    f.description = "not a known program format (no #! line)";
    return f;
}

/// An ELF program's loader (its PT_INTERP, e.g. "/lib64/ld-linux-x86-64.so.2"), if the program
/// headers are within `head`; "" for a static program or when they are not.
inline std::string elf_interpreter(std::string_view head) {
    const binary_format f = sniff_binary(head);
    if (f.what != binary_format::kind::elf) return {};
    auto read = [&](std::size_t off, std::size_t n) -> unsigned long long {
        unsigned long long v = 0;
        if (off + n > head.size()) return 0;
        for (std::size_t i = 0; i < n; ++i) {
            const unsigned long long b = static_cast<unsigned char>(head[off + (f.little_endian ? n - 1 - i : i)]);
            v = (v << 8) | b;
        }
        return v;
    };
    const bool wide = f.elf_class == 64;
    const unsigned long long phoff = wide ? read(32, 8) : read(28, 4);
    const unsigned long long phentsize = wide ? read(54, 2) : read(42, 2);
    const unsigned long long phnum = wide ? read(56, 2) : read(44, 2);
    for (unsigned long long i = 0; i < phnum && phentsize != 0; ++i) {
        const unsigned long long ph = phoff + i * phentsize;
        if (ph + phentsize > head.size()) break;
        if (read(ph, 4) != 3) continue;  // PT_INTERP
        const unsigned long long off = wide ? read(ph + 8, 8) : read(ph + 4, 4);
        const unsigned long long size = wide ? read(ph + 32, 8) : read(ph + 16, 4);
        if (off + size > head.size() || size == 0) return {};
        std::string path(head.substr(static_cast<std::size_t>(off), static_cast<std::size_t>(size)));
        return path.substr(0, path.find('\0'));
    }
    return {};
}

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
