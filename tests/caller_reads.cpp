// tests/caller_reads.cpp: io::pipe() outputs read on the caller's own thread (child::read_line,
// read_some, eof): request/response, timeouts, long lines in pieces, the end, the errors, and a
// child that fills a pipe nobody reads.
// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "support.hpp"

namespace io = liftoff::io;
using liftoff::stream;
using test::helper_cmd;
using ms = std::chrono::milliseconds;

namespace {
/// Milliseconds `f` took.
template <class F>
long long took_ms(F f) {
    const auto start = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration_cast<ms>(std::chrono::steady_clock::now() - start).count();
}
/// The helper's output pattern ("out N"): bytes `from` .. `from + n`.
std::string pattern(std::size_t from, std::size_t n) {
    std::string s(n, '\0');
    for (std::size_t i = 0; i < n; ++i)
        s[i] = static_cast<char>('a' + (from + i) % 65536 % 26);
    return s;
}
}  // namespace

TEST_CASE("request/response: write a line, read a line, many rounds") {
    auto c = liftoff::launch(helper_cmd({"cat"}).stdin_from(io::pipe()).stdout_to(io::pipe()));
    for (int i = 0; i < 300; ++i) {
        const std::string msg = "request " + std::to_string(i);
        c.write_stdin(msg + "\n");
        const auto got = c.read_line(stream::out, std::chrono::seconds(10));
        REQUIRE(got);
        CHECK(*got == msg);
    }
    CHECK_FALSE(c.eof(stream::out));  // the child is still there, its stdout open
    c.close_stdin();
    CHECK_FALSE(c.read_line(stream::out, std::chrono::seconds(10)));  // it ended: the end
    CHECK(c.eof(stream::out));
    CHECK(c.wait().success());
}

TEST_CASE("a read times out with nothing in about the time given, then gets the line when it comes") {
    auto c = liftoff::launch(helper_cmd({"sleep", "1500", "say", "late\n"}).stdout_to(io::pipe()));
    std::optional<std::string> got = std::string("unset");
    const long long t = took_ms([&] { got = c.read_line(stream::out, ms(300)); });
    CHECK_FALSE(got);
    CHECK(t >= 295);
    CHECK_MESSAGE(t < 1000, t);
    CHECK_FALSE(c.eof(stream::out));  // a timeout is not the end
    std::string some = "unset";
    const long long t2 = took_ms([&] { some = c.read_some(stream::out, ms(100)); });
    CHECK(some.empty());
    CHECK(t2 >= 95);
    CHECK(c.read_some(stream::out, ms(0)).empty());  // zero: only what has arrived
    const auto late = c.read_line(stream::out, std::chrono::seconds(20));
    REQUIRE(late);
    CHECK(*late == "late");
    CHECK(c.wait().success());
}

TEST_CASE("a line longer than 64 KiB comes in pieces of 64 KiB") {
    const std::size_t n = 200000;  // 3 pieces of 65536 and one of 3392
    auto c = liftoff::launch(
        helper_cmd({"out", std::to_string(n), "say", "\nnext\n", "out", "65536", "say", "\n"}).stdout_to(io::pipe()));
    std::size_t at = 0;
    int pieces = 0;
    while (at < n) {
        const auto piece = c.read_line(stream::out, std::chrono::seconds(20));
        REQUIRE(piece);
        CHECK(piece->size() == std::min<std::size_t>(65536, n - at));
        CHECK((*piece == pattern(at, piece->size())));
        at += piece->size();
        ++pieces;
    }
    CHECK(pieces == 4);
    CHECK(c.read_line(stream::out, std::chrono::seconds(20)) == std::optional<std::string>("next"));
    // Exactly 64 KiB: the piece, then the empty rest that its "\n" ends.
    const auto whole = c.read_line(stream::out, std::chrono::seconds(20));
    REQUIRE(whole);
    CHECK(whole->size() == 65536);
    CHECK(c.read_line(stream::out, std::chrono::seconds(20)) == std::optional<std::string>(""));
    CHECK_FALSE(c.read_line(stream::out, std::chrono::seconds(20)));
    CHECK(c.wait().success());
}

