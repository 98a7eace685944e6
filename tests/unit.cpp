// tests/unit.cpp: the pure layers (command, io specs, errors, exit_status, PATH splitting,
// validation, the child's environment), run on every OS without launching anything.
// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include <cctype>

#include "support.hpp"

using liftoff::command;
using liftoff::errc;
namespace io = liftoff::io;
using P = liftoff::detail::native_platform;

TEST_CASE("command builds a program, arguments and settings without touching the OS") {
    command cmd{"git", {"status"}};
    cmd.arg("--short").args({"a", "b"}).args(std::vector<std::string>{"c"}).cwd("/tmp").env("A", "1").env_remove("B");
    CHECK(cmd.program() == "git");
    CHECK(cmd.arguments() == std::vector<std::string>{"status", "--short", "a", "b", "c"});
    REQUIRE(cmd.cwd());
    CHECK(*cmd.cwd() == "/tmp");
    REQUIRE(cmd.env_changes().size() == 2);
    CHECK(cmd.env_changes()[0].second == std::optional<std::string>("1"));
    CHECK_FALSE(cmd.env_changes()[1].second);
}

TEST_CASE("a later env() or env_remove() of the same name replaces the earlier one") {
    command cmd{"x"};
    cmd.env("A", "1").env_remove("A").env("B", "2").env("B", "3");
    REQUIRE(cmd.env_changes().size() == 2);
    CHECK_FALSE(cmd.env_changes()[0].second);
    CHECK(*cmd.env_changes()[1].second == "3");
}

TEST_CASE("env_clear() forgets earlier changes and keeps later ones") {
    command cmd{"x"};
    cmd.env("A", "1").env_clear().env("B", "2");
    CHECK(cmd.env_cleared());
    REQUIRE(cmd.env_changes().size() == 1);
    CHECK(cmd.env_changes()[0].first == "B");
}

TEST_CASE("io specs know their kind and carry their data") {
    CHECK(io::source(io::inherit()).what() == io::kind::inherit);
    CHECK(io::sink(io::null()).what() == io::kind::null);
    CHECK(io::sink(io::file("out.txt")).path() == "out.txt");
    CHECK(io::capture(10).limit() == 10);
    CHECK(io::capture().limit() == (std::size_t{64} << 20));
    CHECK(*io::text("abc").text() == "abc");
    CHECK(io::pipe().what() == io::kind::pipe);
    CHECK(io::merge().what() == io::kind::merge);
    CHECK(io::append("log").what() == io::kind::append);
    CHECK(static_cast<bool>(io::lines([](std::string_view) {}).on_line()));
}

TEST_CASE("exit_status says how a child ended") {
    CHECK(liftoff::exit_status::from_code(3).to_string() == "exited with code 3");
    CHECK(liftoff::exit_status::from_code(0).success());
    CHECK_FALSE(liftoff::exit_status::from_code(1).success());
#if !defined(_WIN32)
    const auto killed = liftoff::exit_status::from_signal(SIGKILL);
    CHECK(killed.signaled());
    CHECK(killed.signal() == SIGKILL);
    CHECK(killed.code() == -1);
    CHECK(killed.to_string() == "killed by signal 9 (SIGKILL)");
#endif  // !_WIN32
    CHECK(liftoff::exit_status{}.unknown());
    CHECK(liftoff::exit_status{}.to_string() == "exit status unknown");  // an empty handle's: no guess why
    CHECK(liftoff::exit_status::lost().unknown());
    CHECK(liftoff::exit_status::lost() != liftoff::exit_status{});
    CHECK(test::contains(liftoff::exit_status::lost().to_string(), "SIGCHLD is ignored"));
    CHECK(liftoff::exit_status::reaped_elsewhere().unknown());
    CHECK(liftoff::exit_status::reaped_elsewhere() != liftoff::exit_status::lost());
    CHECK(test::contains(liftoff::exit_status::reaped_elsewhere().to_string(), "something else in this process"));
    CHECK(liftoff::exit_status::from_code(2) == liftoff::exit_status::from_code(2));
    CHECK(liftoff::exit_status::from_code(2) != liftoff::exit_status::from_signal(2));
}

