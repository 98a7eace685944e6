// tests/failures.cpp: every way a launch can fail, provoked for real, checking the errc, that
// the message names the program (and the path tried) and gives a remedy, and that nothing ran.
// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#if defined(__linux__)
#include <sys/mount.h>  // mount(2) of a noexec tmpfs
#endif
#include <sys/resource.h>

#include "support.hpp"

using liftoff::command;
using liftoff::errc;
namespace io = liftoff::io;

namespace {

/// Launches `cmd`, expects a launch_error with `code`, and checks the message has every
/// one of `parts`. Checks the error_code overload agrees.
liftoff::launch_error expect_failure(const command& cmd, errc code, std::vector<std::string> parts) {
    std::error_code ec;
    auto c = liftoff::launch(cmd, ec);
    CHECK(ec == code);
    CHECK_FALSE(c.valid());
    try {
        liftoff::run(cmd);
    } catch (const liftoff::launch_error& e) {
        CHECK(e.code() == code);
        const std::string msg = e.what();
        CHECK_MESSAGE(test::contains(msg, "liftoff: cannot launch '" + liftoff::detail::printable(cmd.program()) + "'"),
                      msg);
        for (const auto& p : parts)
            CHECK_MESSAGE(test::contains(msg, p), msg);
        return e;
    }
    FAIL("no launch_error for " << cmd.program());
    return liftoff::launch_error(code, "");
}

}  // namespace

TEST_CASE("program_not_found: a bare name missing from PATH lists the PATH searched") {
    const auto e = expect_failure(command{"liftoff-missing"}.env("PATH", "/usr/bin:/bin"), errc::program_not_found,
                                  {"not found in PATH (searched /usr/bin:/bin)", "give a full path or install it"});
    CHECK(e.path().empty());
}

TEST_CASE("program_not_found: empty and relative PATH entries are named as skipped") {
    expect_failure(command{"liftoff-missing"}.env("PATH", "/usr/bin::bin"), errc::program_not_found,
                   {"searched /usr/bin", "'' (empty)", "'bin' (relative)", "never searched"});
}

TEST_CASE("program_not_found: a child environment without PATH says the default was searched") {
    expect_failure(command{"liftoff-missing"}.env_clear(), errc::program_not_found, {"has no PATH", "system default"});
}

TEST_CASE("program_not_found: a path that does not exist") {
    const auto e = expect_failure(command{"/nonexistent/tool"}, errc::program_not_found,
                                  {"'/nonexistent/tool' does not exist", "check the path"});
    CHECK(e.path() == "/nonexistent/tool");
    CHECK(e.os_error() == std::errc::no_such_file_or_directory);
}

TEST_CASE("program_not_found: a script whose #! interpreter is missing names the interpreter") {
    test::scratch_dir dir;
    const auto script = dir.write("script", "#!/nonexistent/interpreter -x\necho hi\n", 0755);
    expect_failure(command{script}, errc::program_not_found,
                   {"interpreter '/nonexistent/interpreter'", "#! line of '" + script + "'",
                    "install the interpreter or fix the #! line"});
}

TEST_CASE("not_executable: a file without the x bit names its mode and the chmod") {
    test::scratch_dir dir;
    const auto file = dir.write("plain", "data", 0644);
    const auto e = expect_failure(command{file}, errc::not_executable,
                                  {"'" + file + "' is not executable (mode 0644)", "chmod +x '" + file + "'"});
    CHECK(e.path() == file);
    CHECK(e.os_error() == std::errc::permission_denied);
}

TEST_CASE("not_executable: a non-executable match in PATH is reported, not 'not found'") {
    test::scratch_dir dir;
    dir.write("tool", "data", 0600);
    expect_failure(command{"tool"}.env("PATH", dir.path()), errc::not_executable,
                   {"'" + dir.file("tool") + "' is not executable", "chmod +x"});
}

TEST_CASE("not_executable: a directory") {
    test::scratch_dir dir;
    expect_failure(command{dir.path()}, errc::not_executable,
                   {"'" + dir.path() + "' is a directory", "name the program inside it"});
}

#if defined(__linux__)  // Linux-only: mounts a tmpfs (macOS and the BSDs take other mount(2) arguments)
TEST_CASE("not_executable: a program on a noexec mount") {
    test::scratch_dir dir;
    const std::string mnt = dir.file("mnt");
    std::filesystem::create_directory(mnt);
    if (::mount("tmpfs", mnt.c_str(), "tmpfs", MS_NOEXEC, "size=16m") != 0) {
        MESSAGE("skipped: cannot mount a noexec tmpfs here (" << std::strerror(errno) << ")");
        return;
    }
    std::filesystem::copy_file(test::helper(), mnt + "/tool");
    ::chmod((mnt + "/tool").c_str(), 0755);
    expect_failure(command{mnt + "/tool"}, errc::not_executable, {"mounted noexec", "remount without noexec"});
    ::umount(mnt.c_str());
}
#endif  // __linux__

