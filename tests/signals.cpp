// tests/signals.cpp: child::signal()/interrupt()/suspend()/resume() and wait_any(): delivered,
// never to a process that is not the child, and waiting for whichever child ends first.
// SPDX-License-Identifier: MIT
//
// Peer counterparts: CPython's test_subprocess test_send_signal (SIGINT reaches a child, which
// reports it), test_send_signal_race (a signal after the child exited but before it was waited
// for is not an error; after the wait it is, here, where CPython silently sends nothing),
// test_terminate_dead / test_kill_dead (stopping a child that is gone); Rust's std::process
// Child::kill-then-wait checks (a signal, then wait() gives it). Boost.Process has no wait for
// any one of several children (v1's group::wait waits for the whole group), so wait_any()'s
// cases have no Boost counterpart; Python's os.wait()/multiprocessing.connection.wait() are the
// nearest peers.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <functional>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#if !defined(_WIN32)
#include <sched.h>  // unshare
#if defined(__linux__)
#include <sys/mount.h>
#endif  // __linux__
#include <signal.h>
#include <sys/wait.h>
#endif  // !_WIN32

#include "support.hpp"

using liftoff::command;
namespace io = liftoff::io;
using test::helper_cmd;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {
/// CPU time this process has used (every thread), in milliseconds.
long long cpu_ms() {
#if defined(_WIN32)
    FILETIME created, ended, kernel, user;
    ::GetProcessTimes(::GetCurrentProcess(), &created, &ended, &kernel, &user);
    auto ms = [](FILETIME t) { return ((static_cast<long long>(t.dwHighDateTime) << 32) | t.dwLowDateTime) / 10000; };
    return ms(kernel) + ms(user);
#else
    rusage u{};
    ::getrusage(RUSAGE_SELF, &u);
    return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1000LL + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1000;
#endif  // _WIN32
}

/// A child that says "ready" once it catches signals (console events on Windows).
liftoff::child catcher(liftoff::command cmd = helper_cmd({"catch-signals"})) {
    auto c = liftoff::launch(cmd.stdout_to(io::capture()));
    REQUIRE(test::eventually([&] { return test::contains(c.out(), "ready"); }));
    return c;
}

/// The children's order in which wait_any() returned them, taking each out of the list.
std::vector<liftoff::child*> in_order_of_exit(std::vector<liftoff::child*> left) {
    std::vector<liftoff::child*> order;
    while (!left.empty()) {
        const auto i = liftoff::wait_any(left, 10s);
        REQUIRE(i.has_value());
        REQUIRE(*i < left.size());
        order.push_back(left[*i]);
        left.erase(left.begin() + static_cast<std::ptrdiff_t>(*i));
    }
    return order;
}
}  // namespace

// --- wait_any: every OS ----------------------------------------------------------------------

TEST_CASE("wait_any() returns the children in the order they exit, each reaped with its streams finished") {
    auto a = liftoff::launch(helper_cmd({"sleep", "600", "say", "a", "exit", "1"}).stdout_to(io::capture()));
    auto b = liftoff::launch(helper_cmd({"sleep", "100", "say", "b", "exit", "2"}).stdout_to(io::capture()));
    auto c = liftoff::launch(helper_cmd({"sleep", "350", "say", "c", "exit", "3"}).stdout_to(io::capture()));
    const auto order = in_order_of_exit({&a, &b, &c});
    CHECK(order == std::vector<liftoff::child*>{&b, &c, &a});
    CHECK_FALSE(b.running());
    const auto t0 = clock_type::now();
    CHECK(b.wait().code() == 2);  // at once: reaped already
    CHECK(clock_type::now() - t0 < 200ms);
    CHECK(b.out() == "b");
    CHECK(a.out() == "a");
    CHECK(a.wait().code() == 1);
    CHECK(c.wait().code() == 3);
}

TEST_CASE("wait_any() times out with nullopt, without spinning") {
    auto a = liftoff::launch(helper_cmd({"sleep", "5000"}));
    auto b = liftoff::launch(helper_cmd({"sleep", "5000"}));
    const auto cpu = cpu_ms();
    const auto t0 = clock_type::now();
    const auto i = liftoff::wait_any({&a, &b}, 700ms);
    const auto took = clock_type::now() - t0;
    CHECK_FALSE(i.has_value());
    CHECK(took >= 700ms);
    CHECK(took < 3s);
    CHECK_MESSAGE(cpu_ms() - cpu < 100, "wait_any spun: " << (cpu_ms() - cpu) << " ms of CPU in 0.7 s");
    CHECK(a.running());
    CHECK(b.running());
    CHECK_FALSE(liftoff::wait_any({&a, &b}, 0ns).has_value());
}

