// tests/lifecycle.cpp: waiting, stopping, releasing and destroying children; timeouts, process
// groups, kill_on_parent_exit, and the signal state a child starts with.
// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#if !defined(_WIN32)
#include <sched.h>  // unshare
#if defined(__linux__)
#include <sys/mount.h>  // a /proc of the test's own pid namespace
#endif                  // __linux__
#include <sys/resource.h>
#include <sys/wait.h>
#endif  // !_WIN32

#include "support.hpp"

using liftoff::command;
using liftoff::on_destroy;
namespace io = liftoff::io;
using test::helper_cmd;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

TEST_CASE("running() is non-blocking and wait() reaps") {
    auto c = liftoff::launch(helper_cmd({"sleep", "200", "exit", "5"}));
    CHECK(c.valid());
    CHECK(c.pid() > 0);
    CHECK(c.running());
    CHECK(c.wait().code() == 5);
    CHECK_FALSE(c.running());
    CHECK(c.wait().code() == 5);  // again: the same answer
    CHECK(test::zombies() == 0);
}

TEST_CASE("wait_for() honours its duration and then returns the status") {
    auto c = liftoff::launch(helper_cmd({"sleep", "600"}));
    const auto t0 = clock_type::now();
    CHECK_FALSE(c.wait_for(200ms));
    const auto waited = clock_type::now() - t0;
    CHECK(waited >= 200ms);
    CHECK(waited < 450ms);
    const auto s = c.wait_for(5s);
    REQUIRE(s);
    CHECK(s->success());
    CHECK(clock_type::now() - t0 < 2s);
}

#if !defined(_WIN32)  // Windows: windows.cpp (CTRL_BREAK, WM_CLOSE, TerminateJobObject)
TEST_CASE("terminate() sends SIGTERM and reaps") {
    auto c = liftoff::launch(helper_cmd({"sleep", "10000"}));
    const auto s = c.terminate(5s);
    CHECK(s.signaled());
    CHECK(s.signal() == SIGTERM);
    CHECK_FALSE(c.running());
    CHECK(test::zombies() == 0);
}

TEST_CASE("terminate() kills a child that ignores SIGTERM once the grace has passed") {
    auto c = liftoff::launch(helper_cmd({"ignore-term", "say", "ready", "sleep", "10000"}).stdout_to(io::capture()));
    REQUIRE(test::eventually([&] { return c.out() == "ready"; }));
    const auto t0 = clock_type::now();
    const auto s = c.terminate(300ms);
    const auto took = clock_type::now() - t0;
    CHECK(s.signal() == SIGKILL);
    CHECK(took >= 300ms);
    CHECK(took < 2s);
}

TEST_CASE("kill() is immediate") {
    auto c = liftoff::launch(helper_cmd({"ignore-term", "sleep", "10000"}));
    CHECK(c.kill().signal() == SIGKILL);
}

TEST_CASE("timeout() stops run(), sets timed_out and keeps the output so far") {
    const auto t0 = clock_type::now();
    const auto r = liftoff::run(helper_cmd({"say", "partial", "sleep", "10000"}).timeout(300ms));
    CHECK(r.timed_out);
    CHECK_FALSE(r.ok());
    CHECK(r.status.signal() == SIGTERM);
    CHECK(r.out == "partial");
    CHECK(clock_type::now() - t0 < 3s);
}

TEST_CASE("timeout() with a grace: a child ignoring SIGTERM is killed after it") {
    const auto t0 = clock_type::now();
    const auto r = liftoff::run(helper_cmd({"ignore-term", "sleep", "10000"}).timeout(200ms, 200ms));
    CHECK(r.timed_out);
    CHECK(r.status.signal() == SIGKILL);
    CHECK(clock_type::now() - t0 >= 400ms);
}
#endif  // !_WIN32

TEST_CASE("timeout() applies to wait() too; a child done in time is not marked") {
    auto c = liftoff::launch(helper_cmd({"sleep", "10000"}).timeout(200ms));
    c.wait();
    CHECK(c.timed_out());
    const auto r = liftoff::run(helper_cmd({"exit", "0"}).timeout(10s));
    CHECK_FALSE(r.timed_out);
    CHECK(r.ok());
}

TEST_CASE("new_process_group(): terminate() reaches the grandchildren") {
    auto c = liftoff::launch(
        helper_cmd({"grandchild", "30000", "sleep", "30000"}).new_process_group().stdout_to(io::capture()));
    REQUIRE(test::eventually([&] { return !c.out().empty(); }));
    const long long grandchild = std::stoll(c.out());
    CHECK(test::alive(grandchild));
    c.terminate(2s);
    CHECK(test::eventually([&] { return !test::alive(grandchild); }));
}

