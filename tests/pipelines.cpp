// tests/pipelines.cpp: issue 14's streams the caller already has (io::fd(), io::handle()) and
// pipelines (command | command): real children, each failure provoked and its message checked.
// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include "support.hpp"

#if !defined(_WIN32)
#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <stdlib.h>  // posix_openpt
#include <sys/socket.h>
#include <unistd.h>
#endif  // !_WIN32

#include <chrono>
#include <memory>
#include <string>
#include <thread>
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

/// As expect_failure() for a pipeline: all three forms fail with `code`; returns the message.
std::string expect_failure_pipeline(const liftoff::pipeline& p, errc code) {
    std::error_code ec;
    auto pc = liftoff::launch(p, ec);
    CHECK(ec == code);
    CHECK_FALSE(pc.valid());
    liftoff::failure f;
    const auto r = liftoff::run(p, f);
    CHECK(f.code == code);
    CHECK(r.statuses.empty());
    CHECK_FALSE(f.remedy.empty());
    try {
        (void)liftoff::run(p);
        FAIL("no launch_error");
    } catch (const liftoff::launch_error& e) {
        CHECK(e.code() == code);
        CHECK(f.message == e.what());
        return e.what();
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
    (void)liftoff::run(helper_cmd({"say", "warm"}));  // the event loop's own descriptors, once
    const int fds_before = test::open_fds();
    int sv[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);  // no SOCK_CLOEXEC on macOS
    ::fcntl(sv[0], F_SETFD, FD_CLOEXEC);
    ::fcntl(sv[1], F_SETFD, FD_CLOEXEC);
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

// ---- pipelines -------------------------------------------------------------------------------

namespace {

using clock_type = std::chrono::steady_clock;

/// Records the pid of each stage as it starts (its trace's spawned event).
struct pid_log {
    std::shared_ptr<std::vector<long long>> pids = std::make_shared<std::vector<long long>>();
    command::trace_callback callback() const {
        auto p = pids;
        return [p](const liftoff::trace_event& e) {
            if (e.kind == liftoff::trace_kind::spawned) p->push_back(static_cast<long long>(e.pid));
        };
    }
};

#if !defined(_WIN32)
/// User plus system CPU time of this process (every thread), in milliseconds.
double cpu_ms() {
    rusage u{};
    ::getrusage(RUSAGE_SELF, &u);
    return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}
#endif  // !_WIN32

}  // namespace

TEST_CASE("pipeline: three helper stages, the last one's output captured, one status per stage") {
    const auto r = liftoff::run(helper_cmd({"lines", "100"}) | helper_cmd({"cat"}) | helper_cmd({"wc"}));
    CHECK(r.ok());
    REQUIRE(r.statuses.size() == 3);
    for (const auto& s : r.statuses)
        CHECK(s.success());
    // "line 1\n" .. "line 100\n": 9 * 7 + 90 * 8 + 9 bytes
    CHECK(r.out == "100 792\n");
    CHECK(r.err.empty());
    CHECK_FALSE(r.timed_out);
}

TEST_CASE("pipeline: built with |, pipeline(vector) or then(); stages() reads it back") {
    const liftoff::pipeline a = command{"a"} | command{"b"} | command{"c"};
    REQUIRE(a.stages().size() == 3);
    CHECK(a.stages()[2].program() == "c");
    liftoff::pipeline b({command{"a"}});
    b.then(command{"b"});
    CHECK(b.stages().size() == 2);
    const command c{"x"};
    CHECK((b | c).stages().size() == 3);  // an lvalue command too
}

#if !defined(_WIN32)
TEST_CASE("pipeline: ls -1 | grep x | wc -l with the system's tools") {
    const test::scratch_dir dir("pipe");
    for (const char* name : {"ax", "b", "cx", "d", "xe"})
        dir.write(name, "");
    const auto r = liftoff::run(command{"ls", {"-1", dir.path()}} | command{"grep", {"x"}} | command{"wc", {"-l"}});
    CHECK(r.ok());
    CHECK(r.out.find('3') != std::string::npos);  // wc's padding differs between systems
    CHECK(r.out.find_first_not_of(" \t3\n") == std::string::npos);
}

// CPython test_pipes (a "echo | cat" template, run through sh there): the text arrives intact.
TEST_CASE("pipeline: echo | cat (CPython test_pipes)") {
    const auto r = liftoff::run(command{"echo", {"hello world"}} | command{"cat"});
    CHECK(r.ok());
    CHECK(r.out == "hello world\n");
    CHECK(r.statuses.size() == 2);
}

TEST_CASE("pipeline: 64 MiB through three stages costs this process almost no CPU") {
    const long long bytes = 64LL << 20;
    const double before = cpu_ms();
    const auto started = clock_type::now();
    const auto r = liftoff::run(helper_cmd({"out", std::to_string(bytes)}) | helper_cmd({"cat"}) | helper_cmd({"wc"}));
    const double took = std::chrono::duration<double, std::milli>(clock_type::now() - started).count();
    const double spent = cpu_ms() - before;
    CHECK(r.ok());
    CHECK(test::contains(r.out, " " + std::to_string(bytes) + "\n"));
    // The same bytes through this process (captured, then written to a child's stdin): what a
    // pipeline that passed its data through the parent would cost at least.
    const double before_copy = cpu_ms();
    const auto produced = liftoff::run(helper_cmd({"out", std::to_string(bytes)}));
    const auto consumed = liftoff::run(helper_cmd({"wc"}).stdin_from(liftoff::io::text(produced.out)));
    const double copied = cpu_ms() - before_copy;
    CHECK(consumed.out == r.out);
    MESSAGE("64 MiB through 3 stages: this process spent " << spent << " ms of CPU in " << took
                                                           << " ms; through this process: " << copied << " ms");
    CHECK(spent < 50.0);
    CHECK(spent * 4 < copied);
}
#endif  // !_WIN32

TEST_CASE("pipeline: a failing middle stage: its status, the others', and ok() false (pipefail)") {
    const auto r = liftoff::run(helper_cmd({"say", "hello\n"}) | helper_cmd({"cat", "exit", "3"}) | helper_cmd({"wc"}));
    REQUIRE(r.statuses.size() == 3);
    CHECK(r.statuses[0].success());
    CHECK(r.statuses[1].code() == 3);
    CHECK(r.statuses[2].success());
    CHECK(r.out == "1 6\n");  // the data went through; only the status failed
    CHECK_FALSE(r.ok());
    const auto last = liftoff::run(helper_cmd({"say", "x"}) | helper_cmd({"cat", "exit", "4"}));
    CHECK(last.statuses.back().code() == 4);
    CHECK_FALSE(last.ok());
}

TEST_CASE("pipeline: this process closes its write ends, so the last stage sees the end of its input") {
    // A pipe write end left open in the parent (or in any stage) would keep wc reading forever:
    // the timeout would fire.
    const auto limit = [](command c) { return c.timeout(std::chrono::seconds(5), std::chrono::milliseconds(100)); };
    const auto r =
        liftoff::run(limit(helper_cmd({"say", "a\nb\n"})) | limit(helper_cmd({"cat"})) | limit(helper_cmd({"wc"})));
    CHECK(r.ok());
    CHECK_FALSE(r.timed_out);
    CHECK(r.out == "2 4\n");
    CHECK(r.elapsed < std::chrono::seconds(4));
}

#if !defined(_WIN32)
TEST_CASE("pipeline: no stage holds a descriptor beyond its 0, 1 and 2") {
    // "fds" lists the descriptors above 2 its process has.
    CHECK(liftoff::run(helper_cmd({"fds"}) | helper_cmd({"cat"}) | helper_cmd({"cat"})).out == "\n");
    CHECK(liftoff::run(helper_cmd({"say", "x"}) | helper_cmd({"fds"}) | helper_cmd({"cat"})).out == "\n");
    CHECK(liftoff::run(helper_cmd({"say", "x"}) | helper_cmd({"cat"}) | helper_cmd({"fds"})).out == "\n");
}
#endif  // !_WIN32

TEST_CASE("pipeline: no descriptor (handle) and no zombie is left behind") {
    (void)liftoff::run(helper_cmd({"say", "warm"}) | helper_cmd({"cat"}));  // the event loop's own, once
    const int fds = test::open_fds();
    const int zombies = test::zombies();
    for (int i = 0; i < 5; ++i) {
        CHECK(liftoff::run(helper_cmd({"lines", "10"}) | helper_cmd({"cat"}) | helper_cmd({"wc"})).ok());
        std::error_code ec;
        (void)liftoff::run(helper_cmd({"say", "x"}) | command{"liftoff-no-such-program"}, ec);
        CHECK(ec == errc::program_not_found);
    }
#if defined(_WIN32)
    // Windows makes some handles when first needed (a critical section's semaphore the first
    // time two threads contend for it; see resources.cpp): one may appear, a leak would be 5+.
    CHECK(test::open_fds() <= fds + 2);
#else
    CHECK(test::open_fds() == fds);
#endif  // _WIN32
    CHECK(test::zombies() == zombies);
}

TEST_CASE("pipeline: a stage that cannot start stops the ones already running, and is named") {
    pid_log log;
    const int zombies = test::zombies();
    const auto started = clock_type::now();
    const liftoff::pipeline p = helper_cmd({"sleep", "30000"}).trace(log.callback()) |
                                helper_cmd({"sleep", "30000"}).trace(log.callback()) |
                                command{"liftoff-no-such-program"} | helper_cmd({"wc"});
    try {
        auto pc = liftoff::launch(p);
        FAIL("launched");
    } catch (const liftoff::launch_error& e) {
        const std::string msg = e.what();
        CHECK(e.code() == errc::program_not_found);
        CHECK_MESSAGE(test::contains(msg, "cannot launch 'liftoff-no-such-program' (stage 3 of 4 of the pipeline)"),
                      msg);
        CHECK_MESSAGE(test::contains(msg, "not found in PATH"), msg);
    }
    CHECK(clock_type::now() - started < std::chrono::seconds(10));
    REQUIRE(log.pids->size() == 2);
    for (const long long pid : *log.pids)
        CHECK_FALSE(test::alive(pid));
    CHECK(test::zombies() == zombies);

    // The other forms say the same.
    std::error_code ec;
    CHECK_FALSE(liftoff::launch(p, ec).valid());
    CHECK(ec == errc::program_not_found);
    liftoff::failure f;
    const auto r = liftoff::run(p, f);
    CHECK(f.code == errc::program_not_found);
    CHECK(test::contains(f.message, "(stage 3 of 4 of the pipeline)"));
    CHECK(r.statuses.empty());
    CHECK(log.pids->size() == 6);
    for (const long long pid : *log.pids)
        CHECK_FALSE(test::alive(pid));
}

TEST_CASE("pipeline: redirections a pipe replaces, and an empty pipeline, are refused before anything runs") {
    pid_log log;
    const std::string msg = expect_failure_pipeline(
        helper_cmd({}).trace(log.callback()) | helper_cmd({}).stdin_from(liftoff::io::null()), errc::invalid_argument);
    CHECK_MESSAGE(test::contains(msg, "(stage 2 of 2 of the pipeline): stdin_from() is set"), msg);
    CHECK(log.pids->empty());
    const std::string out = expect_failure_pipeline(helper_cmd({}).stdout_to(liftoff::io::capture()) | helper_cmd({}),
                                                    errc::invalid_argument);
    CHECK_MESSAGE(test::contains(out, "(stage 1 of 2 of the pipeline): stdout_to() is set"), out);
    expect_failure_pipeline(liftoff::pipeline(), errc::invalid_argument);
}

TEST_CASE("pipeline: io::pipe() into the first stage, io::capture() of the last, through launch()") {
    auto pc = liftoff::launch(helper_cmd({"cat"}).stdin_from(liftoff::io::pipe()) | helper_cmd({"cat"}) |
                              helper_cmd({"wc"}).stdout_to(liftoff::io::capture()));
    REQUIRE(pc.valid());
    REQUIRE(pc.stages().size() == 3);
    pc.stages().front().write_stdin("one\ntwo\n");
    const auto statuses = pc.wait();  // closes the first stage's stdin
    REQUIRE(statuses.size() == 3);
    for (const auto& s : statuses)
        CHECK(s.success());
    CHECK(pc.stages().back().out() == "2 8\n");
}

TEST_CASE("pipeline: stderr_to(io::merge()) on a stage sends its stderr down the pipe (2>&1 |)") {
    const auto r = liftoff::run(helper_cmd({"say", "out\n", "esay", "err\n"}).stderr_to(liftoff::io::merge()) |
                                helper_cmd({"cat"}));
    CHECK(r.ok());
    CHECK(r.out == "out\nerr\n");
}

// Boost.Process: "pipe between two processes" (one child's stdout is the other's stdin).
TEST_CASE("pipeline: two processes, the second reading what the first writes (Boost.Process)") {
    const auto r = liftoff::run(helper_cmd({"lines", "3"}) | helper_cmd({"tee-both"}));
    CHECK(r.ok());
    CHECK(r.out == "line 1\nline 2\nline 3\n");
    CHECK(r.err == r.out);  // the last stage's stderr is captured too
}

TEST_CASE("pipeline: a stage's timeout stops that stage; the others end as the pipe ends") {
    const auto r =
        liftoff::run(helper_cmd({"say", "x"}) | helper_cmd({"sleep", "30000"}).timeout(std::chrono::milliseconds(300)) |
                     helper_cmd({"wc"}));
    CHECK(r.timed_out);
    CHECK_FALSE(r.ok());
    REQUIRE(r.statuses.size() == 3);
    CHECK_FALSE(r.statuses[1].success());
    CHECK(r.statuses[2].success());
    CHECK(r.out == "0 0\n");
    CHECK(r.elapsed < std::chrono::seconds(10));
}

#if !defined(_WIN32)
TEST_CASE("pipeline: terminate() stops every stage at once: one grace, not one per stage") {
    const int zombies = test::zombies();
    // Each ignores SIGTERM: each must be killed after the grace, and the graces run together.
    auto pc =
        liftoff::launch(helper_cmd({"ignore-term", "sleep", "30000"}) | helper_cmd({"ignore-term", "sleep", "30000"}) |
                        helper_cmd({"ignore-term", "sleep", "30000"}));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // past ignore-term
    const auto started = clock_type::now();
    const auto statuses = pc.terminate(std::chrono::milliseconds(500));
    const auto took = clock_type::now() - started;
    REQUIRE(statuses.size() == 3);
    for (const auto& s : statuses)
        CHECK(test::killed(s));
    CHECK(took >= std::chrono::milliseconds(450));
    CHECK(took < std::chrono::milliseconds(1400));  // 3 x 500 ms would be one after another
    CHECK(test::zombies() == zombies);
    for (const auto& c : pc.stages())
        CHECK_FALSE(test::alive(c.pid()));

    // A polite stop that works: SIGTERM to each.
    auto polite = liftoff::launch(helper_cmd({"sleep", "30000"}) | helper_cmd({"sleep", "30000"}));
    for (const auto& s : polite.terminate())
        CHECK(s.signal() == SIGTERM);
}

TEST_CASE("pipeline: kill() kills every stage; the destructor terminates (launch()'s default)") {
    auto pc = liftoff::launch(helper_cmd({"sleep", "30000"}) | helper_cmd({"sleep", "30000"}));
    for (const auto& s : pc.kill())
        CHECK(test::killed(s));
    pid_log log;
    const auto started = clock_type::now();
    {
        auto gone = liftoff::launch(helper_cmd({"sleep", "30000"}).trace(log.callback()) |
                                    helper_cmd({"ignore-term", "sleep", "30000"})
                                        .trace(log.callback())
                                        .timeout(std::chrono::hours(1), std::chrono::milliseconds(300)) |
                                    helper_cmd({"sleep", "30000"}).trace(log.callback()));
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    CHECK(clock_type::now() - started < std::chrono::seconds(2));  // 2 s grace each were it one by one
    REQUIRE(log.pids->size() == 3);
    for (const long long pid : *log.pids)
        CHECK_FALSE(test::alive(pid));
    // on_destroy(release) on a stage: it runs on.
    pid_log kept;
    {
        auto released = liftoff::launch(
            helper_cmd({"sleep", "300"}).trace(kept.callback()).on_destroy(liftoff::on_destroy::release) |
            helper_cmd({"cat"}));
    }
    REQUIRE(kept.pids->size() == 1);
    CHECK(test::eventually([&] { return !test::alive(kept.pids->front()); }, std::chrono::seconds(5)));
}
#endif  // !_WIN32

TEST_CASE("pipeline: terminate() ends every stage, on every OS") {
    auto pc = liftoff::launch(helper_cmd({"sleep", "30000"}) | helper_cmd({"sleep", "30000"}) |
                              helper_cmd({"sleep", "30000"}));
    const auto started = clock_type::now();
    const auto statuses = pc.terminate(std::chrono::milliseconds(500));
    CHECK(clock_type::now() - started < std::chrono::seconds(5));
    REQUIRE(statuses.size() == 3);
    for (const auto& s : statuses)
        CHECK_FALSE(s.success());
    for (auto& c : pc.stages())
        CHECK_FALSE(c.running());
}

TEST_CASE("pipeline: one stage runs as its command alone; the error_code forms succeed quietly") {
    std::error_code ec = std::make_error_code(std::errc::io_error);
    const auto r = liftoff::run(liftoff::pipeline({helper_cmd({"say", "alone"})}), ec);
    CHECK_FALSE(ec);
    CHECK(r.ok());
    CHECK(r.out == "alone");
    REQUIRE(r.statuses.size() == 1);
    auto pc = liftoff::launch(helper_cmd({"exit", "0"}) | helper_cmd({"exit", "5"}), ec);
    CHECK_FALSE(ec);
    const auto statuses = pc.wait();
    REQUIRE(statuses.size() == 2);
    CHECK(statuses[0].success());
    CHECK(statuses[1].code() == 5);
}
