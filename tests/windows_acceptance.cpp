// tests/windows_acceptance.cpp: an outside acceptance test of liftoff on Windows, written only
// against the public contract (API.md), compiled against the one-file header with every warning
// an error, run under wine in CI. It is its own child program: "--child ACTION..." runs actions.
// No doctest, no test support code: what a user of the single header would write.
// SPDX-License-Identifier: MIT
#include <liftoff/liftoff.hpp>

#include <windows.h>
#include <shellapi.h>  // CommandLineToArgvW

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <type_traits>
#include <vector>

namespace {

int failures = 0;
int checks = 0;

void check(bool ok, const char* what, int line, const std::string& detail = {}) {
    ++checks;
    if (ok) return;
    ++failures;
    std::fprintf(stderr, "windows_acceptance.cpp:%d: FAILED: %s%s%s\n", line, what, detail.empty() ? "" : "\n    ",
                 detail.c_str());
}
#define CHECK(expr) check(static_cast<bool>(expr), #expr, __LINE__)
#define CHECK_MSG(expr, msg) check(static_cast<bool>(expr), #expr, __LINE__, (msg))

bool contains(const std::string& hay, const std::string& needle) {
    return hay.find(needle) != std::string::npos;
}

// ---- UTF-8 and UTF-16, the test's own -----------------------------------------------------

std::wstring widen(const std::string& s) {
    if (s.empty()) return {};
    const int n = ::MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), nullptr, 0);
    std::wstring w(static_cast<std::size_t>(n), L'\0');
    ::MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), &w[0], n);
    return w;
}
std::string narrow(const std::wstring& w) {
    if (w.empty()) return {};
    const int n = ::WideCharToMultiByte(CP_UTF8, 0, w.data(), static_cast<int>(w.size()), nullptr, 0, nullptr, nullptr);
    std::string s(static_cast<std::size_t>(n), '\0');
    ::WideCharToMultiByte(CP_UTF8, 0, w.data(), static_cast<int>(w.size()), &s[0], n, nullptr, nullptr);
    return s;
}

std::string self() {
    std::wstring buf(32768, L'\0');
    buf.resize(::GetModuleFileNameW(nullptr, &buf[0], static_cast<DWORD>(buf.size())));
    return narrow(buf);
}

liftoff::command child(std::vector<std::string> actions) {
    liftoff::command c{self(), {"--child"}};
    c.args(actions);
    return c;
}

