// tests/streams.cpp: every io:: kind, capture limits, lines, stdin feeding and pipes, and the
// two hangs liftoff exists to prevent: full pipes and grandchildren holding them.
// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>

#include "support.hpp"

using liftoff::command;
namespace io = liftoff::io;
using test::helper_cmd;

TEST_CASE("io::capture keeps everything up to the limit") {
    const auto r = liftoff::run(helper_cmd({"out", "1000000", "err", "300000"}));
    CHECK(r.out.size() == 1000000);
    CHECK(r.err.size() == 300000);
    CHECK(r.out.substr(0, 3) == "abc");
    CHECK_FALSE(r.out_truncated);
}

TEST_CASE("io::capture past its limit drops the rest, sets truncated, and does not disturb the child") {
    const auto r = liftoff::run(helper_cmd({"out", "5000000", "exit", "7"}).stdout_to(io::capture(1000)));
    CHECK(r.out.size() == 1000);
    CHECK(r.out_truncated);
    CHECK(r.status.code() == 7);  // the child wrote everything and exited normally
}

TEST_CASE("io::lines hands over each line from the drain thread, and the unterminated last one") {
    std::vector<std::string> got;
    const auto r = liftoff::run(
        helper_cmd({"lines", "3", "say", "tail without newline"}).stdout_to(io::lines([&](std::string_view l) {
            got.emplace_back(l);
        })));
    CHECK(r.ok());
    CHECK(r.out.empty());
    CHECK(got == std::vector<std::string>{"line 1", "line 2", "line 3", "tail without newline"});
}

TEST_CASE("io::lines takes \\r\\n as a line end and keeps empty lines") {
    std::vector<std::string> got;
    liftoff::run(
        helper_cmd({"say", "a\r\n\nb\n"}).stdout_to(io::lines([&](std::string_view l) { got.emplace_back(l); })));
    CHECK(got == std::vector<std::string>{"a", "", "b"});
}

TEST_CASE("io::lines hands a line longer than 16 MiB over in 16 MiB pieces, so memory stays bounded") {
    std::vector<std::size_t> lengths;
    const auto r = liftoff::run(
        helper_cmd({"out", std::to_string(40 << 20), "say", "\nend"}).stdout_to(io::lines([&](std::string_view l) {
            lengths.push_back(l.size());
        })));
    CHECK(r.ok());
    const std::size_t piece = std::size_t{16} << 20;
    CHECK(lengths == std::vector<std::size_t>{piece, piece, (std::size_t{40} << 20) - 2 * piece, 3});
}

TEST_CASE("io::lines on both streams at once, with a long line split across reads") {
    std::vector<std::size_t> out_lengths;
    std::vector<std::string> err_lines;
    const auto r = liftoff::run(helper_cmd({"out", "300000", "say", "\n", "lines", "1000", "esay", "e1\ne2\n"})
                                    .stdout_to(io::lines([&](std::string_view l) { out_lengths.push_back(l.size()); }))
                                    .stderr_to(io::lines([&](std::string_view l) { err_lines.emplace_back(l); })));
    CHECK(r.ok());
    REQUIRE(out_lengths.size() == 1001);
    CHECK(out_lengths[0] == 300000);
    CHECK(out_lengths[1] == std::string("line 1").size());
    CHECK(out_lengths[1000] == std::string("line 1000").size());
    CHECK(err_lines == std::vector<std::string>{"e1", "e2"});
}

TEST_CASE("an exception from an io::lines callback is rethrown by wait(), and the child is not hung") {
    auto cmd = helper_cmd({"lines", "100000"}).stdout_to(io::lines([](std::string_view) {
        throw std::runtime_error("stop here");
    }));
    CHECK_THROWS_WITH_AS(liftoff::run(cmd), "stop here", std::runtime_error);
}