TEST_CASE("wait_any(): a child that has already exited, or been waited for, is returned at once") {
    auto a = liftoff::launch(helper_cmd({"sleep", "5000"}));
    auto b = liftoff::launch(helper_cmd({"exit", "4"}));
    REQUIRE(b.wait().code() == 4);
    const auto t0 = clock_type::now();
    CHECK(liftoff::wait_any({&a, &b}, 5s) == std::optional<std::size_t>(1));
    CHECK(clock_type::now() - t0 < 1s);
    auto d = liftoff::launch(helper_cmd({"exit", "5"}));
    REQUIRE(test::eventually([&] { return !test::alive(static_cast<long long>(d.pid())); }));
    CHECK(liftoff::wait_any({&a, &d}) == std::optional<std::size_t>(1));
    CHECK(d.wait().code() == 5);
}

TEST_CASE("wait_any(): an empty list, a null pointer or a handle without a child is invalid_argument") {
    auto a = liftoff::launch(helper_cmd({"sleep", "5000"}));
    liftoff::child none;
    std::error_code ec;
    CHECK_FALSE(liftoff::wait_any({}, 1s, ec).has_value());
    CHECK(ec == liftoff::errc::invalid_argument);
    CHECK(ec == std::errc::invalid_argument);
    ec.clear();
    CHECK_FALSE(liftoff::wait_any({&a, nullptr}, 1s, ec).has_value());
    CHECK(ec == liftoff::errc::invalid_argument);
    ec.clear();
    CHECK_FALSE(liftoff::wait_any({&a, &none}, 1s, ec).has_value());
    CHECK(ec == liftoff::errc::invalid_argument);
    CHECK_THROWS_AS(liftoff::wait_any({&none}), liftoff::launch_error);
    CHECK_THROWS_WITH(liftoff::wait_any({}), doctest::Contains("at least one child"));
    CHECK(a.running());
}

TEST_CASE("wait_any() honours a child's own timeout(), as wait() does") {
    auto a = liftoff::launch(helper_cmd({"sleep", "10000"}).timeout(300ms));
    auto b = liftoff::launch(helper_cmd({"sleep", "10000"}));
    const auto t0 = clock_type::now();
    CHECK(liftoff::wait_any({&b, &a}, 10s) == std::optional<std::size_t>(1));
    CHECK(clock_type::now() - t0 < 5s);
    CHECK(a.timed_out());
    CHECK_FALSE(b.timed_out());
    CHECK(b.running());
}

TEST_CASE("wait_any() over more children than keep a pidfd (Linux: 16), or than one Windows wait takes (64)") {
    std::vector<liftoff::child> kids;
    const std::size_t n = 70;
    for (std::size_t i = 0; i + 1 < n; ++i)
        kids.push_back(liftoff::launch(helper_cmd({"sleep", "20000"}).on_destroy(liftoff::on_destroy::kill)));
    kids.push_back(liftoff::launch(helper_cmd({"sleep", "600", "exit", "9"})));
    std::vector<liftoff::child*> all;
    for (auto& k : kids)
        all.push_back(&k);
    const auto cpu = cpu_ms();
    const auto i = liftoff::wait_any(all, 20s);
    CHECK(i == std::optional<std::size_t>(n - 1));
    CHECK(kids.back().wait().code() == 9);
    CHECK_MESSAGE(cpu_ms() - cpu < 60, (cpu_ms() - cpu) << " ms of CPU in 0.6 s");
}

// --- signals: Windows ------------------------------------------------------------------------
#if defined(_WIN32)
TEST_CASE("Windows: signal(n) is unsupported, interrupt() needs new_process_group()") {
    auto c = liftoff::launch(helper_cmd({"sleep", "5000"}));
    std::error_code ec;
    c.signal(1, ec);
    CHECK(ec == liftoff::errc::unsupported);
    CHECK_THROWS_WITH(c.signal(15), doctest::Contains("no signals to send by number"));
    c.interrupt(ec);
    CHECK(ec == liftoff::errc::unsupported);
    CHECK_THROWS_WITH(c.interrupt(), doctest::Contains("new_process_group()"));
    CHECK(c.running());
}