TEST_CASE("errc values are error codes of the liftoff category") {
    std::error_code ec = errc::program_not_found;
    CHECK(ec.category() == liftoff::category());
    CHECK(std::string(ec.category().name()) == "liftoff");
    CHECK(ec == errc::program_not_found);
    CHECK(ec == std::errc::no_such_file_or_directory);
    CHECK(liftoff::make_error_code(errc::timed_out) == std::errc::timed_out);
    CHECK(static_cast<int>(errc::program_not_found) == 1);
    for (int v = 1; v <= static_cast<int>(errc::callback_failed); ++v)
        CHECK(liftoff::category().message(v) != "unknown liftoff error");
}

TEST_CASE("launch_error carries the failure: the code, the OS error, the program and the path") {
    liftoff::failure f;
    f.code = errc::not_executable;
    f.message = "liftoff: cannot launch 'x': ...";
    f.os_error = std::make_error_code(std::errc::permission_denied);
    f.program = "x";
    f.path = "/bin/x";
    f.findings = {"not-executable"};
    const liftoff::launch_error e(f);
    CHECK(e.failure().message == f.message);
    CHECK(e.findings() == f.findings);
    CHECK(e.code() == errc::not_executable);
    CHECK(e.os_error() == std::errc::permission_denied);
    CHECK(e.program() == "x");
    CHECK(e.path() == "/bin/x");
    CHECK(std::string(e.what()) == "liftoff: cannot launch 'x': ...");
    const std::system_error& base = e;
    CHECK(base.code() == errc::not_executable);
}

TEST_CASE("PATH lists split with empty entries kept") {
    using liftoff::detail::split_list;
    CHECK(split_list("/a:/b", ':') == std::vector<std::string>{"/a", "/b"});
    CHECK(split_list(":/a::", ':') == std::vector<std::string>{"", "/a", "", ""});
    CHECK(split_list("", ':') == std::vector<std::string>{""});
}

TEST_CASE("messages show control characters escaped, on one line") {
    CHECK(liftoff::detail::printable("a\nb\t\x01\r") == "a\\x0ab\\x09\\x01\\x0d");
}

// Issue 15: one escape, \xNN, for control characters and for bytes that are not UTF-8; a
// backslash is \x5c only before 'x' and two hex digits, so the text reads back to the bytes.
TEST_CASE("printable: bytes that are not UTF-8 are \\xNN, losslessly; backslashes stay unless they would read as one") {
    using liftoff::detail::printable;
    CHECK(printable("/tmp/\xc4\xe3\xba\xc3.sh") == "/tmp/\\xc4\\xe3\\xba\\xc3.sh");  // GBK
    CHECK(printable("\x83\x65\x83\x58") == "\\x83e\\x83X");                          // Shift_JIS
    CHECK(printable("caf\xc3\xa9 \xe4\xbd\xa0") == "caf\xc3\xa9 \xe4\xbd\xa0");      // UTF-8 as it is
    CHECK(printable("\xe4\xbd") == "\\xe4\\xbd");                    // a truncated sequence, byte by byte
    CHECK(printable("C:\\new\\tools\\x6") == "C:\\new\\tools\\x6");  // Windows paths keep their backslashes
    CHECK(printable("C:\\x64\\x86") == "C:\\x5cx64\\x5cx86");
    CHECK(printable("a\\") == "a\\");
    CHECK(printable("\\\xff") == "\\\\xff");  // a backslash, then an escape
    // Reading it back: every \xNN is a byte, everything else itself.
    const auto read_back = [](const std::string& t) {
        std::string out;
        for (std::size_t i = 0; i < t.size(); ++i) {
            if (t[i] == '\\' && i + 3 < t.size() && t[i + 1] == 'x' &&
                std::isxdigit(static_cast<unsigned char>(t[i + 2])) &&
                std::isxdigit(static_cast<unsigned char>(t[i + 3]))) {
                out += static_cast<char>(std::stoi(t.substr(i + 2, 2), nullptr, 16));
                i += 3;
            } else {
                out += t[i];
            }
        }
        return out;
    };
    for (const std::string& s : {std::string("C:\\x64\\\xc4x41"), std::string("\\x4\xc4\\\\x41\n"),
                                 std::string("\xff\\xffx\\"), std::string("plain")})
        CHECK(read_back(printable(s)) == s);
    CHECK(liftoff::detail::hex_bytes("/\xc4\xe3") == "2fc4e3");
}

