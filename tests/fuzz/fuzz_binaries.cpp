// tests/fuzz/fuzz_binaries.cpp: libFuzzer harness for the program-file readers of preflight():
// the ELF dynamic section, /etc/ld.so.cache, a PE import directory, Mach-O load commands. Each
// reads a file an attacker may have written: none may read out of bounds, loop without end or
// allocate without bound, whatever the offsets and counts say.
// SPDX-License-Identifier: MIT
#include "fuzz.hpp"

namespace d = liftoff::detail;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    const d::file_part_reader read = [&](const std::string&, std::uint64_t offset, std::size_t n) {
        FUZZ_CHECK(n <= (std::size_t{16} << 20), bytes);  // no read asks for more than the bounds
        if (offset >= bytes.size()) return std::string();
        return bytes.substr(static_cast<std::size_t>(offset), n);
    };
    const d::elf_dynamic elf = d::read_elf_dynamic("/f", read);
    FUZZ_CHECK(elf.needed.size() <= 4096, bytes);
    (void)d::parse_ld_so_cache(bytes);
    FUZZ_CHECK(d::read_pe_imports("/f", read).size() <= 1024, bytes);
    const d::macho_dylibs m = d::read_macho_dylibs("/f", read, 0x0100000cu);
    FUZZ_CHECK(m.load.size() + m.rpath.size() <= 4096, bytes);
    // The whole search, with the file as the program and every library it names missing.
    d::library_search how;
    how.read = read;
    how.real = [](const std::string&) { return std::string(); };
    how.default_dirs = {"/lib"};
    (void)d::find_missing_libraries("/f", how);
    return 0;
}