TEST_CASE("Windows: suspend() stops the child's threads, resume() lets them go on") {
    auto c = liftoff::launch(helper_cmd({"ticks", "400"}).stdout_to(io::capture()));
    REQUIRE(test::eventually([&] { return test::contains(c.out(), "tick"); }));
    c.suspend();
    std::this_thread::sleep_for(200ms);  // a tick under way may still land
    const auto frozen = c.out().size();
    std::this_thread::sleep_for(400ms);
    CHECK(c.out().size() == frozen);
    c.resume();
    CHECK(test::eventually([&] { return c.out().size() > frozen; }));
    c.kill();
    std::error_code ec;
    c.suspend(ec);
    CHECK(ec == std::errc::no_such_process);
}

TEST_CASE("Windows: interrupt() is CTRL_C_EVENT to the child's process group") {
    // CTRL_C_EVENT goes through a console the sender shares with the child: make one if this
    // process has none (a test runner's pipes).
    const bool had_console = ::GetConsoleWindow() != nullptr;
    const bool made_console = !had_console && ::AllocConsole();
    auto c = catcher(helper_cmd({"catch-signals"}).new_process_group());
    std::error_code ec;
    c.interrupt(ec);
    if (made_console) ::FreeConsole();
    if (ec && test::under_wine()) {
        // wine 8: GenerateConsoleCtrlEvent fails (with or without a console of our own).
        MESSAGE("wine: GenerateConsoleCtrlEvent failed: " << ec.message() << " (" << ec.value() << "; console: had "
                                                          << had_console << ", made " << made_console << ")");
        return;
    }
    REQUIRE_MESSAGE(!ec, ec.message());
    const auto s = c.wait_for(5s);
    if (!s && test::under_wine()) {
        MESSAGE("wine did not deliver CTRL_C_EVENT to the group");
        return;
    }
    REQUIRE(s.has_value());
    CHECK(test::contains(c.out(), "ctrl 0"));
    // Windows starts a new process group with CTRL+C ignored: a child that does not turn it back
    // on goes on running.
    auto d = liftoff::launch(helper_cmd({"sleep", "3000"}).new_process_group());
    std::this_thread::sleep_for(200ms);  // its CRT started
    d.interrupt();
    CHECK_FALSE(d.wait_for(1s).has_value());
}
#endif  // _WIN32

// --- signals: POSIX --------------------------------------------------------------------------
#if !defined(_WIN32)
TEST_CASE("signal() delivers SIGHUP and SIGUSR1 and the child sees which; each is traced") {
    for (const int sig : {SIGHUP, SIGUSR1}) {
        std::vector<int> sent;
        auto c = catcher(helper_cmd({"catch-signals"}).trace([&](const liftoff::trace_event& e) {
            if (e.kind == liftoff::trace_kind::signal_sent) sent.push_back(e.signal);
        }));
        c.signal(sig);
        CHECK(c.wait().code() == 0);
        CHECK(c.out() == "ready\ncaught " + std::to_string(sig) + "\n");
        CHECK(sent == std::vector<int>{sig});
    }
    // Not caught: the signal's default action ends it (Rust's test_kill, with any signal).
    auto d = liftoff::launch(helper_cmd({"sleep", "10000"}));
    d.signal(SIGUSR2);
    CHECK(d.wait().signal() == SIGUSR2);
}

TEST_CASE("interrupt() is SIGINT (CPython's test_send_signal)") {
    auto c = catcher();
    c.interrupt();
    CHECK(c.wait().code() == 0);
    CHECK(test::contains(c.out(), "caught " + std::to_string(SIGINT)));
    auto d = liftoff::launch(helper_cmd({"sleep", "10000"}));
    std::error_code ec;
    d.interrupt(ec);
    CHECK_FALSE(ec);
    CHECK(d.wait().signal() == SIGINT);
}