TEST_CASE("validation refuses NUL bytes, '=' in names and empty names, naming the item") {
    auto check = [](const command& cmd, const std::string& item) {
        const auto f = liftoff::detail::validate<P>(cmd);
        CHECK(f.code == errc::invalid_argument);
        CHECK_MESSAGE(test::contains(f.message, item), f.message);
        CHECK_MESSAGE(test::contains(f.message, "nothing was run"), f.message);
    };
    check(command{""}, "program name is empty");
    check(command{std::string("a\0b", 3)}, "program name contains a NUL");
    check(command{"x", {"ok", std::string("b\0", 2)}}, "argument 2");
    check(command{"x"}.env(std::string("N\0", 2), "v"), "environment variable name");
    check(command{"x"}.env("N", std::string("v\0", 2)), "value of environment variable 'N'");
    check(command{"x"}.env("A=B", "v"), "contains '='");
    check(command{"x"}.env("", "v"), "name is empty");
    check(command{"x"}.cwd(std::string("/t\0", 3)), "working directory");
    check(command{"x"}.stdout_to(io::merge()), "io::merge() is for stderr only");
    check(command{"x"}.stdout_to(io::file("")), "stdout file name is empty");
    check(command{"x"}.stderr_to(io::lines(nullptr)), "no callback");
    CHECK_FALSE(liftoff::detail::validate<P>(command{"x", {"", " ", "-"}}));
}

TEST_CASE("the child's environment: inherited untouched, or the parent's with changes applied") {
    test::set_env("LIFTOFF_UNIT_A", "1");
    const auto same = liftoff::detail::make_environment<P>(command{"x"});
    CHECK(same.inherited);
    CHECK(same.entries.empty());

    const auto changed =
        liftoff::detail::make_environment<P>(command{"x"}.env("LIFTOFF_UNIT_A", "2").env("PATH", "/only"));
    CHECK_FALSE(changed.inherited);
    CHECK(std::count(changed.entries.begin(), changed.entries.end(), "LIFTOFF_UNIT_A=2") == 1);
    CHECK(std::count(changed.entries.begin(), changed.entries.end(), "LIFTOFF_UNIT_A=1") == 0);
    REQUIRE(changed.path);
    CHECK(*changed.path == "/only");

    const auto cleared = liftoff::detail::make_environment<P>(command{"x"}.env_clear().env("K", "v"));
    CHECK(cleared.entries == std::vector<std::string>{"K=v"});
    CHECK_FALSE(cleared.path);
}

TEST_CASE("the version macros match the Meson project version") {
    CHECK(std::string(LIFTOFF_VERSION_STRING) == LIFTOFF_TEST_PROJECT_VERSION);
    CHECK(std::to_string(LIFTOFF_VERSION_MAJOR) + "." + std::to_string(LIFTOFF_VERSION_MINOR) + "." +
              std::to_string(LIFTOFF_VERSION_PATCH) ==
          LIFTOFF_TEST_PROJECT_VERSION);
}

TEST_CASE("from_system_encoding: ASCII is the same everywhere; on POSIX every byte comes back unchanged") {
    CHECK(liftoff::from_system_encoding("plain ASCII") == "plain ASCII");
    CHECK(liftoff::from_system_encoding("").empty());
#if !defined(_WIN32)
    // Not UTF-8, and no matter: POSIX strings are bytes (windows_open.cpp has the ANSI code pages).
    const std::string bytes = "caf\xe9 \xff\xfe \x82\xa0";
    CHECK(liftoff::from_system_encoding(bytes) == bytes);
    std::error_code ec = make_error_code(errc::unsupported);
    CHECK(liftoff::from_system_encoding(bytes, ec) == bytes);
    CHECK_FALSE(ec);
#endif  // !_WIN32
}