#if !defined(_WIN32)
TEST_CASE("new_process_group(): the child leads its own group") {
    const auto r = liftoff::run(helper_cmd({"pid", "pgid"}).new_process_group());
    const auto nl = r.out.find('\n');
    CHECK(r.out.substr(0, nl) == r.out.substr(nl + 1, r.out.size() - nl - 2));
    const auto same = liftoff::run(helper_cmd({"pgid"}));
    CHECK(std::stoll(same.out) == ::getpgid(0));
}
#endif  // !_WIN32

TEST_CASE("without a group, terminate() leaves grandchildren alone") {
    auto c = liftoff::launch(helper_cmd({"grandchild", "30000", "sleep", "30000"}).stdout_to(io::capture()));
    REQUIRE(test::eventually([&] { return !c.out().empty(); }));
    const long long grandchild = std::stoll(c.out());
    c.terminate(2s);
    CHECK(test::alive(grandchild));
    test::kill_pid(grandchild);
}

TEST_CASE("release() lets the child run on and never leaves a zombie") {
    auto c = liftoff::launch(helper_cmd({"sleep", "300"}));
    const auto pid = c.pid();
    c.release();
    CHECK_FALSE(c.valid());
    CHECK(test::alive(pid));
    CHECK(test::eventually([&] { return !test::alive(pid) && test::zombies() == 0; }));
}

TEST_CASE("release() of a child writing to captured pipes: it is not disturbed") {
    test::scratch_dir dir;
    auto c = liftoff::launch(
        helper_cmd({"out", "3000000", "say", "done"}).stdout_to(io::capture()).stderr_to(io::capture()));
    const auto pid = c.pid();
    c.release();
    CHECK(test::eventually([&] { return !test::alive(pid); }));
    CHECK(test::eventually([&] { return test::zombies() == 0; }));
}

TEST_CASE("on_destroy: wait, terminate, kill, release") {
    long long pid = 0;
    auto t0 = clock_type::now();
    {
        auto c = liftoff::launch(helper_cmd({"sleep", "300"}).on_destroy(on_destroy::wait));
        pid = c.pid();
    }
    CHECK(clock_type::now() - t0 >= 300ms);
    CHECK_FALSE(test::alive(pid));

    t0 = clock_type::now();
    {
        auto c = liftoff::launch(helper_cmd({"sleep", "10000"}));  // launch's default: terminate
        pid = c.pid();
    }
    CHECK(clock_type::now() - t0 < 2s);
    CHECK_FALSE(test::alive(pid));

    {
        auto c = liftoff::launch(helper_cmd({"ignore-term", "sleep", "10000"}).on_destroy(on_destroy::kill));
        pid = c.pid();
    }
    CHECK_FALSE(test::alive(pid));

    {
        auto c = liftoff::launch(helper_cmd({"sleep", "300"}).on_destroy(on_destroy::release));
        pid = c.pid();
    }
    CHECK(test::alive(pid));
    CHECK(test::eventually([&] { return !test::alive(pid) && test::zombies() == 0; }));
}

TEST_CASE("a moved child is owned by its new handle only") {
    auto a = liftoff::launch(helper_cmd({"exit", "2"}));
    const auto pid = a.pid();
    liftoff::child b = std::move(a);
    CHECK_FALSE(a.valid());  // NOLINT: testing the moved-from state
    CHECK(b.pid() == pid);
    CHECK(b.wait().code() == 2);
    liftoff::child c;
    CHECK_FALSE(c.valid());
    CHECK(c.pid() == 0);
    CHECK_FALSE(c.running());
    CHECK(c.wait().unknown());
    c = liftoff::launch(helper_cmd({"sleep", "10000"}));
    c = liftoff::launch(helper_cmd({"exit", "0"}));  // the first is terminated on reassignment
    CHECK(c.wait().success());
}

#if !defined(_WIN32)
TEST_CASE("the child starts with default dispositions and an empty mask, whatever this thread has") {
    struct sigaction ignore{}, old_pipe{}, old_usr1{};
    ignore.sa_handler = SIG_IGN;
    ::sigaction(SIGPIPE, &ignore, &old_pipe);
    struct sigaction handler{};
    handler.sa_handler = [](int) {};
    ::sigaction(SIGUSR1, &handler, &old_usr1);
    sigset_t block, old_mask;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    ::pthread_sigmask(SIG_BLOCK, &block, &old_mask);
    const auto r = liftoff::run(helper_cmd({"sigstate"}));
    ::pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
    ::sigaction(SIGPIPE, &old_pipe, nullptr);
    ::sigaction(SIGUSR1, &old_usr1, nullptr);
    CHECK(r.out == "blocked=0 PIPE=default USR1=default INT=default TERM=default\n");
}