TEST_CASE("exec_format_error: an executable file that is neither a script nor a known binary") {
    test::scratch_dir dir;
    const auto file = dir.write("junk", "just some text without a #! line\n", 0755);
    expect_failure(command{file}, errc::exec_format_error,
                   {"'" + file + "' is not a program this system can run", "add a #! line"});
}

TEST_CASE("exec_format_error: an ELF file for another machine") {
    test::scratch_dir dir;
    std::string elf(64, '\0');
    elf[0] = 0x7f, elf[1] = 'E', elf[2] = 'L', elf[3] = 'F';
    elf[4] = 1;          // 32-bit
    elf[5] = 2;          // big-endian
    elf[6] = 1;          // version
    elf[16 + 1] = 2;     // ET_EXEC (big-endian half)
    elf[18 + 1] = 0x14;  // EM_PPC
    const auto file = dir.write("ppc", elf, 0755);
    expect_failure(command{file}, errc::exec_format_error,
                   {"ELF file for another machine", "use a build for this system"});
}

TEST_CASE("bad_working_directory: missing, a file, never reported as a missing program") {
    test::scratch_dir dir;
    expect_failure(
        test::helper_cmd({}).cwd(dir.file("absent")), errc::bad_working_directory,
        {"working directory '" + dir.file("absent") + "' does not exist", "pass an existing directory to cwd()"});
    const auto file = dir.write("file", "x");
    expect_failure(test::helper_cmd({}).cwd(file), errc::bad_working_directory, {"is not a directory"});
    // Even when the program is also missing, the cwd is named (the child fails at chdir first).
    expect_failure(command{"/nonexistent/tool"}.cwd(dir.file("absent")), errc::bad_working_directory,
                   {"does not exist"});
}

TEST_CASE("invalid_argument: nothing runs when an argument holds a NUL byte") {
    test::scratch_dir dir;
    const auto marker = dir.file("ran");
    expect_failure(command{"touch", {marker, std::string("x\0y", 3)}}, errc::invalid_argument,
                   {"argument 2", "NUL byte", "nothing was run"});
    CHECK_FALSE(std::filesystem::exists(marker));
    expect_failure(command{"touch", {marker}}.env("BAD=NAME", "v"), errc::invalid_argument, {"contains '='"});
    CHECK_FALSE(std::filesystem::exists(marker));
}

TEST_CASE("invalid_argument: arguments too long for the OS (E2BIG)") {
    expect_failure(test::helper_cmd({std::string(4 << 20, 'x')}), errc::invalid_argument,
                   {"too long", "stdin or a file"});
}

TEST_CASE("redirect_failed: an io::file that cannot be opened names the file and the stream") {
    test::scratch_dir dir;
    expect_failure(test::helper_cmd({}).stdin_from(io::file(dir.file("absent"))), errc::redirect_failed,
                   {"cannot open '" + dir.file("absent") + "' for its stdin", "exists and is readable"});
    expect_failure(test::helper_cmd({}).stdout_to(io::file(dir.file("no/such/dir/out"))), errc::redirect_failed,
                   {"for its stdout", "directory exists"});
    expect_failure(test::helper_cmd({}).stderr_to(io::append(dir.file("no/such/dir/err"))), errc::redirect_failed,
                   {"for its stderr"});
}

TEST_CASE("resource_exhausted: out of descriptors, and nothing leaks") {
    struct rlimit old;
    REQUIRE(::getrlimit(RLIMIT_NOFILE, &old) == 0);
    const int before = test::open_fds();
    struct rlimit tight = old;
    tight.rlim_cur = static_cast<rlim_t>(before + 2);  // room for one pipe end, not two pipes
    REQUIRE(::setrlimit(RLIMIT_NOFILE, &tight) == 0);
    std::error_code ec;
    auto c = liftoff::launch(test::helper_cmd({"say", "x"}).stdout_to(io::capture()).stderr_to(io::capture()), ec);
    std::string msg;
    try {
        liftoff::run(test::helper_cmd({"say", "x"}));
    } catch (const liftoff::launch_error& e) {
        msg = e.what();
    }
    ::setrlimit(RLIMIT_NOFILE, &old);
    CHECK(ec == errc::resource_exhausted);
    CHECK_MESSAGE(test::contains(msg, "ulimit -n"), msg);
    CHECK(test::open_fds() == before);
}

TEST_CASE("unsupported: kill_on_parent_exit where the platform has no way to do it") {
    if (liftoff::native_platform::supports_kill_on_parent_exit) {
        auto c = liftoff::launch(test::helper_cmd({"exit", "0"}).kill_on_parent_exit());
        CHECK(c.wait().success());
        return;
    }
    expect_failure(test::helper_cmd({}).kill_on_parent_exit(), errc::unsupported,
                   {"kill_on_parent_exit() is not available"});
}