TEST_CASE("path_arg: a const char*, std::string, std::string_view and std::filesystem::path, on every OS") {
    const char* literal = "liftoff-no-such-file";
    const std::string text = literal;
    const std::string_view view = text;
    const std::filesystem::path fs = text;
    for (const liftoff::path_arg& p :
         {liftoff::path_arg(literal), liftoff::path_arg(text), liftoff::path_arg(view), liftoff::path_arg(fs)}) {
        CHECK(p.str() == text);
    }
    // Each overload set takes every one of them (this compiles on Linux and under mingw alike).
    std::error_code ec;
    liftoff::plan_open_path(literal, {}, ec);
    CHECK(ec == errc::target_not_found);
    liftoff::plan_reveal(fs, {}, ec);
    CHECK(ec == errc::target_not_found);
    liftoff::failure f;
    liftoff::plan_open_path(view, {}, f);
    CHECK(f.code == errc::target_not_found);
    CHECK(test::contains(f.message, "liftoff-no-such-file"));
    CHECK(liftoff::command{"x"}.cwd(fs).cwd() == text);
    CHECK(liftoff::io::file(view).path() == text);
    CHECK(liftoff::io::append(literal).path() == text);
}

TEST_CASE("the openers' failure& overloads give the whole message, as launch_error's what()") {
    liftoff::failure f;
    const std::string url = "https://example.com/a b";
    CHECK_FALSE(liftoff::open_url(url, {}, f).valid());
    CHECK(f.code == errc::unsafe_url);
    CHECK(test::contains(f.message, "liftoff: cannot open '"));
    CHECK_FALSE(f.remedy.empty());
    try {
        liftoff::plan_open_url(url);
        FAIL("accepted");
    } catch (const liftoff::launch_error& e) {
        CHECK(f.message == e.what());
    }
}

namespace {
/// A file_part_reader over files held in memory, by path.
liftoff::detail::file_part_reader reader_of(std::map<std::string, std::string> files) {
    return [files](const std::string& path, std::uint64_t offset, std::size_t size) {
        const auto it = files.find(path);
        if (it == files.end() || offset >= it->second.size()) return std::string();
        return it->second.substr(static_cast<std::size_t>(offset), size);
    };
}
void put32(std::string& b, std::size_t at, std::uint32_t v, bool big = false) {
    if (b.size() < at + 4) b.resize(at + 4, '\0');
    for (std::size_t i = 0; i < 4; ++i)
        b[at + i] = static_cast<char>((v >> (8 * (big ? 3 - i : i))) & 0xff);
}
}  // namespace

