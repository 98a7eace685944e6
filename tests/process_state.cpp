// tests/process_state.cpp: the child's process state (issue 14): arg0(), pass_fd(), umask(),
// new_session(), limit(), credentials(): each working in a real child, each failure provoked
// and its code and message (program, step, remedy) checked. Peer cases are named on each test.
// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include "support.hpp"

#if !defined(_WIN32)
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>
#endif  // !_WIN32

#include <fstream>

using liftoff::command;
using liftoff::errc;
using test::helper_cmd;

namespace {

/// Launches `cmd` in all three forms and checks each fails with `code` and a message holding
/// every one of `parts` and the program's name; returns the message.
std::string expect_failure(const command& cmd, errc code, const std::vector<std::string>& parts) {
    std::error_code ec;
    auto c = liftoff::launch(cmd, ec);
    CHECK(ec == code);
    CHECK_FALSE(c.valid());
    liftoff::failure f;
    liftoff::run(cmd, f);
    CHECK(f.code == code);
    CHECK_FALSE(f.remedy.empty());
    try {
        liftoff::run(cmd);
        FAIL("no launch_error for " << cmd.program());
    } catch (const liftoff::launch_error& e) {
        const std::string msg = e.what();
        CHECK(e.code() == code);
        CHECK(f.message == msg);
        CHECK_MESSAGE(test::contains(msg, "cannot launch '" + liftoff::detail::printable(cmd.program()) + "'"), msg);
        for (const auto& p : parts)
            CHECK_MESSAGE(test::contains(msg, p), msg);
        return msg;
    }
    return {};
}

#if !defined(_WIN32)
/// True where launches go through posix_spawn (macOS, the BSDs, the LIFTOFF_FORCE_POSIX_SPAWN build).
constexpr bool via_posix_spawn = !liftoff::detail::native_platform::supports_kill_on_parent_exit;

/// A pipe whose ends are close-on-exec (pipe2 is not on macOS).
int make_pipe(int (&fds)[2]) {
    if (::pipe(fds) != 0) return -1;
    ::fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    ::fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    return 0;
}

std::string read_all(int fd) {
    std::string out;
    char buf[256];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) > 0)
        out.append(buf, static_cast<std::size_t>(n));
    return out;
}
#endif  // !_WIN32

}  // namespace

// Rust std::process: `arg0` ("arg0 replaces argv[0] but not the program run"); CPython:
// test_executable_with_cwd / test_executable_replaces_shell (executable= runs, args[0] is seen).
TEST_CASE("arg0(): the child sees the name given, the program run is still the one resolved") {
    const auto r = liftoff::run(helper_cmd({"argv0"}).arg0("fancy name"));
    CHECK(r.ok());
    CHECK(r.out == "fancy name\n");
    CHECK(liftoff::run(helper_cmd({"argv0"})).out == test::helper() + "\n");  // unset: the program as given

    // Looked up in PATH by its program name, not by arg0.
    const std::string dir = std::filesystem::path(test::fs_path(test::helper())).parent_path().u8string();
    const std::string name = std::filesystem::path(test::fs_path(test::helper())).filename().u8string();
    const auto found = liftoff::run(command{name, {"argv0"}}.env("PATH", dir).arg0("not-in-path"));
    CHECK(found.ok());
    CHECK(found.out == "not-in-path\n");
}

TEST_CASE("arg0() changes no error: a missing program is named by its path, never by arg0") {
    const std::string msg =
        expect_failure(command{"liftoff-missing-tool"}.env("PATH", "/nonexistent").arg0(test::helper()),
                       errc::program_not_found, {"not found in PATH"});
    CHECK_FALSE(test::contains(msg, "liftoff_helper"));
    const liftoff::report r = liftoff::preflight(command{"liftoff-missing-tool"}.arg0("sh"));
    CHECK(r.has_errors());
    CHECK_FALSE(test::contains(r.to_text(), "'sh'"));
}