TEST_CASE("read_some hands over what has arrived, 64 KiB at most, until the end") {
    auto c = liftoff::launch(helper_cmd({"out", "300000"}).stdout_to(io::pipe()));
    std::string all;
    while (!c.eof(stream::out)) {
        const std::string some = c.read_some(stream::out, std::chrono::seconds(20));
        CHECK(some.size() <= 65536);
        all += some;
    }
    CHECK(all.size() == 300000);
    CHECK((all == pattern(0, 300000)));
    CHECK(c.read_some(stream::out, ms(0)).empty());
    CHECK(c.wait().success());
}

TEST_CASE("a last line without a newline comes at the end; \\r\\n ends a line as \\n does") {
    auto c = liftoff::launch(helper_cmd({"say", "one\r\ntwo\n\nthree\r"}).stdout_to(io::pipe()));
    CHECK(c.read_line(stream::out, std::chrono::seconds(20)) == std::optional<std::string>("one"));
    CHECK(c.read_line(stream::out, std::chrono::seconds(20)) == std::optional<std::string>("two"));
    CHECK(c.read_line(stream::out, std::chrono::seconds(20)) == std::optional<std::string>(""));
    CHECK(c.read_line(stream::out, std::chrono::seconds(20)) == std::optional<std::string>("three\r"));
    CHECK_FALSE(c.read_line(stream::out, std::chrono::seconds(20)));
    CHECK(c.eof(stream::out));
    CHECK(c.wait().success());
}

TEST_CASE("eof() is true only after the child closed the stream and everything was read") {
    auto c = liftoff::launch(helper_cmd({"say", "x\ny"}).stdout_to(io::pipe()));
    CHECK(c.wait().success());        // what it wrote waits in the pipe
    CHECK_FALSE(c.eof(stream::out));  // not read yet
    CHECK_FALSE(c.eof(stream::out));  // looking did not consume it
    CHECK(c.read_line(stream::out) == std::optional<std::string>("x"));
    CHECK_FALSE(c.eof(stream::out));
    CHECK(c.read_some(stream::out) == "y");
    CHECK(c.eof(stream::out));
    CHECK_FALSE(c.read_line(stream::out));
    CHECK(c.read_some(stream::out).empty());
    std::error_code ec;
    CHECK(c.eof(stream::out, ec));
    CHECK_FALSE(ec);
}

TEST_CASE("stderr through io::pipe(), and both streams read on two threads at once") {
    auto c =
        liftoff::launch(helper_cmd({"esay", "e1\ne2\n", "say", "o\n"}).stdout_to(io::capture()).stderr_to(io::pipe()));
    CHECK(c.read_line(stream::err, std::chrono::seconds(20)) == std::optional<std::string>("e1"));
    CHECK(c.read_line(stream::err, std::chrono::seconds(20)) == std::optional<std::string>("e2"));
    CHECK_FALSE(c.read_line(stream::err, std::chrono::seconds(20)));
    CHECK(c.wait().success());
    CHECK(c.out() == "o\n");
    CHECK(c.err().empty());  // not captured: the caller read it

    auto both =
        liftoff::launch(helper_cmd({"tee-both"}).stdin_from(io::pipe()).stdout_to(io::pipe()).stderr_to(io::pipe()));
    std::string from_err;
    std::thread reader([&] {
        while (auto l = both.read_line(stream::err, std::chrono::seconds(20)))
            from_err += *l + ";";
    });
    std::string from_out;
    for (int i = 0; i < 50; ++i) {
        both.write_stdin(std::to_string(i) + "\n");
        const auto l = both.read_line(stream::out, std::chrono::seconds(20));
        CHECK(l);
        if (!l) break;  // (the reader thread is joined below either way)
        from_out += *l + ";";
    }
    both.close_stdin();
    reader.join();
    CHECK(from_out == from_err);
    CHECK(from_out.substr(0, 6) == "0;1;2;");
    CHECK(both.wait().success());
}