TEST_CASE("with SIGCHLD ignored by the application, waiting still returns (status unknown)") {
    struct sigaction ignore{}, old{};
    ignore.sa_handler = SIG_IGN;
    ::sigaction(SIGCHLD, &ignore, &old);
    auto c = liftoff::launch(helper_cmd({"sleep", "100", "exit", "3"}));
    const auto s = c.wait();
    auto t = liftoff::launch(helper_cmd({"sleep", "10000"}));
    const auto killed = t.terminate(1s);
    const auto r = liftoff::run(helper_cmd({"say", "still captured"}));
    ::sigaction(SIGCHLD, &old, nullptr);
    CHECK(s == liftoff::exit_status::lost());
    CHECK(test::contains(s.to_string(), "SIGCHLD is ignored"));
    CHECK(killed == liftoff::exit_status::lost());
    CHECK(r.out == "still captured");
}
#endif  // !_WIN32

TEST_CASE("kill_on_parent_exit(): the child dies with the process that launched it") {
    if (!liftoff::detail::native_platform::supports_kill_on_parent_exit) {
        MESSAGE("skipped: this platform build has no kill_on_parent_exit (tested in failures.cpp)");
        return;
    }
    test::scratch_dir dir;
    const auto pidfile = dir.file("pid");
    // The middle process launches the child from a thread that ends at once, then lingers.
    auto middle = liftoff::launch(helper_cmd({"launch-kope", pidfile, "30000", "sleep", "30000"}));
    REQUIRE(test::eventually([&] { return test::read_file(pidfile).size() > 1; }));
    const long long grandchild = std::stoll(test::read_file(pidfile));
    // The launching thread has ended: the child must still be alive.
    std::this_thread::sleep_for(200ms);
    CHECK(test::alive(grandchild));
    middle.kill();
    CHECK(test::eventually([&] { return !test::alive(grandchild); }));
}

TEST_CASE("releasing many children does not start a thread each, and leaves no zombies") {
    liftoff::launch(helper_cmd({"exit", "0"})).release();  // the reaper thread exists from here on
    const int before = test::threads();
    const auto r = liftoff::run(helper_cmd({"launch-released", "0", "0"}));
    REQUIRE(r.ok());
    std::vector<long long> pids;
    for (int i = 0; i < 200; ++i) {
        auto c = liftoff::launch(helper_cmd({"sleep", "200"}));
        pids.push_back(c.pid());
        c.release();
    }
    CHECK(test::threads() <= before);
    CHECK(test::eventually(
        [&] {
            for (auto p : pids)
                if (test::alive(p)) return false;
            return test::zombies() == 0;
        },
        10s));
}