#if !defined(_WIN32)  // Windows: a blocked WriteFile still holds close_stdin() (see README)
TEST_CASE("close_stdin() does not wait for a write_stdin() blocked on another thread; that write stops") {
    auto c =
        liftoff::launch(helper_cmd({"sleep", "3000", "count-stdin"}).stdin_from(io::pipe()).stdout_to(io::capture()));
    std::error_code ec;
    std::thread writer([&] { c.write_stdin(std::string(1 << 20, 'x'), ec); });  // fills the pipe, then waits
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const auto t0 = std::chrono::steady_clock::now();
    c.close_stdin();
    const auto took = std::chrono::steady_clock::now() - t0;
    writer.join();
    CHECK(took < std::chrono::seconds(1));  // the child reads nothing for 3 s
    CHECK(ec == std::errc::operation_canceled);
    std::error_code again;
    c.write_stdin("more", again);
    CHECK(again == std::errc::bad_file_descriptor);
    CHECK(c.wait().success());  // it saw the end of its input
    const long long got = std::stoll(c.out());
    CHECK(got > 0);
    CHECK(got < (1 << 20));
}

TEST_CASE("the throwing write_stdin() names close_stdin() when it stopped the write") {
    auto c = liftoff::launch(helper_cmd({"sleep", "3000"}).stdin_from(io::pipe()));
    std::string what;
    std::thread writer([&] {
        try {
            c.write_stdin(std::string(1 << 20, 'x'));
        } catch (const std::system_error& e) {
            what = e.what();
        }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    c.close_stdin();
    writer.join();
    CHECK_MESSAGE(test::contains(what, "close_stdin()"), what);
    CHECK_MESSAGE(test::contains(what, test::helper()), what);
    c.kill();
}
#endif  // !_WIN32

TEST_CASE("io::text is written to stdin by the drain, then stdin is closed") {
    const auto r = liftoff::run(helper_cmd({"cat"}).stdin_from(io::text("hello\nthere")));
    CHECK(r.out == "hello\nthere");
    const auto empty = liftoff::run(helper_cmd({"count-stdin"}).stdin_from(io::text("")));
    CHECK(empty.out == "0\n");
}

TEST_CASE("io::text to a child that never reads stdin does not hang or kill anything") {
    const auto r = liftoff::run(helper_cmd({"say", "ignored input"}).stdin_from(io::text(std::string(8 << 20, 'x'))));
    CHECK(r.ok());
    CHECK(r.out == "ignored input");
}

TEST_CASE("io::pipe: write_stdin then close_stdin") {
    auto c = liftoff::launch(helper_cmd({"count-stdin"}).stdin_from(io::pipe()).stdout_to(io::capture()));
    c.write_stdin("abc");
    c.write_stdin(std::string(1 << 20, 'z'));  // more than a pipe holds: the child reads as we write
    c.close_stdin();
    CHECK(c.wait().success());
    CHECK(c.out() == std::to_string(3 + (1 << 20)) + "\n");
}

TEST_CASE("io::pipe: wait() closes stdin so a child reading to the end can finish") {
    auto c = liftoff::launch(helper_cmd({"cat"}).stdin_from(io::pipe()).stdout_to(io::capture()));
    c.write_stdin("done");
    CHECK(c.wait().success());
    CHECK(c.out() == "done");
}

TEST_CASE("io::pipe: writing to a child that has gone is an error, never a SIGPIPE") {
    auto c = liftoff::launch(helper_cmd({"exit", "0"}).stdin_from(io::pipe()));
    CHECK(test::eventually([&] { return !c.running(); }));
    std::error_code ec;
    c.write_stdin("into the void", ec);  // a SIGPIPE here would kill the test process
    CHECK(ec == std::errc::broken_pipe);
    try {
        c.write_stdin("again");
        FAIL("no exception");
    } catch (const std::system_error& e) {
        CHECK(e.code() == std::errc::broken_pipe);
        CHECK(test::contains(e.what(), "closed its stdin or exited"));
        CHECK(test::contains(e.what(), test::helper()));
    }
}

TEST_CASE("write_stdin without io::pipe() is an error naming the cause") {
    auto c = liftoff::launch(helper_cmd({"exit", "0"}));
    std::error_code ec;
    c.write_stdin("x", ec);
    CHECK(ec == std::errc::bad_file_descriptor);
    CHECK_THROWS_WITH_AS(c.write_stdin("x"), doctest::Contains("stdin is not io::pipe()"), std::system_error);
}

TEST_CASE("io::merge sends stderr where stdout goes") {
    const auto r = liftoff::run(helper_cmd({"say", "1", "esay", "2", "say", "3"}).stderr_to(io::merge()));
    CHECK(r.out == "123");
    CHECK(r.err.empty());
    test::scratch_dir dir;
    liftoff::run(helper_cmd({"say", "a", "esay", "b"}).stdout_to(io::file(dir.file("both"))).stderr_to(io::merge()));
    CHECK(test::read_file(dir.file("both")) == "ab");
}

TEST_CASE("io::null, io::file and io::append") {
    test::scratch_dir dir;
    const auto in = dir.write("in", "from a file");
    const auto out = dir.file("out");
    dir.write("log", "old\n");
    const auto r = liftoff::run(
        helper_cmd({"cat", "esay", "dropped"}).stdin_from(io::file(in)).stdout_to(io::file(out)).stderr_to(io::null()));
    CHECK(r.ok());
    CHECK(r.out.empty());
    CHECK(r.err.empty());
    CHECK(test::read_file(out) == "from a file");
    liftoff::run(helper_cmd({"say", "again"}).stdout_to(io::file(out)));
    CHECK(test::read_file(out) == "again");  // truncated, not appended
    liftoff::run(helper_cmd({"say", "new\n"}).stdout_to(io::append(dir.file("log"))));
    liftoff::run(helper_cmd({"say", "newer\n"}).stdout_to(io::append(std::filesystem::path(dir.file("log")))));
    CHECK(test::read_file(dir.file("log")) == "old\nnew\nnewer\n");
}

TEST_CASE("io::inherit shares the parent's descriptors") {
    test::scratch_dir dir;
    // Run a child that inherits from a child: the outer one's stdout is a file.
    const auto r = liftoff::run(helper_cmd({"say", "outer "}).stdout_to(io::file(dir.file("o"))));
    CHECK(r.ok());
    CHECK(test::read_file(dir.file("o")) == "outer ");
    auto c = liftoff::launch(
        helper_cmd({"exit", "0"}).stdout_to(io::inherit()).stderr_to(io::inherit()).stdin_from(io::inherit()));
    CHECK(c.wait().success());
}

#if defined(_WIN32)
constexpr std::size_t big = std::size_t{16} << 20;  // wine copies pipes slowly; 16 MiB still fills every pipe
#else
constexpr std::size_t big = std::size_t{64} << 20;
#endif  // _WIN32

TEST_CASE("no deadlock: a big stdout and stderr while as much goes in, all at once") {
    const std::size_t size = big;
    const auto r = liftoff::run(
        helper_cmd({"tee-both"}).stdin_from(io::text(std::string(size, 'q'))).timeout(std::chrono::seconds(120)));
    CHECK_FALSE(r.timed_out);
    CHECK(r.ok());
    CHECK(r.out.size() == size);
    CHECK(r.err.size() == size);
    CHECK_FALSE(r.out_truncated);
}

TEST_CASE("a grandchild holding the pipes does not hang wait(): draining stops after the grace") {
    const auto start = std::chrono::steady_clock::now();
    const auto r = liftoff::run(helper_cmd({"say", "before\n", "grandchild", "5000", "say", "after\n"}));
    const auto took = std::chrono::steady_clock::now() - start;
    CHECK(r.ok());
    CHECK(took < std::chrono::seconds(3));
    CHECK(test::contains(r.out, "before\n"));
    CHECK(test::contains(r.out, "after\n"));  // what arrived is kept
    CHECK(r.out_cut);
    CHECK(r.err_cut);
    const auto pid = std::stoll(r.out.substr(r.out.find('\n') + 1));
    test::kill_pid(pid);
}

TEST_CASE("drain_grace() sets how long a held pipe is drained after the exit") {
    const auto start = std::chrono::steady_clock::now();
    const auto r = liftoff::run(helper_cmd({"grandchild", "3000"}).drain_grace(std::chrono::milliseconds(0)));
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
    CHECK(r.out_cut);
    test::kill_pid(std::stoll(r.out));
}

TEST_CASE("out() can be read while the child is still writing") {
    auto c = liftoff::launch(helper_cmd({"say", "first", "sleep", "300", "say", "second"}).stdout_to(io::capture()));
    CHECK(test::eventually([&] { return c.out() == "first"; }));
    c.wait();
    CHECK(c.out() == "firstsecond");
}

TEST_CASE("piped children cost no thread each: one event loop serves them all") {
    // The loop's thread (Windows: the I/O port's) exists once a launched child has been piped.
    liftoff::launch(helper_cmd({"say", "x"}).stdout_to(io::capture())).wait();
    const int before = test::threads();
    auto c = liftoff::launch(helper_cmd({"sleep", "200"}));
    CHECK(test::threads() == before);
    c.wait();
    std::vector<liftoff::child> piped;
    for (int i = 0; i < 20; ++i)
        piped.push_back(liftoff::launch(helper_cmd({"say", std::to_string(i), "sleep", "300"})
                                            .stdout_to(io::capture())
                                            .stderr_to(io::capture())
                                            .stdin_from(io::text("x"))));
    CHECK(test::threads() == before);
    for (int i = 0; i < 20; ++i) {
        piped[static_cast<std::size_t>(i)].wait();
        CHECK(piped[static_cast<std::size_t>(i)].out() == std::to_string(i));
    }
    CHECK(test::threads() == before);
}

TEST_CASE("a callback that blocks holds up its own child only") {
    std::mutex m;
    std::condition_variable cv;
    bool release_slow = false;
    auto slow = liftoff::launch(helper_cmd({"say", "a"}).stdout_to(io::lines([&](std::string_view) {
        std::unique_lock<std::mutex> lock(m);
        cv.wait(lock, [&] { return release_slow; });
    })));
    // While the first callback blocks, other children's streams are read and their callbacks run.
    std::vector<std::string> seen;
    std::mutex seen_lock;
    auto quick = liftoff::launch(
        helper_cmd({"say", "b", "sleep", "100", "say", "c"}).stdout_to(io::lines([&](std::string_view l) {
            std::lock_guard<std::mutex> lock(seen_lock);
            seen.emplace_back(l);
        })));
    const auto captured = liftoff::run(helper_cmd({"say", "d"}));
    CHECK(captured.out == "d");
    quick.wait();
    {
        std::lock_guard<std::mutex> lock(seen_lock);
        CHECK(seen == std::vector<std::string>{"bc"});
    }
    {
        std::lock_guard<std::mutex> lock(m);
        release_slow = true;
    }
    cv.notify_all();
    CHECK(slow.wait().success());
}

TEST_CASE("io::pipe: a write blocked on a full pipe when the child exits is an error, never a SIGPIPE") {
    // The child reads one byte and exits while a large write is blocked: Linux then returns the
    // bytes written so far (not EPIPE) and still raises SIGPIPE, which must not reach us.
    auto c = liftoff::launch(helper_cmd({"read-bytes", "1"}).stdin_from(io::pipe()).stdout_to(io::null()));
    std::error_code ec;
    c.write_stdin(std::string(std::size_t{4} << 20, 'x'), ec);
    CHECK(ec == std::errc::broken_pipe);
    CHECK(c.wait().success());
}

// Review of the event loop (branch review): cases that failed at 9aca3ed.
using namespace std::chrono_literals;

// The POSIX event loop's own cases (bugs a review found in it). Windows' I/O port has its own
// in tests/windows.cpp.
#if !defined(_WIN32)
TEST_CASE("run() feeding io::text to a child that exits without reading it: no SIGPIPE on the caller's thread") {
    // run() serves the streams on the calling thread, where SIGPIPE is neither blocked nor ignored.
    for (int i = 0; i < 5; ++i) {
        const auto r = liftoff::run(helper_cmd({"sleep", "20"}).stdin_from(io::text(std::string(8 << 20, 'x'))));
        CHECK(r.ok());
    }
}

TEST_CASE("a callback that runs another command, then kills its own child: it is still known as its own") {
    // run() inside the callback serves its streams on this thread; its mark must not erase the
    // callback's own, or kill() joins the drain whose callback is this very call.
    std::atomic<liftoff::child*> self{nullptr};
    std::atomic<int> killed{0};
    liftoff::child c = liftoff::launch(
        helper_cmd({"sleep", "100", "say", "FATAL\n", "sleep", "10000"}).stdout_to(io::lines([&](std::string_view l) {
            liftoff::child* me = nullptr;
            while ((me = self.load()) == nullptr)
                std::this_thread::yield();
            if (l == "FATAL") {
                const auto inner =
                    liftoff::run(helper_cmd({"say", "inner"}).stdout_to(io::lines([](std::string_view) {})));
                CHECK(inner.ok());
                me->kill();
                ++killed;
            }
        })));
    self = &c;
    const auto s = c.wait();
    CHECK(killed == 1);
    CHECK(test::killed(s));
}

TEST_CASE("a callback that waits for its own child while the child fills its captured stderr: no deadlock") {
    std::atomic<liftoff::child*> self{nullptr};
    liftoff::child c = liftoff::launch(helper_cmd({"say", "first\n", "err", "1000000", "say", "last\n"})
                                           .stderr_to(io::capture())
                                           .stdout_to(io::lines([&](std::string_view l) {
                                               liftoff::child* me = nullptr;
                                               while ((me = self.load()) == nullptr)
                                                   std::this_thread::yield();
                                               if (l == "first") CHECK(me->wait().success());
                                           })));
    self = &c;
    CHECK(c.wait().success());
    CHECK(c.err().size() == 1000000);
}

TEST_CASE("a callback still running when its child has exited: the loop does not spin meanwhile") {
    // epoll reports EPOLLHUP even for a descriptor whose mask is empty: "disabled" that way, the
    // ended pipe of a child whose callback runs came back at once, for as long as it ran.
    auto c = liftoff::launch(helper_cmd({"say", "x\n"})
                                 .stdout_to(io::lines([](std::string_view) { std::this_thread::sleep_for(1500ms); }))
                                 .drain_grace(50ms));
    std::this_thread::sleep_for(200ms);  // the child has exited; its callback runs
    auto& loop = liftoff::detail::event_loop::instance();
    const auto before = loop.rounds();
    CHECK(c.wait().success());
    CHECK(loop.rounds() - before < 100);
}

TEST_CASE("run() with a timeout, whose child ended its streams before it: no wait for the grace after") {
    const auto t0 = std::chrono::steady_clock::now();
    const auto r = liftoff::run(
        helper_cmd({"say", "a", "close-stdout", "sleep", "5000"}).stderr_to(io::null()).timeout(200ms).drain_grace(3s));
    CHECK(r.timed_out);
    CHECK(r.out == "a");
    CHECK(std::chrono::steady_clock::now() - t0 < 2s);
}

TEST_CASE("a callback that owns another child: letting go of both never stops the event loop") {
    // A pipeline: A's lines go to B's stdin, and A's callback owns B. The last reference to A's
    // drain could be the loop's leading thread's; B then died there, and B's destructor waited
    // for B's streams, which only that thread serves: every child of the process hung.
    for (int i = 0; i < 500; ++i) {
        auto b = std::make_shared<liftoff::child>(
            liftoff::launch(helper_cmd({"cat"}).stdin_from(io::pipe()).stdout_to(io::capture())));
        auto a = liftoff::launch(
            helper_cmd({"lines", "3", "err", "70000"})
                .stderr_to(io::capture())
                .stdout_to(io::lines([b](std::string_view l) { b->write_stdin(std::string(l) + "\n"); })));
        b.reset();  // the callback owns B now
        REQUIRE(a.wait().success());
    }
}
#endif  // !_WIN32
