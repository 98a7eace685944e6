// tests/pipelines.cpp: issue 14's streams the caller already has (io::fd(), io::handle()) and
// pipelines (command | command): real children, each failure provoked and its message checked.
// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include "support.hpp"

#if !defined(_WIN32)
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>  // posix_openpt
#include <sys/socket.h>
#include <unistd.h>
#endif  // !_WIN32

#include <string>
#include <vector>

using liftoff::command;
using liftoff::errc;
using test::helper_cmd;

namespace {

/// Launches `cmd` in all three forms and checks each fails with `code` before anything runs,
/// with a message naming the program and holding every one of `parts`; returns the message.
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
/// Everything readable from `fd` until end of file.
std::string read_all(int fd) {
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) > 0)
        out.append(buf, static_cast<std::size_t>(n));
    return out;
}

/// A pipe whose ends are close-on-exec (pipe2 is not on macOS).
void make_pipe(int (&fds)[2]) {
    REQUIRE(::pipe(fds) == 0);
    ::fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    ::fcntl(fds[1], F_SETFD, FD_CLOEXEC);
}
#endif  // !_WIN32

}  // namespace

// ---- io::fd(), io::handle() ------------------------------------------------------------------

#if !defined(_WIN32)
// CPython: test_stdout_fileno / test_stdin_fileno (stdout=an int descriptor); Boost.Process: a
// child writing into a socket of the parent's.
TEST_CASE("io::fd(): a socketpair as stdout; the parent's end stays open and usable") {
    const int fds_before = test::open_fds();
    int sv[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
    const auto r = liftoff::run(helper_cmd({"say", "over the socket\n"}).stdout_to(liftoff::io::fd(sv[1])));
    CHECK(r.ok());
    CHECK(r.out.empty());  // nothing of it passed through liftoff
    // The parent still has sv[1]: write through it, then close it, and read both writes.
    REQUIRE(::write(sv[1], "parent\n", 7) == 7);
    ::close(sv[1]);
    CHECK(read_all(sv[0]) == "over the socket\nparent\n");
    ::close(sv[0]);
    CHECK(test::open_fds() == fds_before);
}

TEST_CASE("io::fd(): a pipe as stdin and another as stdout, the parent writing and reading") {
    int in[2], out[2];
    make_pipe(in);
    make_pipe(out);
    auto c = liftoff::launch(helper_cmd({"cat"})
                                 .stdin_from(liftoff::io::fd(in[0]))
                                 .stdout_to(liftoff::io::fd(out[1]))
                                 .stderr_to(liftoff::io::null()));
    ::close(in[0]);
    ::close(out[1]);  // the child holds the only write end now: EOF comes when it exits
    REQUIRE(::write(in[1], "round trip\n", 11) == 11);
    ::close(in[1]);
    CHECK(read_all(out[0]) == "round trip\n");
    CHECK(c.wait().success());
    ::close(out[0]);
}

TEST_CASE("io::fd(): a descriptor opened for append as stderr keeps what was there") {
    const test::scratch_dir dir("fd");
    const std::string file = dir.write("append.log", "before\n");
    const int fd = ::open(file.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    REQUIRE(fd >= 0);
    const auto r = liftoff::run(helper_cmd({"esay", "child\n"}).stderr_to(liftoff::io::fd(fd)));
    CHECK(r.ok());
    CHECK(r.err.empty());
    REQUIRE(::write(fd, "after\n", 6) == 6);  // the parent's descriptor is still its own
    ::close(fd);
    CHECK(test::read_file(file) == "before\nchild\nafter\n");
}

TEST_CASE("io::fd(): io::merge() follows an io::fd() stdout") {
    int p[2];
    make_pipe(p);
    const auto r = liftoff::run(
        helper_cmd({"say", "o", "esay", "e"}).stdout_to(liftoff::io::fd(p[1])).stderr_to(liftoff::io::merge()));
    ::close(p[1]);
    CHECK(r.ok());
    CHECK(read_all(p[0]) == "oe");
    ::close(p[0]);
}

TEST_CASE("io::fd(): a terminal as stdin, stdout and stderr") {
    const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0) {
        MESSAGE("no pseudo-terminals here (posix_openpt failed): skipped");
        return;
    }
    REQUIRE(::grantpt(master) == 0);
    REQUIRE(::unlockpt(master) == 0);
    const char* name = ::ptsname(master);
    REQUIRE(name != nullptr);
    const int slave = ::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    REQUIRE(slave >= 0);
    const auto r = liftoff::run(helper_cmd({"say", "on the tty"})
                                    .stdin_from(liftoff::io::fd(slave))
                                    .stdout_to(liftoff::io::fd(slave))
                                    .stderr_to(liftoff::io::fd(slave)));
    CHECK(r.ok());
    char buf[64] = {};
    pollfd ready{master, POLLIN, 0};  // never block the suite if the child wrote elsewhere
    const ssize_t n = ::poll(&ready, 1, 5000) == 1 ? ::read(master, buf, sizeof buf - 1) : -1;
    CHECK(std::string(buf, n > 0 ? static_cast<std::size_t>(n) : 0) == "on the tty");
    CHECK(::isatty(slave) == 1);  // the parent's descriptor is still a working terminal
    ::close(slave);
    ::close(master);
}

TEST_CASE("io::fd(): a descriptor that is not open is refused before anything runs, naming the stream") {
    int p[2];
    make_pipe(p);
    ::close(p[0]);
    ::close(p[1]);  // p[1] is now a closed descriptor number
    const int zombies = test::zombies();
    const std::string closed = std::to_string(p[1]);
    expect_failure(helper_cmd({}).stdout_to(liftoff::io::fd(p[1])), errc::invalid_argument,
                   {"stdout_to(io::fd(" + closed + "))", "for its stdout is not open", "nothing was run"});
    expect_failure(helper_cmd({}).stdin_from(liftoff::io::fd(-1)), errc::invalid_argument,
                   {"stdin_from(io::fd(-1))", "descriptor -1 for its stdin is not open"});
    expect_failure(helper_cmd({}).stderr_to(liftoff::io::fd(p[1])), errc::invalid_argument,
                   {"for its stderr is not open", "stays open until the launch returns"});
    CHECK(test::zombies() == zombies);
}

TEST_CASE("io::handle() is Windows only: unsupported on POSIX, naming the stream and io::fd()") {
    int dummy = 0;
    expect_failure(helper_cmd({}).stdout_to(liftoff::io::handle(&dummy)), errc::unsupported,
                   {"io::handle() for its stdout is Windows only", "io::fd()"});
}
#else
TEST_CASE("io::handle(): an anonymous pipe as stdout; the parent's handles stay usable") {
    HANDLE read_end = nullptr, write_end = nullptr;
    REQUIRE(::CreatePipe(&read_end, &write_end, nullptr, 0));  // not inheritable: liftoff duplicates
    const auto r = liftoff::run(helper_cmd({"say", "through a handle\n"}).stdout_to(liftoff::io::handle(write_end)));
    CHECK(r.ok());
    CHECK(r.out.empty());
    DWORD wrote = 0;
    REQUIRE(::WriteFile(write_end, "parent\n", 7, &wrote, nullptr));
    ::CloseHandle(write_end);
    std::string got;
    char buf[256];
    DWORD n = 0;
    while (::ReadFile(read_end, buf, sizeof buf, &n, nullptr) && n > 0)
        got.append(buf, n);
    ::CloseHandle(read_end);
    CHECK(got == "through a handle\nparent\n");
}

TEST_CASE("io::handle(): a null or invalid HANDLE is refused; io::fd() is POSIX only") {
    expect_failure(helper_cmd({}).stdout_to(liftoff::io::handle(nullptr)), errc::invalid_argument,
                   {"stdout_to(io::handle(...))", "null or INVALID_HANDLE_VALUE"});
    expect_failure(helper_cmd({}).stdin_from(liftoff::io::handle(INVALID_HANDLE_VALUE)), errc::invalid_argument,
                   {"the HANDLE for its stdin"});
    expect_failure(helper_cmd({}).stderr_to(liftoff::io::fd(2)), errc::unsupported,
                   {"io::fd() for its stderr is POSIX only", "io::handle()"});
}
#endif  // _WIN32