TEST_CASE("a watchdog: wait() on one thread while another terminates the child or polls it") {
    for (int round = 0; round < 10; ++round) {
        auto c = liftoff::launch(helper_cmd({"sleep", "10000"}));
        liftoff::exit_status waited;
        std::thread waiter([&] { waited = c.wait(); });
        std::atomic<bool> polling{true};
        std::thread poller([&] {
            while (polling)
                (void)c.running();
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(20 + round * 5));
        const auto stopped = c.terminate(2s);
        waiter.join();
        polling = false;
        poller.join();
        CHECK(stopped == waited);
        CHECK_FALSE(waited.unknown());  // one of them reaped it; both know how it ended
#if !defined(_WIN32)
        CHECK(waited.signal() == SIGTERM);
#endif  // !_WIN32
    }
}

#if !defined(_WIN32)

#if defined(__linux__)  // Linux-only: reads the state from /proc/<pid>/stat
TEST_CASE("terminate() of a stopped child: SIGCONT lets it act on SIGTERM at once") {
    auto c = liftoff::launch(helper_cmd({"sleep", "10000"}));
    ::kill(static_cast<pid_t>(c.pid()), SIGSTOP);
    REQUIRE(test::eventually([&] {
        std::ifstream stat("/proc/" + std::to_string(c.pid()) + "/stat");
        std::string line;
        std::getline(stat, line);
        return line.find(") T ") != std::string::npos;
    }));
    const auto t0 = clock_type::now();
    const auto s = c.terminate(5s);
    CHECK(clock_type::now() - t0 < 2s);
    CHECK(s.signal() == SIGTERM);
}
#endif  // __linux__

TEST_CASE("a child that has already exited is reaped, not signalled, by terminate(), kill() and the destructor") {
    std::vector<liftoff::trace_kind> kinds;
    auto record = [&](const liftoff::trace_event& e) { kinds.push_back(e.kind); };
    {
        auto c = liftoff::launch(helper_cmd({"exit", "3"}).trace(record));
        REQUIRE(test::eventually([&] { return !test::alive(c.pid()); }));  // a zombie now
    }  // ~child: terminate
    CHECK(std::count(kinds.begin(), kinds.end(), liftoff::trace_kind::signal_sent) == 0);
    CHECK(std::count(kinds.begin(), kinds.end(), liftoff::trace_kind::exited) == 1);
    auto c = liftoff::launch(helper_cmd({"exit", "4"}));
    REQUIRE(test::eventually([&] { return !test::alive(c.pid()); }));
    CHECK(c.kill().code() == 4);
}
TEST_CASE("an io::lines callback may kill its own child (it runs on the drain thread, which is not joined there)") {
    std::atomic<liftoff::child*> self{nullptr};
    std::atomic<int> killed{0};
    liftoff::child c = liftoff::launch(
        helper_cmd({"sleep", "100", "say", "FATAL\n", "sleep", "10000"}).stdout_to(io::lines([&](std::string_view l) {
            liftoff::child* me = nullptr;
            while ((me = self.load()) == nullptr)
                std::this_thread::yield();
            if (l == "FATAL") {
                me->kill();  // before the fix: join() of its own thread, std::terminate
                ++killed;
            }
        })));
    self = &c;
    const auto t0 = clock_type::now();
    const auto s = c.wait();
    CHECK(clock_type::now() - t0 < 5s);
    CHECK(killed == 1);
    CHECK(s.signal() == SIGKILL);
    CHECK(test::zombies() == 0);
}

TEST_CASE("a trace callback that throws at spawned: launch() passes it on and the child is ended, not orphaned") {
    // Whatever on_destroy asks: a launch that failed leaves no child to wait for or to release.
    for (const auto policy : {on_destroy::kill, on_destroy::terminate, on_destroy::wait, on_destroy::release}) {
        CAPTURE(static_cast<int>(policy));
        long long pid = 0;
        const auto t0 = clock_type::now();
        const auto cmd =
            helper_cmd({"ignore-term", "sleep", "10000"}).on_destroy(policy).trace([&](const liftoff::trace_event& e) {
                if (e.kind != liftoff::trace_kind::spawned) return;
                pid = e.pid;
                throw std::runtime_error("tracer failed");
            });
        CHECK_THROWS_AS(static_cast<void>(liftoff::launch(cmd)),
                        std::runtime_error);  // (clang's doctest does not cast)
        CHECK(clock_type::now() - t0 < 3s);
        REQUIRE(pid > 0);
        CHECK_FALSE(test::alive(pid));
        CHECK(test::zombies() == 0);
    }
}

TEST_CASE("a trace callback that throws while the destructor stops the child: it is killed and reaped at once") {
    const auto t0 = clock_type::now();
    long long pid = 0;
    {
        auto c = liftoff::launch(helper_cmd({"ignore-term", "say", "ready", "sleep", "10000"})
                                     .stdout_to(io::capture())
                                     .trace([](const liftoff::trace_event& e) {
                                         if (e.kind == liftoff::trace_kind::signal_sent) throw std::runtime_error("no");
                                     }));
        REQUIRE(test::eventually([&] { return c.out() == "ready"; }));
        pid = c.pid();
    }  // ~child: terminate, whose first trace throws
    CHECK(clock_type::now() - t0 < 1900ms);  // the 2 s grace was not waited out
    CHECK_FALSE(test::alive(pid));
    CHECK(test::zombies() == 0);
}

TEST_CASE("durations meaning forever are forever: wait_for(), timeout() and terminate() with nanoseconds::max()") {
    const auto forever = std::chrono::nanoseconds::max();
    auto c = liftoff::launch(helper_cmd({"sleep", "200", "exit", "6"}));
    const auto s = c.wait_for(forever);  // before the fix: nullopt at once
    REQUIRE(s);
    CHECK(s->code() == 6);
    const auto r = liftoff::run(helper_cmd({"sleep", "200", "exit", "7"}).timeout(forever));
    CHECK_FALSE(r.timed_out);
    CHECK(r.status.code() == 7);
    auto d = liftoff::launch(helper_cmd({"sleep", "10000"}));
    CHECK(d.terminate(forever).signal() == SIGTERM);  // the grace is not cut to nothing
}
#if defined(__linux__)  // Linux-only: reads the state from /proc/<pid>/stat
TEST_CASE("new_process_group(): terminate() of a leader that has already exited still ends the rest of its group") {
    auto c = liftoff::launch(helper_cmd({"grandchild", "30000"}).new_process_group().stdout_to(io::capture()));
    REQUIRE(test::eventually([&] { return !c.out().empty(); }));
    const long long grandchild = std::stoll(c.out());
    REQUIRE(test::eventually([&] {  // the leader is a zombie now
        std::ifstream stat("/proc/" + std::to_string(c.pid()) + "/stat");
        std::string line;
        std::getline(stat, line);
        return line.find(") Z ") != std::string::npos;
    }));
    CHECK(c.terminate(2s).code() == 0);  // the leader's own status
    CHECK(test::eventually([&] { return !test::alive(grandchild); }));
}
#endif  // __linux__
#endif  // !_WIN32

TEST_CASE("a trace callback that throws: callback_failed from launch(cmd, ec), rethrown by run(cmd, ec)") {
    long long pid = 0;
    auto throw_at = [&pid](liftoff::trace_kind kind) {
        return [&pid, kind](const liftoff::trace_event& e) {
            if (e.kind == liftoff::trace_kind::spawned) pid = e.pid;
            if (e.kind == kind) throw std::logic_error("tracer failed");
        };
    };
    std::error_code ec;
    auto c = liftoff::launch(
        helper_cmd({"sleep", "10000"}).on_destroy(on_destroy::kill).trace(throw_at(liftoff::trace_kind::spawned)), ec);
    CHECK_FALSE(c.valid());
    CHECK(ec == liftoff::errc::callback_failed);  // not resource_exhausted: no limit to raise
    CHECK(ec != liftoff::errc::resource_exhausted);
    CHECK(test::contains(ec.message(), "callback"));
    REQUIRE(pid > 0);
    CHECK_FALSE(test::alive(pid));  // the child it had started was ended
    CHECK(test::zombies() == 0);

    auto before = liftoff::launch(helper_cmd({"exit", "0"}).trace(throw_at(liftoff::trace_kind::resolved)), ec);
    CHECK_FALSE(before.valid());
    CHECK(ec == liftoff::errc::callback_failed);

    // run(cmd, ec) is not noexcept: it passes the caller's own exception on, as for io::lines.
    CHECK_THROWS_WITH_AS(liftoff::run(helper_cmd({"exit", "0"}).trace(throw_at(liftoff::trace_kind::spawned)), ec),
                         "tracer failed", std::logic_error);
    CHECK_THROWS_WITH_AS(liftoff::run(helper_cmd({"lines", "10"}).stdout_to(io::lines([](std::string_view) {
                             throw std::logic_error("lines failed");
                         })),
                                      ec),
                         "lines failed", std::logic_error);
    CHECK(test::zombies() == 0);
}

#if !defined(_WIN32)
TEST_CASE("launch() does not wait for a process another thread fork()ed meanwhile (it holds the report pipe)") {
    // A thread that forks without exec, as many programs do: each copy holds, for 5 s, whatever
    // descriptors were open at that moment, liftoff's exec-report pipe among them.
    std::atomic<bool> stop{false};
    std::mutex lock;
    std::vector<pid_t> forked;
    std::thread forker([&] {
        while (!stop.load() && forked.size() < 400) {
            const pid_t p = ::fork();
            if (p == 0) {
                ::sleep(5);
                ::_exit(0);
            }
            std::lock_guard<std::mutex> hold(lock);
            if (p > 0) forked.push_back(p);
        }
    });
    auto slowest = clock_type::duration::zero();
    int launched = 0;
    for (; launched < 40 && slowest < 1s; ++launched) {
        const auto t0 = clock_type::now();
        auto c = liftoff::launch(helper_cmd({"exit", "3"}));
        slowest = std::max(slowest, clock_type::now() - t0);
        CHECK(c.wait().code() == 3);
    }
    // A failed exec is still reported while such a copy holds the pipe.
    std::error_code ec;
    auto missing = liftoff::launch(command{"/nonexistent/liftoff-program"}, ec);
    CHECK(ec == liftoff::errc::program_not_found);
    CHECK_FALSE(missing.valid());
    stop = true;
    forker.join();
    for (const pid_t p : forked) {
        ::kill(p, SIGKILL);
        ::waitpid(p, nullptr, 0);
    }
    MESSAGE(launched << " launches while " << forked.size() << " copies were forked; slowest "
                     << std::chrono::duration_cast<std::chrono::milliseconds>(slowest).count() << " ms");
    CHECK(slowest < 1s);  // each copy sleeps 5 s: a launch that waited for one took that long
}

TEST_CASE("a child reaped by something else in this process: the status says so, not that SIGCHLD is ignored") {
    // What GLib, libuv and many daemons do: their own SIGCHLD handler (or waitpid loop) reaps.
    struct sigaction handler{}, old{};
    handler.sa_handler = [](int) {};
    ::sigaction(SIGCHLD, &handler, &old);
    auto c = liftoff::launch(helper_cmd({"exit", "3"}));
    int raw = 0;
    REQUIRE(::waitpid(static_cast<pid_t>(c.pid()), &raw, 0) == static_cast<pid_t>(c.pid()));  // the other reaper
    const auto s = c.wait();
    ::sigaction(SIGCHLD, &old, nullptr);
    CHECK(s.unknown());
    CHECK(s == liftoff::exit_status::reaped_elsewhere());
    CHECK(s != liftoff::exit_status::lost());
    CHECK_MESSAGE(test::contains(s.to_string(), "something else in this process reaped it"), s.to_string());
    CHECK_FALSE(test::contains(s.to_string(), "ignored"));

    // SA_NOCLDWAIT (with the default action) makes the system reap, as SIG_IGN does.
    struct sigaction nocldwait{};
    nocldwait.sa_handler = SIG_DFL;
    nocldwait.sa_flags = SA_NOCLDWAIT;
    ::sigaction(SIGCHLD, &nocldwait, &old);
    auto d = liftoff::launch(helper_cmd({"sleep", "100", "exit", "3"}));
    const auto t = d.wait();
    ::sigaction(SIGCHLD, &old, nullptr);
    CHECK(t == liftoff::exit_status::lost());
    CHECK_MESSAGE(test::contains(t.to_string(), "SA_NOCLDWAIT"), t.to_string());
    CHECK(test::zombies() == 0);
}
#endif  // !_WIN32

#if !defined(_WIN32)
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define LIFTOFF_TEST_TSAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__) || defined(LIFTOFF_TEST_TSAN)
// The forked copies below start library threads (the reaper); ThreadSanitizer supports that
// without promising reports there, and by default kills such a copy.
extern "C" const char* __tsan_default_options() {
    return "die_after_fork=0";
}
#endif
namespace {
/// Runs `body` in a forked copy of this process (for tests that change process-wide limits or
/// need a process of their own) and returns what it returned; -1 if it crashed or hung.
int in_forked_process(const std::function<int()>& body, std::chrono::seconds limit = std::chrono::seconds(60)) {
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
    const auto end = clock_type::now() + limit;
    while (::waitpid(pid, &status, WNOHANG) == 0) {
        if (clock_type::now() > end) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            return -1;
        }
        std::this_thread::sleep_for(10ms);
    }
    if (WIFSIGNALED(status)) std::fprintf(stderr, "forked test: killed by signal %d\n", WTERMSIG(status));
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// Lowers the soft RLIMIT_NOFILE to `n` descriptors.
void limit_descriptors(rlim_t n) {
    rlimit r{};
    ::getrlimit(RLIMIT_NOFILE, &r);
    r.rlim_cur = n;
    ::setrlimit(RLIMIT_NOFILE, &r);
}
}  // namespace