TEST_CASE("a signal number out of range is invalid_argument, and nothing is sent") {
    auto c = liftoff::launch(helper_cmd({"sleep", "5000"}));
    for (const int sig : {0, -1, NSIG, 1000}) {
        std::error_code ec;
        c.signal(sig, ec);
        CHECK(ec == liftoff::errc::invalid_argument);
        CHECK(ec == std::errc::invalid_argument);
    }
    CHECK_THROWS_WITH(c.signal(1000), doctest::Contains("1000 is not a signal number"));
    CHECK(c.running());
}

TEST_CASE("after wait() a signal is an error naming the program, never a signal (CPython's test_send_signal_race)") {
    int traced = 0;
    auto c = liftoff::launch(helper_cmd({"exit", "3"}).trace([&](const liftoff::trace_event& e) {
        if (e.kind == liftoff::trace_kind::signal_sent) ++traced;
    }));
    // Exited but not waited for: still this process's child (a zombie), so the signal is sent
    // and changes nothing.
    REQUIRE(test::eventually([&] { return !test::alive(c.pid()); }));
    std::error_code ec;
    c.signal(SIGHUP, ec);
    CHECK_FALSE(ec);
    CHECK(c.wait().code() == 3);
    traced = 0;
    for (auto send : std::vector<std::function<void(std::error_code&)>>{
             [&](std::error_code& e) { c.signal(SIGHUP, e); }, [&](std::error_code& e) { c.interrupt(e); },
             [&](std::error_code& e) { c.suspend(e); }, [&](std::error_code& e) { c.resume(e); }}) {
        ec.clear();
        send(ec);
        CHECK(ec == std::errc::no_such_process);
    }
    try {
        c.signal(SIGHUP);
        FAIL("no exception");
    } catch (const liftoff::launch_error& e) {
        CHECK(e.code() == std::errc::no_such_process);
        CHECK_MESSAGE(test::contains(e.what(), "liftoff_helper"), e.what());
        CHECK_MESSAGE(test::contains(e.what(), "waited for"), e.what());
        CHECK_MESSAGE(test::contains(e.what(), "SIGHUP"), e.what());
    }
    CHECK(traced == 0);
    // test_terminate_dead: stopping what has ended is not an error.
    CHECK(c.terminate().code() == 3);
    CHECK(c.kill().code() == 3);

    // A handle without a child: moved from, released, default.
    auto d = liftoff::launch(helper_cmd({"sleep", "200"}));
    liftoff::child e = std::move(d);
    ec.clear();
    d.signal(SIGHUP, ec);  // NOLINT(bugprone-use-after-move): the point
    CHECK(ec == std::errc::no_such_process);
    CHECK_THROWS_WITH(d.interrupt(), doctest::Contains("has no child"));
    e.release();
    ec.clear();
    e.suspend(ec);
    CHECK(ec == std::errc::no_such_process);
}

TEST_CASE("with new_process_group() a signal reaches the whole group") {
    auto c = liftoff::launch(
        helper_cmd({"grandchild", "10000", "sleep", "10000"}).new_process_group().stdout_to(io::capture()));
    REQUIRE(test::eventually([&] { return test::contains(c.out(), "\n"); }));
    const long long grandchild = std::stoll(c.out());
    c.signal(SIGUSR1);
    CHECK(c.wait().signal() == SIGUSR1);
    CHECK(test::eventually([&] { return !test::alive(grandchild); }));
}

#if defined(__linux__)  // the state from /proc/<pid>/stat
namespace {
char proc_state(long long pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(stat, line);
    const auto close = line.rfind(')');
    return close != std::string::npos && line.size() > close + 2 ? line[close + 2] : '?';
}
}  // namespace

TEST_CASE("suspend() stops the child (state T), resume() lets it run on; resume() also for one stopped by another") {
    std::vector<int> sent;
    auto c = liftoff::launch(helper_cmd({"sleep", "10000"}).trace([&](const liftoff::trace_event& e) {
        if (e.kind == liftoff::trace_kind::signal_sent) sent.push_back(e.signal);
    }));
    c.suspend();
    CHECK(test::eventually([&] { return proc_state(c.pid()) == 'T'; }));
    c.resume();
    CHECK(test::eventually([&] { return proc_state(c.pid()) == 'S'; }));
    CHECK(sent == std::vector<int>{SIGSTOP, SIGCONT});
    ::kill(static_cast<pid_t>(c.pid()), SIGSTOP);  // someone else
    REQUIRE(test::eventually([&] { return proc_state(c.pid()) == 'T'; }));
    std::error_code ec;
    c.resume(ec);
    CHECK_FALSE(ec);
    CHECK(test::eventually([&] { return proc_state(c.pid()) != 'T'; }));
    // terminate() of a suspended child still ends it at once (the stop policy's SIGCONT).
    c.suspend();
    REQUIRE(test::eventually([&] { return proc_state(c.pid()) == 'T'; }));
    const auto t0 = clock_type::now();
    CHECK(c.terminate(5s).signal() == SIGTERM);
    CHECK(clock_type::now() - t0 < 2s);
}