TEST_CASE("Mach-O: LC_LOAD_DYLIB and LC_RPATH read from a thin and a universal file; dyld's order of lookup") {
    // A 64-bit little-endian Mach-O with: @rpath/libfoo.dylib, /usr/lib/libSystem.B.dylib (the
    // shared cache: not looked for), @executable_path/../lib/libbar.dylib, and one LC_RPATH.
    std::string m;
    put32(m, 0, 0xfeedfacfu);  // written little-endian: cf fa ed fe
    put32(m, 4, 0x0100000cu);
    auto command_with = [&](std::uint32_t cmd, const std::string& text) {
        std::string c;
        const std::uint32_t size = static_cast<std::uint32_t>((24 + text.size() + 1 + 7) & ~std::size_t{7});
        put32(c, 0, cmd);
        put32(c, 4, size);
        put32(c, 8, cmd == 0x8000001cu ? 12 : 24);
        c.resize(cmd == 0x8000001cu ? 12 : 24, '\0');
        c += text;
        c.resize(size, '\0');
        return c;
    };
    const std::string cmds = command_with(0xc, "@rpath/libfoo.dylib") +
                             command_with(0xc, "/usr/lib/libSystem.B.dylib") +
                             command_with(0xc, "@executable_path/../lib/libbar.dylib") +
                             command_with(0x8000001cu, "@loader_path/../Frameworks");
    put32(m, 16, 4);
    put32(m, 20, static_cast<std::uint32_t>(cmds.size()));
    m.resize(32, '\0');
    m += cmds;
    const auto d =
        liftoff::detail::read_macho_dylibs("/App/MacOS/app", reader_of({{"/App/MacOS/app", m}}), 0x0100000cu);
    CHECK(d.macho);
    CHECK(d.load == std::vector<std::string>{"@rpath/libfoo.dylib", "/usr/lib/libSystem.B.dylib",
                                             "@executable_path/../lib/libbar.dylib"});
    CHECK(d.rpath == std::vector<std::string>{"@loader_path/../Frameworks"});
    // A universal file whose arm64 slice is this one, after an x86_64 slice that is not.
    std::string fat;
    put32(fat, 0, 0xcafebabeu, true);
    put32(fat, 4, 2, true);
    put32(fat, 8, 0x01000007u, true), put32(fat, 16, 4096, true);
    put32(fat, 28, 0x0100000cu, true), put32(fat, 36, 8192, true);
    fat.resize(8192, '\0');
    fat += m;
    CHECK(liftoff::detail::read_macho_dylibs("/u", reader_of({{"/u", fat}}), 0x0100000cu).load.size() == 3);

    std::vector<std::string> on_disk = {"/App/MacOS/../Frameworks/libfoo.dylib"};
    auto exists = [&](const std::string& p) { return std::find(on_disk.begin(), on_disk.end(), p) != on_disk.end(); };
    auto missing =
        liftoff::detail::find_missing_dylibs("/App/MacOS/app", reader_of({{"/App/MacOS/app", m}}), 0x0100000cu, exists);
    REQUIRE(missing.size() == 1);  // libbar; libSystem is in the shared cache, libfoo found through the rpath
    CHECK(missing[0].name == "@executable_path/../lib/libbar.dylib");
    CHECK(missing[0].searched == std::vector<std::string>{"/App/MacOS/../lib/libbar.dylib"});
    on_disk.clear();
    missing =
        liftoff::detail::find_missing_dylibs("/App/MacOS/app", reader_of({{"/App/MacOS/app", m}}), 0x0100000cu, exists);
    REQUIRE(missing.size() == 2);
    CHECK(missing[0].searched == std::vector<std::string>{"/App/MacOS/../Frameworks/libfoo.dylib"});
    // Not Mach-O: nothing.
    CHECK_FALSE(liftoff::detail::read_macho_dylibs("/x", reader_of({{"/x", "#!/bin/sh\n"}}), 0).macho);
}

TEST_CASE("ld.so.cache: glibc's format, alone and after the old table; garbage gives nothing") {
    // The new format: "glibc-ld.so.cache1.1", count, string table size, then 24-byte entries
    // whose key and value are offsets from the start of this header.
    std::string c = "glibc-ld.so.cache1.1";
    put32(c, 20, 2);
    c.resize(48, '\0');
    const std::size_t strings = 48 + 2 * 24;
    const std::string names[] = {"libfoo.so.1", "/usr/lib/libfoo.so.1", "libbar.so.2", "/lib/libbar.so.2"};
    std::string table;
    std::vector<std::uint32_t> offsets;
    for (const auto& n : names) {
        offsets.push_back(static_cast<std::uint32_t>(strings + table.size()));
        table += n + std::string(1, '\0');
    }
    for (std::size_t i = 0; i < 2; ++i) {
        put32(c, 48 + i * 24, 0x303);
        put32(c, 48 + i * 24 + 4, offsets[2 * i]);
        put32(c, 48 + i * 24 + 8, offsets[2 * i + 1]);
        c.resize(48 + (i + 1) * 24, '\0');
    }
    c += table;
    using pairs = std::vector<std::pair<std::string, std::string>>;
    const pairs expected = {{"libfoo.so.1", "/usr/lib/libfoo.so.1"}, {"libbar.so.2", "/lib/libbar.so.2"}};
    CHECK(liftoff::detail::parse_ld_so_cache(c) == expected);
    // After an old-format table with no entries: the new one starts at the next 8-byte boundary.
    std::string old = "ld.so-1.7.0";
    old.resize(16, '\0');
    CHECK(liftoff::detail::parse_ld_so_cache(old + c) == expected);
    CHECK(liftoff::detail::parse_ld_so_cache("not a cache").empty());
    std::string lying = c;
    put32(lying, 20, 0x7fffffffu);  // a count larger than the file: nothing, not a crash
    CHECK(liftoff::detail::parse_ld_so_cache(lying).empty());
}

