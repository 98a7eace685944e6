// tests/failures.cpp: every way a launch can fail, provoked for real, checking the errc, that
// the message names the program (and the path tried) and gives a remedy, and that nothing ran.
// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#if defined(__linux__)
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <sys/mount.h>  // mount(2) of a noexec tmpfs
#include <sys/prctl.h>
#include <sys/syscall.h>
#endif
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstddef>
#include <functional>

#include "support.hpp"

using liftoff::command;
using liftoff::errc;
namespace io = liftoff::io;

namespace {

/// Launches `cmd`, expects a launch_error with `code`, and checks the message has every
/// one of `parts`. Checks the error_code overload agrees, and that the failure& overloads of
/// launch() and run() give the whole explanation the exception gives.
liftoff::launch_error expect_failure(const command& cmd, errc code, std::vector<std::string> parts) {
    std::error_code ec;
    auto c = liftoff::launch(cmd, ec);
    CHECK(ec == code);
    CHECK_FALSE(c.valid());
    liftoff::failure launched;
    CHECK_FALSE(liftoff::launch(cmd, launched).valid());
    liftoff::failure ran;
    const liftoff::result r = liftoff::run(cmd, ran);
    CHECK(r.out.empty());
    try {
        liftoff::run(cmd);
    } catch (const liftoff::launch_error& e) {
        CHECK(e.code() == code);
        const std::string msg = e.what();
        for (const liftoff::failure* f : {&launched, &ran}) {
            CHECK(f->code == code);
            CHECK(f->message == msg);
            CHECK(f->program == e.program());
            CHECK(f->path == e.path());
            CHECK(f->os_error == e.os_error());
            CHECK(f->findings == e.findings());
            CHECK_FALSE(f->remedy.empty());
            CHECK_MESSAGE(test::contains(msg, f->remedy), msg);
        }
        CHECK(e.failure().message == msg);
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
    const auto e =
        expect_failure(command{file}, errc::not_executable,
                       {"'" + file + "' is not executable by this user (mode 0644", "chmod +x '" + file + "'"});
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
    if (::mount("tmpfs", mnt.c_str(), "tmpfs", MS_NOEXEC, "size=64m") != 0) {
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
                   {"'" + file + "' is not a known program format", "add a #! line"});
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
                   {"is ELF 32-bit big-endian PowerPC, not a program for this system", "use a build for this system"});
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
    if (liftoff::detail::native_platform::supports_kill_on_parent_exit) {
        auto c = liftoff::launch(test::helper_cmd({"exit", "0"}).kill_on_parent_exit());
        CHECK(c.wait().success());
        return;
    }
    expect_failure(test::helper_cmd({}).kill_on_parent_exit(), errc::unsupported,
                   {"kill_on_parent_exit() is not available"});
}

// Sanitizer runtimes reserve terabytes of address space: RLIMIT_AS cannot be tested under them.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define LIFTOFF_TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define LIFTOFF_TEST_SANITIZED 1
#endif
#endif
#ifndef LIFTOFF_TEST_SANITIZED
#define LIFTOFF_TEST_SANITIZED 0
#endif

TEST_CASE(
    "resource_exhausted: an address-space limit (ulimit -v) is named, and the event loop's thread fits under it") {
    if (LIFTOFF_TEST_SANITIZED) {
        MESSAGE("skipped: sanitizers reserve more address space than any limit leaves");
        return;
    }
    // A fresh process (the helper) with 3 MiB of address space to spare: enough for the event
    // loop thread's small stack (launch() starts it), not for a default 8 MiB one.
    const auto roomy = liftoff::run(test::helper_cmd({"run-as-limited", "3072"}));
    CHECK_MESSAGE(roomy.out == "ok drained\n", roomy.out);
    // 128 KiB to spare: no thread stack fits; the message names the limit that stops it.
    const auto tight = liftoff::run(test::helper_cmd({"run-as-limited", "128"}));
    CHECK_MESSAGE(test::contains(tight.out, "error " + std::to_string(static_cast<int>(errc::resource_exhausted))),
                  tight.out);
    CHECK_MESSAGE(test::contains(tight.out, "liftoff: cannot launch '" + test::helper() + "'"), tight.out);
    CHECK_MESSAGE(test::contains(tight.out, "ulimit -v"), tight.out);
    CHECK_FALSE(test::contains(tight.out, "ulimit -n"));
}

#if defined(__linux__)  // seccomp filters
namespace {

/// Runs `body` in a forked copy of this process and returns what it returned ("" when all was
/// well): for changes that cannot be undone, such as a seccomp filter.
std::string in_forked_process(const std::function<std::string()>& body) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::close(fds[0]);
        std::string out;
        try {
            out = body();
        } catch (const std::exception& e) {
            out = std::string("exception: ") + e.what();
        }
        const char* p = out.data();
        std::size_t left = out.size();
        while (left > 0) {
            const ssize_t n = ::write(fds[1], p, left);
            if (n <= 0) break;
            p += n;
            left -= static_cast<std::size_t>(n);
        }
        ::_exit(0);  // no exit handlers, no leak check: the filter may forbid what they do
    }
    ::close(fds[1]);
    std::string out;
    char buf[4096];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;)
        out.append(buf, static_cast<std::size_t>(n));
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) out += " (the forked test process died)";
    return out;
}