TEST_CASE("a handle inherited through fork() is inert in the copy: destroying it there aborts nothing, stops nothing") {
    // A group of its own: what the copy must not do includes killing the rest of the group.
    auto c = liftoff::launch(helper_cmd({"sleep", "500", "say", "done"}).stdout_to(io::capture()).new_process_group());
    const int code = in_forked_process([&] {
        {
            liftoff::child gone = std::move(c);  // destroyed here: on_destroy::terminate in the parent
        }
        auto d = liftoff::launch(helper_cmd({"exit", "0"}));  // the copy can still launch its own
        return d.wait().code() == 0 ? 0 : 1;
    });
    CHECK(code == 0);
    CHECK(c.running());  // the copy neither signalled nor reaped it
    CHECK(c.wait().code() == 0);
    CHECK(c.out() == "done");
}

TEST_CASE("waiting for a child someone else has reaped: no spin, the status says it was reaped elsewhere") {
    auto c = liftoff::launch(helper_cmd({"sleep", "50", "exit", "4"}));
    int raw = 0;
    REQUIRE(::waitpid(static_cast<pid_t>(c.pid()), &raw, 0) == static_cast<pid_t>(c.pid()));  // e.g. a SIGCHLD handler
    const auto started = clock_type::now();
    const auto s = c.wait();
    CHECK(clock_type::now() - started < 1s);
    CHECK(s == liftoff::exit_status::reaped_elsewhere());
}