#if defined(_WIN32)
TEST_CASE("Windows: arg0() is the first token of the command line; the rest of the process state is unsupported") {
    // CommandLineToArgvW's first token, which the helper prints: quoted as a program name is.
    CHECK(liftoff::run(helper_cmd({"argv0"}).arg0("fancy name")).out == "fancy name\n");
    expect_failure(helper_cmd({}).pass_fd(5, 5), errc::unsupported, {"pass_fd() is POSIX only", "handle"});
    expect_failure(helper_cmd({}).umask(077), errc::unsupported, {"umask() is POSIX only"});
    expect_failure(helper_cmd({}).new_session(), errc::unsupported, {"new_session()", "new_process_group()"});
    expect_failure(helper_cmd({}).limit(7, 1, 1), errc::unsupported, {"limit() is POSIX only", "job object"});
    expect_failure(helper_cmd({}).credentials(1, 1, {}), errc::unsupported,
                   {"credentials() is POSIX only", "CreateProcessAsUserW"});
}
#else

// CPython: test_pass_fds (the child gets exactly the descriptors passed, and they work).
TEST_CASE("pass_fd(): the child gets each descriptor as the number asked, and no others") {
    int a[2], b[2];
    REQUIRE(make_pipe(a) == 0);
    REQUIRE(make_pipe(b) == 0);
    // Crossed: each source is the other's target number, which a naive dup2 in order would clobber.
    const int fd_a = a[1], fd_b = b[1];
    const auto r = liftoff::run(helper_cmd({"write-fd", std::to_string(fd_b), "to a", "write-fd", std::to_string(fd_a),
                                            "to b", "write-fd", "40", "to a again", "fds"})
                                    .pass_fd(fd_a, fd_b)
                                    .pass_fd(fd_b, fd_a)
                                    .pass_fd(fd_a, 40));
    CHECK_MESSAGE(r.ok(), r.err);
    const std::vector<int> want_sorted = {std::min(fd_a, fd_b), std::max(fd_a, fd_b), 40};
    std::string want_fds;
    for (int fd : want_sorted)
        want_fds += std::to_string(fd) + " ";
    CHECK(r.out == want_fds + "\n");
    // The parent keeps its own, and they are the same pipes.
    CHECK(::fcntl(fd_a, F_GETFD) != -1);
    ::close(a[1]);
    ::close(b[1]);
    CHECK(read_all(a[0]) == "to ato a again");
    CHECK(read_all(b[0]) == "to b");
    ::close(a[0]);
    ::close(b[0]);
}

TEST_CASE("pass_fd(): a standard stream of the parent can be passed, and the child's 0-2 stay its own") {
    int p[2], q[2];
    REQUIRE(make_pipe(p) == 0);
    REQUIRE(make_pipe(q) == 0);
    REQUIRE(::write(q[1], "from the parent's stdin", 23) == 23);
    ::close(q[1]);
    const int saved = ::fcntl(0, F_DUPFD_CLOEXEC, 10);  // this process's stdin is q's read end meanwhile
    REQUIRE(::dup2(q[0], 0) == 0);
    // The child's own stdin is the null device (run()), its 6 this process's stdin.
    const auto r = liftoff::run(
        helper_cmd({"write-fd", "5", "x", "read-fd", "6", "count-stdin", "fds"}).pass_fd(p[1], 5).pass_fd(0, 6));
    REQUIRE(::dup2(saved, 0) == 0);
    ::close(saved);
    ::close(q[0]);
    CHECK_MESSAGE(r.ok(), r.err);
    CHECK(r.out == "from the parent's stdin\n0\n5 6 \n");
    ::close(p[1]);
    CHECK(read_all(p[0]) == "x");
    ::close(p[0]);
}