TEST_CASE("suspend() with new_process_group() stops the grandchildren too") {
    auto c = liftoff::launch(
        helper_cmd({"grandchild", "10000", "sleep", "10000"}).new_process_group().stdout_to(io::capture()));
    REQUIRE(test::eventually([&] { return test::contains(c.out(), "\n"); }));
    const long long grandchild = std::stoll(c.out());
    c.suspend();
    CHECK(test::eventually([&] { return proc_state(grandchild) == 'T' && proc_state(c.pid()) == 'T'; }));
    c.resume();
    CHECK(test::eventually([&] { return proc_state(grandchild) != 'T' && proc_state(c.pid()) != 'T'; }));
}
#endif  // __linux__

TEST_CASE("wait_any() never reaps a child it was not given (no waitpid(-1))") {
    auto other = liftoff::launch(helper_cmd({"exit", "7"}));
    const pid_t mine = ::fork();  // not liftoff's at all
    if (mine == 0) ::_exit(5);
    REQUIRE(mine > 0);
    REQUIRE(test::eventually([&] { return !test::alive(other.pid()) && !test::alive(mine); }));
    auto listed = liftoff::launch(helper_cmd({"sleep", "300"}));
    CHECK(liftoff::wait_any({&listed}, 10s) == std::optional<std::size_t>(0));
    int raw = 0;
    CHECK(::waitpid(mine, &raw, WNOHANG) == mine);
    CHECK((WIFEXITED(raw) && WEXITSTATUS(raw) == 5));
    CHECK(other.wait().code() == 7);  // not reaped_elsewhere(): nobody took it
}

#if defined(__linux__) && !defined(LIFTOFF_FORCE_POSIX_SPAWN)
namespace {
/// Runs `body` in a forked copy of this process and returns what it returned; -1 if it crashed.
int in_forked_process(const std::function<int()>& body) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        int code = 99;
        try {
            code = body();
        } catch (const std::exception& e) {
            std::fprintf(stderr, "forked test: %s\n", e.what());
        }
        ::_exit(code);
    }
    if (pid < 0) return -1;
    int status = 0;
    const auto end = clock_type::now() + 60s;
    while (::waitpid(pid, &status, WNOHANG) == 0) {
        if (clock_type::now() > end) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            return -1;
        }
        std::this_thread::sleep_for(10ms);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// A process that sleeps `ms` and exits with `code`, with pid `want` (ns_last_pid: needs root
/// in its pid namespace); the pid it got.
pid_t fork_with_pid(pid_t want, int ms, int code) {
    {
        std::ofstream last("/proc/sys/kernel/ns_last_pid");
        last << (want - 1);
    }
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::usleep(static_cast<useconds_t>(ms) * 1000);
        ::_exit(code);
    }
    return pid;
}

