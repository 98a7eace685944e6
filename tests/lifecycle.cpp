// tests/lifecycle.cpp: waiting, stopping, releasing and destroying children; timeouts, process
// groups, kill_on_parent_exit, and the signal state a child starts with.
// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include <atomic>
#include <fstream>
#include <stdexcept>
#include <thread>

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
    if (!liftoff::native_platform::supports_kill_on_parent_exit) {
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
    long long pid = 0;
    const auto t0 = clock_type::now();
    CHECK_THROWS_AS(liftoff::launch(helper_cmd({"ignore-term", "sleep", "10000"})
                                        .on_destroy(on_destroy::kill)
                                        .trace([&](const liftoff::trace_event& e) {
                                            if (e.kind != liftoff::trace_kind::spawned) return;
                                            pid = e.pid;
                                            throw std::runtime_error("tracer failed");
                                        })),
                    std::runtime_error);
    CHECK(clock_type::now() - t0 < 3s);
    REQUIRE(pid > 0);
    CHECK_FALSE(test::alive(pid));
    CHECK(test::zombies() == 0);
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