#if defined(__linux__) && !defined(LIFTOFF_FORCE_POSIX_SPAWN)
namespace {
/// CPU time this process has used (every thread), in milliseconds.
long long cpu_ms() {
    rusage u{};
    ::getrusage(RUSAGE_SELF, &u);
    return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1000LL + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1000;
}

/// Starts a process that sleeps `ms` and exits with `code`, with pid `want` if this process is
/// root in its pid namespace (ns_last_pid); the pid it got, or -1.
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

/// In a new pid namespace, as its init: a child reaped behind liftoff's back whose pid is given
/// to a new process at once. 0: passed; 77: the namespace or the pid could not be had.
int pid_reuse_case() {
    int raw = 0;
    // wait(): must not spin while the imposter runs, nor take its status.
    auto c = liftoff::launch(helper_cmd({"sleep", "20"}));
    const pid_t x = static_cast<pid_t>(c.pid());
    if (::waitpid(x, &raw, 0) != x) return 10;
    const pid_t imposter = fork_with_pid(x, 1500, 42);
    if (imposter != x) return 77;
    auto cpu = cpu_ms();
    auto started = clock_type::now();
    const auto s = c.wait();
    if (s != liftoff::exit_status::reaped_elsewhere()) {
        std::fprintf(stderr, "wait() took the status of another process: %s\n", s.to_string().c_str());
        return 12;
    }
    if (clock_type::now() - started > 1s) return 13;
    if (cpu_ms() - cpu > 200) return 14;
    if (::waitpid(imposter, &raw, 0) != imposter || WEXITSTATUS(raw) != 42) return 15;

    // The reaper: the same for a released child.
    auto d = liftoff::launch(helper_cmd({"sleep", "20"}));
    const pid_t y = static_cast<pid_t>(d.pid());
    if (::waitpid(y, &raw, 0) != y) return 16;
    const pid_t imposter2 = fork_with_pid(y, 1500, 43);
    if (imposter2 != y) return 77;
    auto& reaper = liftoff::detail::event_loop::instance();
    cpu = cpu_ms();
    d.release();
    std::this_thread::sleep_for(1s);
    // Woken by the adoption and its first look, then asleep: a handful of rounds, not thousands.
    if (reaper.rounds() > 20 || cpu_ms() - cpu > 200) {
        std::fprintf(stderr, "the reaper spun: %zu rounds, %lld ms of CPU in 1 s\n", reaper.rounds(), cpu_ms() - cpu);
        return 17;
    }
    if (reaper.pending() != 0) return 19;
    if (::waitpid(imposter2, &raw, 0) != imposter2 || WEXITSTATUS(raw) != 43) return 18;

    // A released child beyond the pidfd budget, looked at by pid on the reaper's timer: reaped
    // behind liftoff's back, its pid given to another child. The reaper must not take that one.
    std::vector<liftoff::child> budget;
    for (std::size_t i = 0; i < liftoff::detail::event_loop::released_pidfd_budget; ++i) {
        budget.push_back(liftoff::launch(helper_cmd({"sleep", "60000"})));
        budget.back().release();
    }
    auto e = liftoff::launch(helper_cmd({"sleep", "1500"}));
    const pid_t z = static_cast<pid_t>(e.pid());
    e.release();
    // The timer backs off (20 ms, 40 ms, ... 1 s): this blocking waitpid() wins the exit.
    if (::waitpid(z, &raw, 0) != z) return 77;
    const pid_t imposter3 = fork_with_pid(z, 300, 44);
    if (imposter3 != z) return 77;
    std::this_thread::sleep_for(3s);  // the imposter is a zombie for the timer's next looks
    if (::waitpid(imposter3, &raw, WNOHANG) != imposter3 || WEXITSTATUS(raw) != 44) {
        std::fprintf(stderr, "the reaper took the status of a process not its own\n");
        return 20;
    }
    if (reaper.pending() != liftoff::detail::event_loop::released_pidfd_budget) return 21;

    // A child launched beyond the pidfd budget, reaped behind liftoff's back and its pid given to
    // another child before release(): the loop must go by the start time read at the launch,
    // not by the one it finds under that pid at release() (the imposter's).
    std::vector<liftoff::child> held;
    while (liftoff::detail::posix_process::pidfds_held() < liftoff::detail::posix_process::pidfd_budget)
        held.push_back(liftoff::launch(helper_cmd({"sleep", "60000"})));
    auto f = liftoff::launch(helper_cmd({"sleep", "60000"}));
    const pid_t w = static_cast<pid_t>(f.pid());
    ::kill(w, SIGKILL);
    if (::waitpid(w, &raw, 0) != w) return 22;
    std::this_thread::sleep_for(50ms);  // start times count clock ticks (10 ms)
    const pid_t imposter4 = fork_with_pid(w, 300, 45);
    if (imposter4 != w) return 77;
    f.release();
    std::this_thread::sleep_for(2s);  // the imposter is a zombie for the timer's next looks
    if (::waitpid(imposter4, &raw, WNOHANG) != imposter4 || WEXITSTATUS(raw) != 45) {
        std::fprintf(stderr, "release() of a child beyond the pidfd budget took the status of its pid's new owner\n");
        return 23;
    }
    // A child of ours beyond the pidfd budget that has exited, while no descriptor is to spare:
    // it cannot be checked, so it is not reaped yet, and waiting for it does not spin.
    auto exited = liftoff::launch(helper_cmd({"exit", "7"}));
    {
        test::no_spare_descriptors none(static_cast<pid_t>(exited.pid()));
        const auto before = cpu_ms();
        const auto early = exited.wait_for(300ms);
        // wait() until another thread gives the descriptors back, 300 ms from now.
        std::thread giver([&] {
            std::this_thread::sleep_for(300ms);
            none.give_back();
        });
        const auto status = exited.wait();
        giver.join();
        const auto spent = cpu_ms() - before;
        if (spent > 200) {
            std::fprintf(stderr, "waiting spun with no descriptor to spare: %lld ms of CPU in 0.6 s\n", spent);
            return 24;
        }
        if (early && *early != liftoff::exit_status::from_code(7)) return 25;
        if (status != liftoff::exit_status::from_code(7)) return 26;
    }
    for (auto& h : held)
        h.kill();
    return 0;
}

/// Runs pid_reuse_case() in a new pid namespace; `by_start_time`: known by the start time
/// even where pidfds have pidfs inode numbers (the path of kernels before 6.9).
int pid_reuse_in_namespace(bool by_start_time) {
    return in_forked_process([by_start_time] {
        if (by_start_time) liftoff::detail::pidfs_inodes_here().store(liftoff::detail::pidfs_inodes::no);
        // A mount namespace too, for a /proc of the new pid namespace (the reaper reads it).
        if (::unshare(CLONE_NEWPID | CLONE_NEWNS) != 0) return 77;
        if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) return 77;
        const pid_t init = ::fork();  // pid 1 of the new namespace
        if (init == 0) {
            if (::mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0) ::_exit(77);
            ::_exit(pid_reuse_case());
        }
        int raw = 0;
        if (init < 0 || ::waitpid(init, &raw, 0) != init) return 77;
        return WIFEXITED(raw) ? WEXITSTATUS(raw) : 98;
    });
}
}  // namespace

