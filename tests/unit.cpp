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