std::string read_all(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool eventually(const std::function<bool()>& cond, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
        if (cond()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return cond();
}

// ---- the child ----------------------------------------------------------------------------

void out(HANDLE h, const std::string& s) {
    DWORD done = 0;
    std::size_t at = 0;
    while (at < s.size()) {
        if (!::WriteFile(h, s.data() + at, static_cast<DWORD>(std::min<std::size_t>(s.size() - at, 1 << 20)), &done,
                         nullptr))
            std::exit(70);
        at += done;
    }
}

int run_child(const std::vector<std::string>& a) {
    HANDLE so = ::GetStdHandle(STD_OUTPUT_HANDLE);
    HANDLE se = ::GetStdHandle(STD_ERROR_HANDLE);
    for (std::size_t i = 0; i < a.size(); ++i) {
        const std::string& act = a[i];
        auto next = [&] { return i + 1 < a.size() ? a[++i] : std::string(); };
        if (act == "say") {
            out(so, next());
        } else if (act == "esay") {
            out(se, next());
        } else if (act == "exit") {
            return std::atoi(next().c_str());
        } else if (act == "args") {  // each remaining argument on its own line, length first
            for (++i; i < a.size(); ++i)
                out(so, std::to_string(a[i].size()) + ":" + a[i] + "\n");
        } else if (act == "args-to") {  // the same into a file
            const std::string file = next();
            std::string text;
            for (++i; i < a.size(); ++i)
                text += std::to_string(a[i].size()) + ":" + a[i] + "\n";
            std::ofstream(std::filesystem::path(widen(file + ".tmp")), std::ios::binary) << text;
            ::MoveFileExW(widen(file + ".tmp").c_str(), widen(file).c_str(), MOVEFILE_REPLACE_EXISTING);
        } else if (act == "cat") {
            char buf[65536];
            DWORD got = 0;
            while (::ReadFile(::GetStdHandle(STD_INPUT_HANDLE), buf, sizeof buf, &got, nullptr) && got > 0)
                out(so, std::string(buf, got));
        } else if (act == "sleep") {
            std::this_thread::sleep_for(std::chrono::milliseconds(std::atol(next().c_str())));
        } else if (act == "env") {
            const std::wstring name = widen(next());
            std::wstring v(32768, L'\0');
            ::SetLastError(0);
            const DWORD n = ::GetEnvironmentVariableW(name.c_str(), &v[0], static_cast<DWORD>(v.size()));
            v.resize(n);
            out(so, n == 0 && ::GetLastError() == ERROR_ENVVAR_NOT_FOUND ? std::string("<unset>") : narrow(v));
        } else if (act == "cwd") {
            std::wstring d(32768, L'\0');
            d.resize(::GetCurrentDirectoryW(static_cast<DWORD>(d.size()), &d[0]));
            out(so, narrow(d));
        } else if (act == "flood") {  // N bytes to stdout and to stderr, interleaved
            const std::string block(65536, 'x');
            for (long long n = std::atoll(next().c_str()); n > 0; n -= static_cast<long long>(block.size())) {
                const auto part =
                    static_cast<std::size_t>(std::min<long long>(n, static_cast<long long>(block.size())));
                out(so, block.substr(0, part));
                out(se, block.substr(0, part));
            }
        } else if (act == "spawn") {  // a grandchild "sleep MS" sharing our streams, released; its pid to FILE
            const std::string file = next();
            const std::string ms = next();
            const bool tied = next() == "tied";
            liftoff::command g = child({"sleep", ms});
            g.on_destroy(liftoff::on_destroy::release);
            if (tied) g.kill_on_parent_exit();
            liftoff::child gc = liftoff::launch(g);
            std::ofstream(std::filesystem::path(widen(file))) << gc.pid();
            gc.release();
        } else if (act == "lines") {
            for (int k = 1, n = std::atoi(next().c_str()); k <= n; ++k)
                out(so, "line " + std::to_string(k) + "\r\n");
        } else {
            out(se, "unknown action " + act);
            return 99;
        }
    }
    return 0;
}

/// A scratch directory under %TEMP%, removed at the end.
struct scratch {
    std::filesystem::path dir;
    scratch() {
        dir = std::filesystem::temp_directory_path() /
              (L"liftoff-acceptance-\u00e9-" + std::to_wstring(::GetCurrentProcessId()));
        std::filesystem::create_directories(dir);
    }
    ~scratch() {
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
    std::string file(const std::string& name) const { return (dir / widen(name)).u8string(); }
};

// ---- the contract ---------------------------------------------------------------------------

std::error_code& ec_sink() {
    static thread_local std::error_code ec;
    return ec;
}

void commands_and_run() {
    // run(): captured, exit code, ok().
    liftoff::result r = liftoff::run(child({"say", "hello", "esay", "oops", "exit", "3"}));
    CHECK(r.out == "hello");
    CHECK(r.err == "oops");
    CHECK(r.status.exited());
    CHECK(r.status.code() == 3);
    CHECK(!r.status.success());
    CHECK(!r.ok());
    CHECK(!r.timed_out);
    CHECK(!r.out_truncated && !r.err_truncated);
    CHECK(r.elapsed.count() > 0);
    CHECK_MSG(r.status.to_string() == "exited with code 3", r.status.to_string());
    CHECK(!r.status.signaled());

    // Arguments come back exactly: spaces, quotes, backslashes, empty, non-ASCII, shell characters.
    const std::vector<std::string> tricky = {"",       "a b",     "\"q\"",  "back\\", "\\\\server\\share\\",
                                             "x\\\"y", "&|<>^%!", "%PATH%", "\t",     "caf\xc3\xa9 \xe2\x9c\x93"};
    r = liftoff::run(child({"args"}).args(tricky));
    std::string expected;
    for (const auto& t : tricky)
        expected += std::to_string(t.size()) + ":" + t + "\n";
    CHECK_MSG(r.out == expected, r.out);

    // stdin text, merge, env, cwd.
    r = liftoff::run(child({"cat"}).stdin_from(liftoff::io::text("fed through stdin")));
    CHECK(r.out == "fed through stdin");
    r = liftoff::run(child({"say", "1", "esay", "2"}).stderr_to(liftoff::io::merge()));
    CHECK(r.out == "12");
    CHECK(r.err.empty());
    r = liftoff::run(child({"env", "LIFTOFF_ACCEPTANCE"}).env("LIFTOFF_ACCEPTANCE", "v\xc3\xa4lue"));
    CHECK(r.out == "v\xc3\xa4lue");
    r = liftoff::run(
        child({"env", "LIFTOFF_ACCEPTANCE"}).env("LIFTOFF_ACCEPTANCE", "x").env_remove("LIFTOFF_ACCEPTANCE"));
    CHECK(r.out == "<unset>");
    scratch s;
    r = liftoff::run(child({"cwd"}).cwd(s.dir.u8string()));
    CHECK_MSG(r.out == s.dir.u8string(), r.out + " vs " + s.dir.u8string());

    // Files: file, append, null.
    const std::string f = s.file("out.txt");
    liftoff::run(child({"say", "one"}).stdout_to(liftoff::io::file(f)));
    liftoff::run(child({"say", "two"}).stdout_to(liftoff::io::append(f)));
    CHECK(read_all(std::filesystem::u8path(f)) == "onetwo");
    r = liftoff::run(child({"cat"}).stdin_from(liftoff::io::file(f)).stderr_to(liftoff::io::null()));
    CHECK(r.out == "onetwo");

    // No deadlock with both streams full, and the capture limit.
    r = liftoff::run(child({"flood", std::to_string(4 << 20)}));
    CHECK(r.out.size() == (4u << 20));
    CHECK(r.err.size() == (4u << 20));
    r = liftoff::run(child({"flood", "300000"}).stdout_to(liftoff::io::capture(1000)));
    CHECK(r.out.size() == 1000);
    CHECK(r.out_truncated);
    CHECK(r.status.success());

    // Lines as they come.
    std::vector<std::string> lines;
    liftoff::run(
        child({"lines", "3"}).stdout_to(liftoff::io::lines([&](std::string_view l) { lines.emplace_back(l); })));
    CHECK_MSG((lines == std::vector<std::string>{"line 1", "line 2", "line 3"}),
              lines.empty() ? std::string("none") : lines.front());

    // The error_code overload.
    std::error_code ec;
    r = liftoff::run(child({"exit", "0"}), ec);
    CHECK(!ec);
    CHECK(r.ok());
}

void children() {
    // launch, pipe, wait.
    liftoff::child c =
        liftoff::launch(child({"cat"}).stdin_from(liftoff::io::pipe()).stdout_to(liftoff::io::capture()));
    CHECK(c.valid());
    CHECK(c.pid() != 0);
    c.write_stdin("piped");
    c.close_stdin();
    liftoff::exit_status st = c.wait();
    CHECK(st.success());
    CHECK(c.out() == "piped");
    CHECK(!c.running());

    // wait_for, terminate, kill.
    c = liftoff::launch(child({"sleep", "20000"}));
    CHECK(c.running());
    const auto t0 = std::chrono::steady_clock::now();
    std::optional<liftoff::exit_status> none = c.wait_for(std::chrono::milliseconds(200));
    CHECK(!none);
    CHECK(std::chrono::steady_clock::now() - t0 >= std::chrono::milliseconds(200));
    st = c.terminate(std::chrono::seconds(1));
    CHECK(!st.success());
    CHECK(!c.running());
    c = liftoff::launch(child({"sleep", "20000"}).new_process_group());
    st = c.kill();
    CHECK(!st.success());

    // timeout.
    liftoff::result r = liftoff::run(child({"say", "before", "sleep", "20000"})
                                         .timeout(std::chrono::milliseconds(300), std::chrono::milliseconds(100)));
    CHECK(r.timed_out);
    CHECK(!r.ok());
    CHECK(r.out == "before");

    // release: the handle is invalid, the child runs on.
    c = liftoff::launch(child({"sleep", "300"}).kill_on_parent_exit());
    c.release();
    CHECK(!c.valid());

    // on_destroy::wait waits; a moved-from child is invalid.
    scratch s;
    const std::string marker = s.file("marker");
    {
        liftoff::child w =
            liftoff::launch(child({"sleep", "200", "args-to", marker, "done"}).on_destroy(liftoff::on_destroy::wait));
        liftoff::child moved = std::move(w);
        CHECK(!w.valid());  // NOLINT(bugprone-use-after-move): the contract says so
        CHECK(moved.valid());
    }
    CHECK(std::filesystem::exists(std::filesystem::u8path(marker)));

    // Tracing: resolved (program -> path), spawned (pid), exited (status, elapsed), in order.
    // API.md names the events but not trace_event's members; these are the header's.
    std::vector<liftoff::trace_event> events;
    liftoff::run(child({"exit", "5"}).trace([&](const liftoff::trace_event& e) { events.push_back(e); }));
    CHECK(events.size() == 3);
    if (events.size() == 3) {
        CHECK(events[0].kind == liftoff::trace_kind::resolved);
        CHECK(events[0].path == self());
        CHECK(events[1].kind == liftoff::trace_kind::spawned);
        CHECK(events[1].pid != 0);
        CHECK(events[2].kind == liftoff::trace_kind::exited);
        CHECK(events[2].status.code() == 5);
    }
    events.clear();
    liftoff::run(
        liftoff::command{"C:\\liftoff\\absent.exe"}.trace([&](const liftoff::trace_event& e) { events.push_back(e); }),
        ec_sink());
    CHECK(!events.empty() && events.back().kind == liftoff::trace_kind::spawn_failed);

    // A one-argument timeout, and the default launch policy terminates on destruction.
    liftoff::result r1 = liftoff::run(child({"sleep", "20000"}).timeout(std::chrono::milliseconds(200)));
    CHECK(r1.timed_out);
    (void)r1.status.signal();  // POSIX only in meaning, but there

    // Threads launching at once each get their own streams.
    std::atomic<int> good{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&good, t] {
            for (int i = 0; i < 5; ++i) {
                const std::string tag = std::to_string(t) + "." + std::to_string(i);
                try {
                    if (liftoff::run(child({"cat"}).stdin_from(liftoff::io::text(tag))).out == tag) ++good;
                } catch (const std::exception& e) {
                    std::fprintf(stderr, "thread %d: %s\n", t, e.what());
                }
            }
        });
    for (auto& th : threads)
        th.join();
    CHECK(good == 20);
}

bool alive(unsigned long pid) {
    HANDLE h = ::OpenProcess(SYNCHRONIZE, FALSE, static_cast<DWORD>(pid));
    if (h == nullptr) return false;
    const bool running = ::WaitForSingleObject(h, 0) == WAIT_TIMEOUT;
    ::CloseHandle(h);
    return running;
}

unsigned long pid_in(const std::string& file) {
    unsigned long pid = 0;
    eventually([&] {
        std::ifstream(std::filesystem::u8path(file)) >> pid;
        return pid != 0;
    });
    return pid;
}

void trees() {
    scratch s;
    // A grandchild holding the pipe cannot hold wait() hostage.
    const auto t0 = std::chrono::steady_clock::now();
    liftoff::result r = liftoff::run(child({"spawn", s.file("g1"), "10000", "loose", "say", "parent done"}));
    CHECK(r.out == "parent done");
    CHECK_MSG(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(8), "run() waited for the grandchild");
    const unsigned long g1 = pid_in(s.file("g1"));
    CHECK(alive(g1));
    if (HANDLE h = ::OpenProcess(PROCESS_TERMINATE, FALSE, static_cast<DWORD>(g1))) {
        ::TerminateProcess(h, 1);
        ::CloseHandle(h);
    }

    // new_process_group(): kill() reaches the tree.
    liftoff::child c =
        liftoff::launch(child({"spawn", s.file("g2"), "30000", "loose", "sleep", "30000"}).new_process_group());
    const unsigned long g2 = pid_in(s.file("g2"));
    CHECK(alive(g2));
    c.kill();
    CHECK(eventually([&] { return !alive(g2); }));

    // kill_on_parent_exit(): the grandchild dies with its parent.
    c = liftoff::launch(child({"spawn", s.file("g3"), "30000", "tied", "sleep", "30000"}));
    const unsigned long g3 = pid_in(s.file("g3"));
    CHECK(alive(g3));
    c.kill();
    CHECK(eventually([&] { return !alive(g3); }));
}

void errors() {
    static_assert(std::is_error_code_enum<liftoff::errc>::value, "errc is an error code enum");
    using E = liftoff::errc;
    static_assert(static_cast<int>(E::not_executable) == 2 && static_cast<int>(E::bad_working_directory) == 3 &&
                      static_cast<int>(E::invalid_argument) == 4 && static_cast<int>(E::exec_format_error) == 5 &&
                      static_cast<int>(E::resource_exhausted) == 6 && static_cast<int>(E::timed_out) == 7 &&
                      static_cast<int>(E::unsafe_url) == 8 && static_cast<int>(E::target_not_found) == 9 &&
                      static_cast<int>(E::no_graphical_session) == 10 && static_cast<int>(E::no_opener) == 11 &&
                      static_cast<int>(E::no_handler) == 12 && static_cast<int>(E::application_not_found) == 13 &&
                      static_cast<int>(E::opener_failed) == 14 && static_cast<int>(E::refused_executable) == 15 &&
                      static_cast<int>(E::encoding_error) == 16 && static_cast<int>(E::unsupported) == 17,
                  "errc values as API.md lists them");
    static_assert(std::is_base_of<std::system_error, liftoff::launch_error>::value, "launch_error is a system_error");
    CHECK(static_cast<int>(liftoff::errc::program_not_found) == 1);
    CHECK(liftoff::make_error_code(liftoff::errc::unsupported).category() == liftoff::category());
    std::error_code ec = liftoff::errc::no_handler;
    CHECK(ec == liftoff::errc::no_handler);

    // Not found: the message names the program, the PATH searched and a remedy.
    try {
        const liftoff::child c =
            liftoff::launch(liftoff::command{"liftoff-acceptance-missing"}.env("PATH", "C:\\windows\\system32"));
        CHECK(!c.valid());
        CHECK(!"no launch_error");
    } catch (const liftoff::launch_error& e) {
        CHECK(e.code() == liftoff::errc::program_not_found);
        CHECK_MSG(contains(e.what(), "liftoff: cannot launch 'liftoff-acceptance-missing'"), e.what());
        CHECK_MSG(contains(e.what(), "C:\\windows\\system32"), e.what());
        CHECK(e.program() == "liftoff-acceptance-missing");
    }
    liftoff::child c = liftoff::launch(liftoff::command{"liftoff-acceptance-missing"}, ec);
    CHECK(ec == liftoff::errc::program_not_found);
    CHECK(!c.valid());

    // The current directory is never searched.
    scratch s;
    std::filesystem::copy_file(std::filesystem::u8path(self()), s.dir / L"acceptance-copy.exe");
    const auto here = std::filesystem::current_path();
    std::filesystem::current_path(s.dir);
    c = liftoff::launch(liftoff::command{"acceptance-copy"}.env("PATH", "C:\\windows\\system32"), ec);
    std::filesystem::current_path(here);
    CHECK(ec == liftoff::errc::program_not_found);

    // A bad working directory is named as such.
    liftoff::run(child({}).cwd(s.file("absent")), ec);
    CHECK(ec == liftoff::errc::bad_working_directory);

    // Invalid UTF-8 is an encoding_error naming the item; nothing runs.
    try {
        liftoff::run(child({"say", "bad \xff"}));
        CHECK(!"no launch_error");
    } catch (const liftoff::launch_error& e) {
        CHECK(e.code() == liftoff::errc::encoding_error);
        CHECK_MSG(contains(e.what(), "UTF-8"), e.what());
    }

    // .bat scripts take hostile arguments without running them.
    const std::string script = s.file("echo.cmd");
    std::ofstream(std::filesystem::u8path(script)) << "@echo off\r\n\"" << self() << "\" --child args %*\r\n";
    const std::string injected = s.file("INJECTED");
    liftoff::result r = liftoff::run(liftoff::command{script, {"a&echo x>\"" + injected + "\"", "b|c"}}, ec);
    CHECK(!ec);
    CHECK(!std::filesystem::exists(std::filesystem::u8path(injected)));
    r = liftoff::run(liftoff::command{script, {"line\nbreak"}}, ec);
    CHECK(ec == liftoff::errc::invalid_argument);

    // find_program: PATH and PATHEXT.
    const auto cmd = liftoff::find_program("cmd");
    CHECK(cmd.has_value());
    CHECK(!liftoff::find_program("liftoff-acceptance-missing"));
    const auto copy = liftoff::find_program("acceptance-copy", s.dir.u8string());
    CHECK(copy.has_value());
}

void openers() {
    scratch s;
    // Plans run nothing and name the API call.
    liftoff::open_plan how = liftoff::plan_open_url("https://example.com/?q=a&b=c");
    CHECK(!how.launch);
    CHECK_MSG(contains(how.description, "ShellExecuteExW(open, "), how.description);
    CHECK_MSG(contains(how.description, "https://example.com/?q=a&b=c"), how.description);
    std::error_code ec;
    how = liftoff::plan_open_url("https://example.com/a b", {}, ec);
    CHECK(ec == liftoff::errc::unsafe_url);

    // URLs are checked before anything runs.
    try {
        liftoff::open_url("https://example.com/\"&calc");
        CHECK(!"no launch_error");
    } catch (const liftoff::launch_error& e) {
        CHECK(e.code() == liftoff::errc::unsafe_url);
        CHECK_MSG(contains(e.what(), "%22"), e.what());
    }
    liftoff::open_url("file:///C:/windows/system32/calc.exe", {}, ec);
    CHECK(ec == liftoff::errc::unsafe_url);
    liftoff::open_url("-https://example.com/", {}, ec);
    CHECK(ec == liftoff::errc::unsafe_url);

    // Paths: missing, programs refused, no association.
    liftoff::open_path(s.file("absent.txt"), {}, ec);
    CHECK(ec == liftoff::errc::target_not_found);
    liftoff::child c = liftoff::open_path(std::filesystem::u8path(self()), {}, ec);
    CHECK(ec == liftoff::errc::refused_executable);
    const std::string orphan = s.file("data.liftoff-acceptance-none");
    std::ofstream(std::filesystem::u8path(orphan)) << "x";
    try {
        liftoff::open_path(orphan);
        CHECK(!"no launch_error");
    } catch (const liftoff::launch_error& e) {
        CHECK_MSG(e.code() == liftoff::errc::no_handler, e.what());
        CHECK_MSG(contains(e.what(), "data.liftoff-acceptance-none"), e.what());
    }
    how = liftoff::plan_open_path(orphan);
    CHECK(!how.launch);
    CHECK(contains(how.description, "ShellExecuteExW"));
    how = liftoff::plan_reveal(orphan);
    CHECK_MSG(contains(how.description, "explorer"), how.description);

    // open_with a program: app_args, then the targets, each one argument.
    const std::string rec = s.file("with.txt");
    liftoff::open_options opts;
    opts.app_args = {"--child", "args-to", rec, "two words"};
    c = liftoff::open_with(self(), {orphan, "https://example.com/?a=1&b=2"}, opts);
    if (c.valid()) c.wait();
    CHECK(eventually([&] { return std::filesystem::exists(std::filesystem::u8path(rec)); }));
    const std::string got = read_all(std::filesystem::u8path(rec));
    CHECK_MSG(
        got == "9:two words\n" + std::to_string(orphan.size()) + ":" + orphan + "\n28:https://example.com/?a=1&b=2\n",
        got);
    liftoff::open_with("liftoff-acceptance-no-such-app", {"https://example.com/"}, {}, ec);
    CHECK(ec == liftoff::errc::application_not_found);

    // wait: until the application exits.
    opts.app_args = {"--child", "sleep", "300"};
    opts.wait = true;
    auto t1 = std::chrono::steady_clock::now();
    c = liftoff::open_with(self(), {}, opts);
    CHECK(std::chrono::steady_clock::now() - t1 >= std::chrono::milliseconds(300));
    opts.wait = false;

    // The child of an opener is released when dropped: never blocks, never kills.
    opts.app_args = {"--child", "sleep", "200"};
    opts.confirm = std::chrono::milliseconds(0);
    const auto t0 = std::chrono::steady_clock::now();
    {
        liftoff::child dropped = liftoff::open_with(self(), {}, opts);
    }
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(200));
}

void diagnosis() {
    liftoff::report d = liftoff::diagnose();
    CHECK(!d.to_text().empty());
    CHECK(contains(d.to_json(), "{"));
    for (const auto& f : d.findings)
        CHECK(f.severity == liftoff::severity::info || f.severity == liftoff::severity::warning ||
              f.severity == liftoff::severity::error);
    liftoff::report p = liftoff::preflight(liftoff::command{"liftoff-acceptance-missing"});
    // Each finding: its severity, what was found, and the remedy (API.md names only `severity`;
    // `what` and `remedy` are the header's names).
    bool error = false;
    for (const auto& f : p.findings) {
        CHECK(!f.what.empty());
        if (f.severity == liftoff::severity::error) {
            error = true;
            CHECK_MSG(!f.remedy.empty(), f.what);
        }
    }
    CHECK(error);
    p = liftoff::preflight(child({}));
    for (const auto& f : p.findings)
        CHECK_MSG(f.severity != liftoff::severity::error, p.to_text());
}

void encoding() {
    CHECK(liftoff::from_system_encoding("ASCII stays") == "ASCII stays");
    if (::GetACP() == 1252) CHECK(liftoff::from_system_encoding("caf\xe9") == "caf\xc3\xa9");
}

}  // namespace

int main() {
    int argc = 0;
    wchar_t** wargv = ::CommandLineToArgvW(::GetCommandLineW(), &argc);
    std::vector<std::string> args;
    for (int i = 0; i < argc; ++i)
        args.push_back(narrow(wargv[i]));
    ::LocalFree(wargv);
    if (args.size() > 1 && args[1] == "--child")
        return run_child(std::vector<std::string>(args.begin() + 2, args.end()));

    commands_and_run();
    children();
    trees();
    errors();
    openers();
    diagnosis();
    encoding();
    std::printf("windows_acceptance: %d checks, %d failed\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