TEST_CASE("two threads reading one stream take turns: whole lines, and no wait past a reader's own timeout") {
    auto c = liftoff::launch(helper_cmd({"lines", "3000"}).stdout_to(io::pipe()));
    std::vector<std::string> got[2];
    auto read_all = [&](int who) {
        while (auto l = c.read_line(stream::out, std::chrono::seconds(20)))
            got[who].push_back(*l);
    };
    std::thread other(read_all, 1);
    read_all(0);
    other.join();
    CHECK(got[0].size() + got[1].size() == 3000);
    for (const auto& lines : got)
        for (const auto& l : lines)
            CHECK((l.rfind("line ", 0) == 0 && l.size() <= 9));
    CHECK(c.wait().success());

    // One reader holds the turn for 3 s; another, with 200 ms, gives up after its 200 ms.
    auto quiet = liftoff::launch(helper_cmd({"sleep", "5000"}).stdout_to(io::pipe()));
    std::thread holder([&] { quiet.read_line(stream::out, std::chrono::seconds(3)); });
    std::this_thread::sleep_for(ms(100));
    std::optional<std::string> second = std::string("unset");
    const long long t = took_ms([&] { second = quiet.read_line(stream::out, ms(200)); });
    CHECK_FALSE(second);
    CHECK(t >= 195);
    CHECK_MESSAGE(t < 1500, t);
    holder.join();
    quiet.kill();
}

TEST_CASE("reading a stream that is not io::pipe() is an error naming the remedy") {
    auto c = liftoff::launch(helper_cmd({"say", "x"}).stdout_to(io::capture()).stderr_to(io::null()));
    std::error_code ec;
    CHECK_FALSE(c.read_line(stream::out, ms(10), ec));
    CHECK(ec == std::errc::invalid_argument);
    CHECK(c.read_some(stream::err, ms(10), ec).empty());
    CHECK(ec == std::errc::invalid_argument);
    CHECK_FALSE(c.eof(stream::in, ec));
    CHECK(ec == std::errc::invalid_argument);
    try {
        c.read_line(stream::out, ms(10));
        FAIL("no exception");
    } catch (const std::system_error& e) {
        CHECK(e.code() == std::errc::invalid_argument);
        CHECK_MESSAGE(test::contains(e.what(), "give stdout_to(io::pipe())"), e.what());
        CHECK_MESSAGE(test::contains(e.what(), test::helper()), e.what());
    }
    CHECK_THROWS_WITH_AS(c.read_some(stream::err), doctest::Contains("give stderr_to(io::pipe())"), std::system_error);
    CHECK_THROWS_WITH_AS(c.read_line(stream::in), doctest::Contains("stdin is its input"), std::system_error);
    CHECK_THROWS_WITH_AS(c.eof(stream::out), doctest::Contains("stdout is not io::pipe()"), std::system_error);
    CHECK(c.wait().success());
    CHECK(c.out() == "x");

    liftoff::child none;
    CHECK_FALSE(none.read_line(stream::out, ms(10), ec));
    CHECK(ec == std::errc::bad_file_descriptor);
    CHECK_THROWS_AS(none.eof(stream::out), std::system_error);
}

TEST_CASE("run() refuses an io::pipe() output: nothing could read it") {
    std::error_code ec;
    const auto r = liftoff::run(helper_cmd({"say", "x"}).stdout_to(io::pipe()), ec);
    CHECK(ec == liftoff::errc::invalid_argument);
    CHECK_THROWS_WITH_AS(liftoff::run(helper_cmd({"say", "x"}).stderr_to(io::pipe())),
                         doctest::Contains("use launch() and read it with read_line()"), liftoff::launch_error);
}