#ifndef SYS_clone3
#define SYS_clone3 435
#endif

/// A seccomp filter as container runtimes and sandboxes install: clone3 gives ENOSYS, and
/// clone gives `err` when its flags have any of `flags` (CLONE_PIDFD; ~0 for every clone).
bool refuse_clone(unsigned flags, int err) {
#if defined(__x86_64__)
    const unsigned arch = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
    const unsigned arch = AUDIT_ARCH_AARCH64;
#else
    (void)flags;
    (void)err;
    return false;
#endif
#if defined(__x86_64__) || defined(__aarch64__)
    sock_filter filter[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, arch, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone3, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, args[0])),  // the flags' low half
        BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, flags, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (static_cast<unsigned>(err) & SECCOMP_RET_DATA)),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    sock_fprog program{static_cast<unsigned short>(sizeof filter / sizeof filter[0]), filter};
    return ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
           ::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program, 0, 0) == 0;
#endif
}

}  // namespace

TEST_CASE("a seccomp filter that refuses clone(CLONE_PIDFD) (ENOSYS, EPERM): launches fall back and work") {
    for (const int err : {ENOSYS, EPERM}) {
        CAPTURE(err);
        const std::string problem = in_forked_process([err]() -> std::string {
            if (!refuse_clone(0x00001000 /* CLONE_PIDFD */, err)) return "skip";
            std::string out;
            for (int i = 0; i < 3; ++i) {  // the first falls back; later ones start without a pidfd
                auto c = liftoff::launch(test::helper_cmd({"exit", "7"}));
                const auto s = c.wait();
                if (s.code() != 7) out += "exit status " + s.to_string() + "; ";
            }
            return out;  // (no drain threads here: a forked copy of a threaded process starts none)
        });
        if (problem == "skip") {
            MESSAGE("skipped: no seccomp filter for this architecture");
            return;
        }
        CHECK_MESSAGE(problem.empty(), problem);
    }
}

TEST_CASE("a seccomp filter that refuses every clone: unsupported, naming the sandbox, not a limit to raise") {
#if defined(LIFTOFF_FORCE_POSIX_SPAWN)
    // glibc's posix_spawn returns clone's EPERM as if exec had failed: only ENOSYS tells.
    const std::vector<int> errors = {ENOSYS};
#else
    const std::vector<int> errors = {EPERM, ENOSYS};
#endif
    for (const int err : errors) {
        CAPTURE(err);
        const std::string got = in_forked_process([err]() -> std::string {
            if (!refuse_clone(~0U, err)) return "skip";
            std::error_code ec;
            auto c = liftoff::launch(test::helper_cmd({"exit", "0"}), ec);
            std::string out = std::to_string(ec.value()) + "\n";
            try {
                auto d = liftoff::launch(test::helper_cmd({"exit", "0"}));
            } catch (const liftoff::launch_error& e) {
                out += e.what();
            }
            return out;
        });
        if (got == "skip") {
            MESSAGE("skipped: no seccomp filter for this architecture");
            return;
        }
        CHECK_MESSAGE(got.rfind(std::to_string(static_cast<int>(errc::unsupported)) + "\n", 0) == 0, got);
        CHECK_MESSAGE(test::contains(got, "liftoff: cannot launch '" + test::helper() + "'"), got);
        CHECK_MESSAGE(test::contains(got, "seccomp"), got);
        CHECK_MESSAGE(test::contains(got, "allow clone"), got);
        CHECK_FALSE(test::contains(got, "ulimit"));
    }
}
#endif  // __linux__