TEST_CASE("pass_fd(): refused before anything runs, naming the descriptor") {
    int p[2];
    REQUIRE(make_pipe(p) == 0);
    expect_failure(helper_cmd({}).pass_fd(p[1], 2), errc::invalid_argument,
                   {"pass_fd(" + std::to_string(p[1]) + ", 2)", "must be 3 or more", "stdout_to()"});
    expect_failure(helper_cmd({}).pass_fd(p[1], 7).pass_fd(p[0], 7), errc::invalid_argument,
                   {"pass_fd(" + std::to_string(p[0]) + ", 7)", "descriptor 7 is given twice"});
    ::close(p[0]);
    ::close(p[1]);
    expect_failure(helper_cmd({}).pass_fd(p[1], 9), errc::invalid_argument,
                   {"descriptor " + std::to_string(p[1]) + " is not open in this process", "nothing was run"});
}

// CPython: test_umask (a file the child creates has the mode the umask leaves).
TEST_CASE("umask(): the child's mask, or unsupported with the reason where posix_spawn launches") {
    const mode_t mine = ::umask(022);
    ::umask(mine);
    if (via_posix_spawn) {
        expect_failure(helper_cmd({"umask"}).umask(077), errc::unsupported,
                       {"umask() cannot be done by posix_spawn", "umask 077 && exec"});
        return;
    }
    CHECK(liftoff::run(helper_cmd({"umask"}).umask(077)).out == "0077\n");
    CHECK(liftoff::run(helper_cmd({"umask"}).umask(0)).out == "0000\n");
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04o\n", static_cast<unsigned>(mine));
    CHECK(liftoff::run(helper_cmd({"umask"})).out == buf);  // unset: the parent's
    // A file the child creates: 0666 & ~077.
    test::scratch_dir dir;
    const std::string file = dir.file("made");
    REQUIRE(liftoff::run(command{"/bin/sh", {"-c", "echo > \"$0\"", file}}.umask(027)).ok());
    struct stat st;
    REQUIRE(::stat(file.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0640);
}

// CPython: test_start_new_session (the child's sid is its own pid, not ours).
TEST_CASE("new_session(): the child leads a new session and process group") {
    const auto r = liftoff::run(helper_cmd({"session"}).new_session());
    CHECK_MESSAGE(r.ok(), r.err);
    const std::string pid = r.out.substr(r.out.find("pid=") + 4, r.out.size() - r.out.find("pid=") - 5);
    CHECK(r.out == "sid=" + pid + " pgid=" + pid + " pid=" + pid + "\n");
    const auto plain = liftoff::run(helper_cmd({"session"}));
    CHECK(test::contains(plain.out, "sid=" + std::to_string(::getsid(0)) + " "));
    // With new_process_group() too: still one new session (setsid, no setpgid after it).
    const auto both = liftoff::run(helper_cmd({"session"}).new_session().new_process_group());
    CHECK_MESSAGE(both.ok(), both.err);
    CHECK_FALSE(test::contains(both.out, "sid=" + std::to_string(::getsid(0)) + " "));
    // terminate() reaches its group.
    auto c = liftoff::launch(helper_cmd({"sleep", "30000"}).new_session());
    c.terminate(std::chrono::seconds(2));
    CHECK(c.wait().signaled());
}

// CPython: test_preexec / resource.setrlimit in the child (what subprocess users do with preexec_fn).
TEST_CASE("limit(): setrlimit in the child") {
    if (via_posix_spawn) {
        expect_failure(helper_cmd({}).limit(RLIMIT_NOFILE, 64, 64), errc::unsupported,
                       {"limit() cannot be done by posix_spawn", "ulimit -n 64"});
        return;
    }
    CHECK(liftoff::run(helper_cmd({"rlimit", "NOFILE"}).limit(RLIMIT_NOFILE, 64, 64)).out == "64 64\n");
    CHECK(liftoff::run(helper_cmd({"rlimit", "CORE"}).limit(RLIMIT_CORE, 0, RLIM_INFINITY)).out == "0 unlimited\n");
    // A later call for the same resource replaces the first.
    CHECK(
        liftoff::run(helper_cmd({"rlimit", "NOFILE"}).limit(RLIMIT_NOFILE, 64, 64).limit(RLIMIT_NOFILE, 32, 64)).out ==
        "32 64\n");
    struct rlimit mine;
    ::getrlimit(RLIMIT_NOFILE, &mine);
    CHECK(liftoff::run(helper_cmd({"rlimit", "NOFILE"})).out ==
          std::to_string(mine.rlim_cur) + " " + std::to_string(mine.rlim_max) + "\n");  // unset: ours
}

TEST_CASE(
    "pass_fd() over the spawner's own report pipe: a failure is still reported, not lost in a passed descriptor") {
    if (via_posix_spawn) return;  // no report pipe there
    // A fresh process's first launch reports through a pipe (until it has seen CLONE_VM
    // honoured); with every descriptor 3..40 taken by pass_fd, the pipe must move above them.
    const auto ok = liftoff::run(helper_cmd({"try-pass-all", "40"}));
    std::string all;
    for (int fd = 3; fd <= 40; ++fd)
        all += std::to_string(fd) + " ";
    CHECK_MESSAGE(ok.out == "ok " + all + "\n\n", ok.out);
    long nr_open = 0;
    std::ifstream("/proc/sys/fs/nr_open") >> nr_open;
    const std::string over = std::to_string(nr_open + 1);
    const auto failed = liftoff::run(helper_cmd({"try-pass-all", "40", over}));
    CHECK_MESSAGE(test::contains(failed.out, "cannot set the limit RLIMIT_NOFILE to " + over), failed.out);
}

TEST_CASE("limit(): soft above hard is refused before anything runs") {
    if (via_posix_spawn) return;  // unsupported there, whatever the values (above)
    expect_failure(helper_cmd({}).limit(RLIMIT_NOFILE, 65, 64), errc::invalid_argument,
                   {"limit(RLIMIT_NOFILE, 65, 64): the soft limit is above the hard one", "nothing was run"});
}

TEST_CASE("limit(): a limit the kernel refuses names the limit, the value, the cause and the remedy") {
    if (via_posix_spawn) return;  // unsupported there (above)
    // Above fs.nr_open: refused even to root (EPERM).
    long nr_open = 0;
    std::ifstream("/proc/sys/fs/nr_open") >> nr_open;
    REQUIRE(nr_open > 0);
    const auto over = static_cast<std::uint64_t>(nr_open) + 1;
    expect_failure(
        helper_cmd({}).limit(RLIMIT_NOFILE, over, over), errc::invalid_argument,
        {"cannot set the limit RLIMIT_NOFILE to " + std::to_string(over) + ": Operation not permitted",
         "no process, root included, may set RLIMIT_NOFILE above fs.nr_open (" + std::to_string(nr_open) + ")"});
    // An unprivileged process raising its hard limit: the helper, as nobody if we are root, tries.
    struct rlimit mine;
    ::getrlimit(RLIMIT_NOFILE, &mine);
    if (mine.rlim_max == RLIM_INFINITY || mine.rlim_max >= static_cast<rlim_t>(nr_open)) return;
    const std::string above = std::to_string(mine.rlim_max + 1);
    std::vector<std::string> actions = {"try-limit", "NOFILE", above, above};
    if (::geteuid() == 0) actions.insert(actions.begin(), {"drop-to", "65534", "65534"});
    const auto r = liftoff::run(helper_cmd(actions));
    CHECK_MESSAGE(r.ok(), r.err);
    CHECK_MESSAGE(test::contains(r.out, "error " + std::to_string(static_cast<int>(errc::invalid_argument)) +
                                            " liftoff: cannot launch '" + test::helper() +
                                            "': cannot set the limit RLIMIT_NOFILE to " + above +
                                            ": Operation not permitted; only a privileged process"),
                  r.out);
    CHECK_MESSAGE(test::contains(r.out, "hard limit of RLIMIT_NOFILE is " + std::to_string(mine.rlim_max)), r.out);
}

// CPython: test_user, test_group, test_extra_groups (as root: the child runs as nobody; as
// anyone else: the OS refuses, and says so).
TEST_CASE("credentials(): the child runs as another user where this process may") {
    if (via_posix_spawn) {
        expect_failure(helper_cmd({"ids"}).credentials(65534, 65534, {}), errc::unsupported,
                       {"credentials() cannot be done by posix_spawn", "sudo -u"});
        return;
    }
    if (::geteuid() != 0) {
        expect_failure(helper_cmd({"ids"}).credentials(0, 0, {0}), errc::invalid_argument,
                       {"Operation not permitted", "run this process as root"});
        // Its own ids and groups: nothing needs privilege, so it works.
        const auto r = liftoff::run(helper_cmd({"ids"}).credentials(::getuid(), ::getgid(), [] {
            std::vector<gid_t> g(static_cast<std::size_t>(::getgroups(0, nullptr)));
            g.resize(static_cast<std::size_t>(::getgroups(static_cast<int>(g.size()), g.data())));
            return std::vector<std::uint32_t>(g.begin(), g.end());
        }()));
        CHECK_MESSAGE(r.ok(), r.err);
        return;
    }
    const auto r = liftoff::run(helper_cmd({"ids"}).credentials(65534, 65534, {}));
    CHECK_MESSAGE(r.ok(), r.err);
    CHECK(r.out == "uid=65534 gid=65534 groups=\n");
    const auto g = liftoff::run(helper_cmd({"ids"}).credentials(65534, 100, {65534, 100}));
    CHECK_MESSAGE(g.ok(), g.err);
    CHECK(g.out == "uid=65534 gid=100 groups=100,65534\n");
    // With the rest of the state: set before the ids change, the limit raised while still root.
    const auto all = liftoff::run(helper_cmd({"ids", "umask", "rlimit", "CORE"})
                                      .credentials(65534, 65534, {})
                                      .umask(027)
                                      .limit(RLIMIT_CORE, 0, 0));
    CHECK_MESSAGE(all.ok(), all.err);
    CHECK(all.out == "uid=65534 gid=65534 groups=\n0027\n0 0\n");
}

TEST_CASE("credentials(): refused by the OS (not privileged) names the id and the remedy") {
    if (via_posix_spawn) return;  // unsupported there (above)
    if (::geteuid() != 0) {
        expect_failure(helper_cmd({}).credentials(0, 0, {}), errc::invalid_argument,
                       {"cannot set its", "Operation not permitted", "run this process as root"});
        return;
    }
    // As nobody, the helper asks for root's group: setgid is refused first.
    const auto r = liftoff::run(helper_cmd({"drop-to", "65534", "65534", "try-credentials", "0", "0"}));
    CHECK_MESSAGE(r.ok(), r.err);
    CHECK_MESSAGE(test::contains(r.out, "error " + std::to_string(static_cast<int>(errc::invalid_argument)) +
                                            " liftoff: cannot launch '" + test::helper() +
                                            "': cannot set its group id to 0 (setgid): Operation not permitted; "
                                            "run this process as root"),
                  r.out);
    // Its own group but root's user: setuid is the step named.
    const auto u = liftoff::run(helper_cmd({"drop-to", "65534", "65534", "try-credentials", "0", "65534"}));
    CHECK_MESSAGE(test::contains(u.out, "cannot set its user id to 0 (setuid): Operation not permitted"), u.out);
}

TEST_CASE("pass_fd() and arg0() work through posix_spawn too; new_session() where it has POSIX_SPAWN_SETSID") {
    int p[2];
    REQUIRE(make_pipe(p) == 0);
    const auto r = liftoff::run(helper_cmd({"argv0", "write-fd", "12", "ok", "fds"}).arg0("named").pass_fd(p[1], 12));
    CHECK_MESSAGE(r.ok(), r.err);
    CHECK(r.out == "named\n12 \n");
    ::close(p[1]);
    CHECK(read_all(p[0]) == "ok");
    ::close(p[0]);
}
#endif  // _WIN32