TEST_CASE(
    "a child blocked on a full io::pipe() nobody reads is still stopped by terminate(), kill(), a timeout "
    "and the destructor") {
    const auto cmd = helper_cmd({"out", "50000000", "say", "\nnever here\n"}).stdout_to(io::pipe());
    {
        auto c = liftoff::launch(cmd);
        std::this_thread::sleep_for(ms(200));
        CHECK(c.running());  // blocked in a write, the pipe full
        const long long t = took_ms([&] { c.terminate(ms(500)); });
        CHECK_FALSE(c.running());
        CHECK_MESSAGE(t < 5000, t);
        // What it wrote before it died can still be read, then the end.
        CHECK(c.read_some(stream::out, ms(1000)).size() > 0);
    }
    {
        auto c = liftoff::launch(cmd);
        std::this_thread::sleep_for(ms(100));
        CHECK(test::killed(c.kill()));
    }
    {
        auto c = liftoff::launch(liftoff::command(cmd).timeout(ms(300), ms(200)));
        const long long t = took_ms([&] { c.wait(); });  // the library waits for the child only
        CHECK(c.timed_out());
        CHECK_MESSAGE(t < 5000, t);
    }
    const long long t = took_ms([&] {
        auto c = liftoff::launch(liftoff::command(cmd).on_destroy(liftoff::on_destroy::kill));
        std::this_thread::sleep_for(ms(100));
    });
    CHECK_MESSAGE(t < 5000, t);
}

TEST_CASE("release() hands an unread io::pipe() output to the library, which reads and drops it") {
    test::scratch_dir dir;
    const std::string done = dir.file("done");
    auto c = liftoff::launch(helper_cmd({"out", "2000000", "record", done, "finished"}).stdout_to(io::pipe()));
    CHECK(c.read_some(stream::out, std::chrono::seconds(20)).size() > 0);
    c.release();
    CHECK(test::eventually([&] { return test::read_file(done) == "8:finished\n"; }, std::chrono::seconds(20)));
    CHECK(test::reaper_idle());
}

namespace {
/// A pipe that hands out scripted chunks, one per read, then the end or a failure.
struct scripted_pipe {
    std::vector<std::string> chunks;
    bool fail_at_end = false;
    std::size_t next = 0;
    explicit operator bool() const noexcept { return true; }
    liftoff::detail::pipe_read read(char* buf, std::size_t n, std::chrono::steady_clock::time_point, std::size_t& got,
                                    std::error_code& ec) {
        if (next == chunks.size()) {
            if (!fail_at_end) return liftoff::detail::pipe_read::end;
            ec = std::make_error_code(std::errc::io_error);
            return liftoff::detail::pipe_read::failed;
        }
        std::string& c = chunks[next];
        got = std::min(n, c.size());
        std::copy(c.data(), c.data() + got, buf);
        c.erase(0, got);
        if (c.empty()) ++next;
        return liftoff::detail::pipe_read::data;
    }
};
}  // namespace

TEST_CASE("caller_stream: lines across reads, \\r\\n split between two reads, pieces, a failed read") {
    using liftoff::detail::caller_stream;
    const auto no_limit = (std::chrono::steady_clock::time_point::max)();
    std::error_code ec;
    caller_stream<scripted_pipe> s;
    scripted_pipe p;
    p.chunks = {"ab", "c\r", "\nde", "f\n", std::string(70000, 'x') + "\r", "\nlast"};
    s.open(p);
    CHECK(s.read_line(no_limit, ec) == std::optional<std::string>("abc"));  // its "\r\n" over two reads
    CHECK(s.read_line(no_limit, ec) == std::optional<std::string>("def"));
    CHECK(s.read_line(no_limit, ec) == std::optional<std::string>(std::string(65536, 'x')));
    CHECK(s.read_line(no_limit, ec) == std::optional<std::string>(std::string(70000 - 65536, 'x')));
    CHECK(s.read_line(no_limit, ec) == std::optional<std::string>("last"));
    CHECK_FALSE(s.read_line(no_limit, ec));
    CHECK_FALSE(ec);
    CHECK(s.eof(ec));

    caller_stream<scripted_pipe> f;
    scripted_pipe q;
    q.chunks = {"partial"};
    q.fail_at_end = true;
    f.open(q);
    CHECK(f.read_some(no_limit, ec) == "partial");
    CHECK(f.read_some(no_limit, ec).empty());
    CHECK(ec == std::errc::io_error);
    CHECK(f.eof(ec));  // a failed read ends the stream
}