TEST_CASE("a child reaped behind liftoff's back whose pid is reused: wait() and the reaper go by its pidfd") {
    for (const bool by_start_time : {false, true}) {
        CAPTURE(by_start_time);
        const int code = pid_reuse_in_namespace(by_start_time);
        if (code == 77) {
            MESSAGE("skipped: no pid namespace, or ns_last_pid not writable here (needs root)");
            return;
        }
        CHECK(code == 0);
    }
}
#endif  // __linux__ && !LIFTOFF_FORCE_POSIX_SPAWN

TEST_CASE("the event loop's first start meets EMFILE: release does not pretend, and reaps everything once it can") {
    const int code = in_forked_process([] {
        // A forked copy has a loop of its own, not started yet: a, unpiped, does not start it.
        auto a = liftoff::launch(helper_cmd({"sleep", "100"}));
        const long long a_pid = a.pid();
        limit_descriptors(static_cast<rlim_t>(test::open_fds() + 16));
        std::vector<int> filler;
        for (int fd; (fd = ::dup(0)) >= 0;)
            filler.push_back(fd);
        a.release();  // no descriptor for the loop's poller
        const bool pretended = liftoff::detail::event_loop::instance().running();
        // A piped launch cannot start it either, and says why.
        std::error_code ec;
        auto b = liftoff::launch(helper_cmd({"say", "x"}).stdout_to(io::capture()), ec);
        const bool b_refused = ec == liftoff::errc::resource_exhausted;
        for (int fd : filler)
            ::close(fd);
        limit_descriptors(4096);
        if (pretended) return 20;
        if (!b_refused) return 24;
        // No later release(): the next launch (or wait) sets the loop up.
        if (!liftoff::run(helper_cmd({"exit", "0"})).ok()) return 22;
        if (!test::reaper_idle()) return 21;
        if (test::alive(a_pid)) return 23;
        return 0;
    });
    CHECK(code == 0);
}

TEST_CASE("released children cost no descriptor each: more of them than RLIMIT_NOFILE, and run() still works") {
    const int code = in_forked_process([] {
        const int limit = test::open_fds() + 40;
        limit_descriptors(static_cast<rlim_t>(limit));
        std::vector<long long> pids;
        for (int i = 0; i < limit + 20; ++i) {
            std::error_code ec;
            auto c = liftoff::launch(helper_cmd({"sleep", "3000"}), ec);
            if (ec) {
                std::fprintf(stderr, "launch %d of %d: %s\n", i, limit + 20, ec.message().c_str());
                return 30;
            }
            pids.push_back(c.pid());
            c.release();
        }
        const auto r = liftoff::run(helper_cmd({"say", "still here"}));
        if (!r.ok() || r.out != "still here") return 31;
        const bool all_reaped = test::eventually(
            [&] {
                for (auto p : pids)
                    if (test::alive(p)) return false;
                return test::zombies() == 0 && liftoff::detail::event_loop::instance().pending() == 0;
            },
            20s);
        return all_reaped ? 0 : 32;
    });
    CHECK(code == 0);
}
#endif  // !_WIN32