TEST_CASE("PE imports: the DLL names of the import directory; a file that is not PE gives none") {
    // MZ, e_lfanew 0x40, "PE\0\0", 1 section, a PE32+ optional header of 240 bytes whose import
    // directory (the second) is at RVA 0x1000, one section mapping RVA 0x1000 to file offset 0x200.
    std::string f(0x400, '\0');
    f[0] = 'M', f[1] = 'Z';
    put32(f, 0x3c, 0x40);
    f.replace(0x40, 4, std::string("PE\0\0", 4));
    f[0x40 + 6] = 1;                           // NumberOfSections
    f[0x40 + 20] = static_cast<char>(240);     // SizeOfOptionalHeader
    f[0x40 + 24] = 0x0b, f[0x40 + 25] = 0x02;  // PE32+
    put32(f, 0x40 + 24 + 112 + 8, 0x1000);     // import directory RVA
    const std::size_t section = 0x40 + 24 + 240;
    put32(f, section + 8, 0x200);       // VirtualSize
    put32(f, section + 12, 0x1000);     // VirtualAddress
    put32(f, section + 16, 0x200);      // SizeOfRawData
    put32(f, section + 20, 0x200);      // PointerToRawData
    put32(f, 0x200 + 12, 0x1100);       // descriptor 1: Name RVA
    put32(f, 0x200 + 20 + 12, 0x1110);  // descriptor 2
    f.replace(0x300, 13, std::string("KERNEL32.dll\0", 13));
    f.replace(0x310, 11, std::string("libfoo.dll\0", 11));
    CHECK(liftoff::detail::read_pe_imports("/p.exe", reader_of({{"/p.exe", f}})) ==
          std::vector<std::string>{"KERNEL32.dll", "libfoo.dll"});
    CHECK(liftoff::detail::read_pe_imports("/x", reader_of({{"/x", "MZ but nothing"}})).empty());
}

namespace {
/// A minimal 64-bit little-endian x86-64 ELF file with a dynamic section: DT_NEEDED `needed`,
/// DT_RPATH `rpath` and DT_RUNPATH `runpath` (when not empty).
std::string elf_with(const std::vector<std::string>& needed, const std::string& rpath = "",
                     const std::string& runpath = "") {
    std::string strtab(1, '\0');
    std::vector<std::pair<std::uint64_t, std::uint64_t>> dyn;
    auto add_string = [&](const std::string& v) {
        const auto at = strtab.size();
        strtab += v + std::string(1, '\0');
        return static_cast<std::uint64_t>(at);
    };
    for (const auto& n : needed)
        dyn.emplace_back(1, add_string(n));
    if (!rpath.empty()) dyn.emplace_back(15, add_string(rpath));
    if (!runpath.empty()) dyn.emplace_back(29, add_string(runpath));
    const std::size_t strtab_at = (64 + 2 * 56 + (dyn.size() + 3) * 16 + 0xfff) & ~std::size_t{0xfff};
    dyn.emplace_back(5, strtab_at);
    dyn.emplace_back(10, strtab.size());
    dyn.emplace_back(0, 0);
    auto put64 = [](std::string& b, std::size_t at, std::uint64_t v) {
        if (b.size() < at + 8) b.resize(at + 8, '\0');
        for (std::size_t i = 0; i < 8; ++i)
            b[at + i] = static_cast<char>((v >> (8 * i)) & 0xff);
    };
    auto put16 = [](std::string& b, std::size_t at, unsigned v) {
        b[at] = static_cast<char>(v & 0xff), b[at + 1] = static_cast<char>(v >> 8);
    };
    std::string f(strtab_at, '\0');
    f.replace(0, 7,
              std::string("\x7f"
                          "ELF\x02\x01\x01",
                          7));
    put16(f, 18, 62);  // x86-64
    put64(f, 32, 64);  // e_phoff
    put16(f, 54, 56), put16(f, 56, 2);
    const std::size_t dyn_at = 64 + 2 * 56;
    put32(f, 64, 1), put64(f, 64 + 8, 0), put64(f, 64 + 16, 0), put64(f, 64 + 32, 1 << 20);  // PT_LOAD, all
    put32(f, 120, 2), put64(f, 120 + 8, dyn_at), put64(f, 120 + 32, dyn.size() * 16);        // PT_DYNAMIC
    for (std::size_t i = 0; i < dyn.size(); ++i)
        put64(f, dyn_at + 16 * i, dyn[i].first), put64(f, dyn_at + 16 * i + 8, dyn[i].second);
    f.resize(strtab_at, '\0');
    return f + strtab;
}
liftoff::detail::library_search search_in(const std::map<std::string, std::string>& files) {
    liftoff::detail::library_search how;
    how.read = reader_of(files);
    how.real = [](const std::string& p) { return p; };
    how.default_dirs = {"/lib"};
    return how;
}
}  // namespace