/// `c` reaped behind liftoff's back, its pid given to an imposter: every signal is
/// no_such_process and the imposter ends as it would have. 0: passed; 77: no pid reuse here.
int signal_reused_pid(liftoff::child& c, int base) {
    int raw = 0;
    const pid_t x = static_cast<pid_t>(c.pid());
    // Beyond the pidfd budget its identity tells them apart. Without pidfs that is the start
    // time, in clock ticks (10 ms): an imposter started in the child's own tick would pass for
    // it (a limit, said in child.hpp).
    std::this_thread::sleep_for(50ms);
    ::kill(x, SIGKILL);
    if (::waitpid(x, &raw, 0) != x) return base + 1;
    const pid_t imposter = fork_with_pid(x, 800, 42);
    if (imposter != x) return 77;
    std::error_code ec;
    c.signal(SIGTERM, ec);
    if (ec != std::errc::no_such_process) return base + 2;
    c.suspend(ec);
    if (ec != std::errc::no_such_process) return base + 3;
    try {
        c.interrupt();
        return base + 4;
    } catch (const liftoff::launch_error& e) {
        if (!test::contains(e.what(), "reaped by something other than liftoff")) {
            std::fprintf(stderr, "%s\n", e.what());
            return base + 5;
        }
    }
    // No descriptor to spare (a pidfd cannot be opened to check): the imposter, a zombie by now,
    // is still neither signalled nor reaped.
    {
        const test::no_spare_descriptors none(imposter);
        c.signal(SIGTERM, ec);
        (void)c.running();
    }
    if (ec != std::errc::no_such_process && ec != std::errc::too_many_files_open) {
        std::fprintf(stderr, "signal() with no descriptor to spare: %s\n", ec.message().c_str());
        return base + 7;
    }
    if (::waitpid(imposter, &raw, 0) != imposter || !WIFEXITED(raw) || WEXITSTATUS(raw) != 42) {
        std::fprintf(stderr, "the imposter was signalled or reaped\n");
        return base + 6;
    }
    return 0;
}

int pid_reuse_signal_case() {
    // A child that keeps its pidfd.
    auto c = liftoff::launch(helper_cmd({"sleep", "20000"}));
    if (const int r = signal_reused_pid(c, 10)) return r;
    // Beyond the pidfd budget: a pidfd opened for the call, checked by the child's identity.
    std::vector<liftoff::child> budget;
    while (liftoff::detail::posix_process::pidfds_held() < liftoff::detail::posix_process::pidfd_budget)
        budget.push_back(liftoff::launch(helper_cmd({"sleep", "20000"})));
    auto d = liftoff::launch(helper_cmd({"sleep", "20000"}));
    if (const int r = signal_reused_pid(d, 20)) return r;
    // wait_any() over both: they are gone (returned at once), and the imposters are not reaped.
    const pid_t x = static_cast<pid_t>(d.pid());
    int raw = 0;
    const pid_t imposter = fork_with_pid(x, 300, 43);
    if (imposter != x) return 77;
    const auto cpu = cpu_ms();
    if (liftoff::wait_any({&d}, 5s) != std::optional<std::size_t>(0)) return 30;
    if (cpu_ms() - cpu > 100) {
        std::fprintf(stderr, "wait_any spun while the imposter ran: %lld ms of CPU\n", cpu_ms() - cpu);
        return 33;
    }
    if (d.wait() != liftoff::exit_status::reaped_elsewhere()) return 31;
    if (::waitpid(imposter, &raw, 0) != imposter || WEXITSTATUS(raw) != 43) return 32;
    return 0;
}

/// Runs pid_reuse_signal_case() in a new pid namespace; `by_start_time`: known by the start
/// time even where pidfds have pidfs inode numbers (the path of kernels before 6.9).
int pid_reuse_signal_in_namespace(bool by_start_time) {
    return in_forked_process([by_start_time] {
        if (by_start_time) liftoff::detail::pidfs_inodes_here().store(liftoff::detail::pidfs_inodes::no);
        if (::unshare(CLONE_NEWPID | CLONE_NEWNS) != 0) return 77;
        if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) return 77;
        const pid_t init = ::fork();  // pid 1 of the new namespace
        if (init == 0) {
            if (::mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0) ::_exit(77);
            ::_exit(pid_reuse_signal_case());
        }
        int raw = 0;
        if (init < 0 || ::waitpid(init, &raw, 0) != init) return 77;
        return WIFEXITED(raw) ? WEXITSTATUS(raw) : 98;
    });
}
}  // namespace

TEST_CASE("a child reaped behind liftoff's back whose pid is reused: no signal reaches the imposter") {
    for (const bool by_start_time : {false, true}) {
        CAPTURE(by_start_time);
        const int code = pid_reuse_signal_in_namespace(by_start_time);
        if (code == 77) {
            MESSAGE("skipped: no pid namespace, or ns_last_pid not writable here (needs root)");
            return;
        }
        CHECK(code == 0);
    }
}
#endif  // __linux__ && !LIFTOFF_FORCE_POSIX_SPAWN
#endif  // !_WIN32