TEST_CASE("ELF libraries: DT_RPATH up the chain of loaders, $ORIGIN as found, RUNPATH, and bounds") {
    using liftoff::detail::find_missing_libraries;
    // prog (RPATH /dab) -> liba (RPATH /d3) -> libb (none) -> libc3, in /d3: glibc finds it through
    // liba's RPATH, liba being libb's loader.
    std::map<std::string, std::string> files = {
        {"/bin/prog", elf_with({"liba.so"}, "/dab")},
        {"/dab/liba.so", elf_with({"libb.so"}, "/d3")},
        {"/dab/libb.so", elf_with({"libc3.so"})},
        {"/d3/libc3.so", elf_with({})},
    };
    CHECK(find_missing_libraries("/bin/prog", search_in(files)).empty());
    // An object with a RUNPATH does not use the RPATHs above it.
    files["/dab/libb.so"] = elf_with({"libc3.so"}, "", "/nowhere");
    auto missing = find_missing_libraries("/bin/prog", search_in(files));
    REQUIRE(missing.size() == 1);
    CHECK(missing[0].name == "libc3.so");
    CHECK(missing[0].needed_by == "/dab/libb.so");
    CHECK(missing[0].searched == std::vector<std::string>{"/nowhere", "/lib"});
    // A library's $ORIGIN is the directory it was found in (a symlink's, not its target's).
    files = {{"/bin/prog", elf_with({"libfoo.so"}, "/a/lib")},
             {"/a/lib/libfoo.so", elf_with({"libdep.so"}, "", "$ORIGIN/deps")},
             {"/a/lib/deps/libdep.so", elf_with({})}};
    auto how = search_in(files);
    how.real = [](const std::string& p) { return p == "/a/lib/libfoo.so" ? std::string("/b/libfoo.so") : p; };
    CHECK(find_missing_libraries("/bin/prog", how).empty());
    // A directory whose name holds "$ORIGIN" is expanded once; other $ tokens are skipped.
    files = {{"/x/$ORIGIN/prog", elf_with({"liby.so"}, "$ORIGIN/lib:$LIB/z")}};
    missing = find_missing_libraries("/x/$ORIGIN/prog", search_in(files));
    REQUIRE(missing.size() == 1);
    CHECK(missing[0].searched == std::vector<std::string>{"/x/$ORIGIN/lib", "/lib"});
    // A hostile file: 300 libraries and an RPATH of 2,000 entries: at most 16 reported, each
    // directory searched once, and a bounded number of files looked at.
    std::string rpath;
    for (int i = 0; i < 2000; ++i)
        rpath += (i ? ":/x" : "/x") + std::to_string(i % 7);
    std::vector<std::string> many;
    for (int i = 0; i < 300; ++i)
        many.push_back("libm" + std::to_string(i) + ".so");
    std::size_t reads = 0;
    how = search_in({{"/bin/prog", elf_with(many, rpath)}});
    const auto inner = how.read;
    how.read = [&](const std::string& p, std::uint64_t o, std::size_t n) { return ++reads, inner(p, o, n); };
    missing = find_missing_libraries("/bin/prog", how);
    REQUIRE(missing.size() == 16);
    CHECK(missing[0].searched.size() == 8);  // /x0 ... /x6 once each, and /lib
    CHECK(reads < 5000);
}
