// tests/windows.cpp: what only Windows does, run under wine in CI: quoting through real children
// (CommandLineToArgvW and the C runtime), .bat/.cmd scripts through cmd.exe and their injection
// vectors, Unicode paths, environment blocks, PATHEXT, inherited handles, job objects, CTRL_BREAK,
// WM_CLOSE, and the Windows failure modes with their messages.
// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include <atomic>

#include "support.hpp"

using liftoff::command;
using liftoff::errc;
namespace io = liftoff::io;
using test::helper_cmd;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;
using strings = std::vector<std::string>;
using P = liftoff::detail::native_platform;

namespace {

/// Launches `cmd`, expects a launch_error with `code` whose message has every one of `parts`,
/// and checks that the error_code overload agrees.
void expect_failure(const command& cmd, errc code, const strings& parts) {
    std::error_code ec;
    auto c = liftoff::launch(cmd, ec);
    CHECK(ec == code);
    CHECK_FALSE(c.valid());
    try {
        liftoff::run(cmd);
        FAIL("no launch_error for " << cmd.program());
    } catch (const liftoff::launch_error& e) {
        CHECK(e.code() == code);
        const std::string msg = e.what();
        CHECK_MESSAGE(test::contains(msg, "liftoff: cannot launch '" + liftoff::detail::printable(cmd.program()) + "'"),
                      msg);
        for (const auto& p : parts)
            CHECK_MESSAGE(test::contains(msg, p), msg);
    }
}

/// A batch script in `dir` that hands its arguments (%*) to the helper's `args`, so a test sees
/// what a program called from a script gets; `name` may be in any case, with trailing dots.
std::string write_args_script(const test::scratch_dir& dir, const std::string& name) {
    return dir.write(name, "@echo off\r\n\"" + test::helper() + "\" args %*\r\n");
}

const strings batch_vectors = {"plain",
                               "two words",
                               "a&echo INJECTED>" /* a file named INJECTED would appear */,
                               "|echo INJECTED",
                               "<nul",
                               ">out",
                               "(x)",
                               "^",
                               "%PATH%",
                               "%%PATH%%",
                               "!PATH!",
                               "a,b;c=d",
                               "100%",
                               "trailing\\",
                               "",
                               "\xc3\xbcnic\xc3\xb8"
                               "de"};

/// The vectors a script can be tested with here. cmd.exe's first pass leaves '%' alone on both
/// (windows_rules checks the command line against a model of it), and Windows's %1 and %* hand
/// the text over as it is; wine's cmd (8.0) expands %VAR% again inside what %1 and %* put in,
/// which Windows never does, so under wine the '%' vectors are left out.
strings testable(const strings& vectors) {
    if (!test::under_wine()) return vectors;
    strings out;
    for (const auto& v : vectors)
        if (v.find('%') == std::string::npos) out.push_back(v);
    MESSAGE("wine: " << vectors.size() - out.size() << " vectors with '%' left out (wine's cmd re-expands %1)");
    return out;
}

}  // namespace

TEST_CASE("exit codes: small, large and NTSTATUS values come back as the child gave them") {
    CHECK(liftoff::run(helper_cmd({"exit", "0"})).status.code() == 0);
    CHECK(liftoff::run(helper_cmd({"exit", "255"})).status.code() == 255);
    CHECK(liftoff::run(helper_cmd({"exit", "70000"})).status.code() == 70000);
    // 0xC0000005 (an access violation) is negative as an int.
    CHECK(liftoff::run(helper_cmd({"exit", "-1073741819"})).status.code() == -1073741819);
}

TEST_CASE("quoting through a real child: CommandLineToArgvW and the C runtime read back every argument") {
    const strings corpus = {"",
                            " ",
                            "a b",
                            "\t",
                            "\"",
                            "\"\"",
                            "a\"b",
                            "\\",
                            "\\\\",
                            "a\\",
                            "a b\\",
                            "a b\\\\",
                            "\\\"",
                            "\\\\\"",
                            "a\\\\\"b c",
                            "C:\\Program Files\\",
                            "\\\\server\\share\\",
                            "&|<>^()%!'`$;,=",
                            "%PATH%",
                            "line\nbreak",
                            "-rf",
                            "\xc3\xbcnic\xc3\xb8"
                            "d\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x9a\x80"};
    const auto r = liftoff::run(helper_cmd({"args"}).args(corpus));
    REQUIRE(r.ok());
    CHECK(test::parse_args(r.out) == corpus);
    const auto crt = liftoff::run(helper_cmd({"crtargs"}).args(corpus));
    REQUIRE(crt.ok());
    CHECK(test::parse_args(crt.out) == corpus);
}

TEST_CASE("quoting through a real child: a generated corpus") {
    const strings alphabet = {"a", " ", "\t", "\"", "\\", "\\\\", "\xc3\xa9", "%"};
    std::mt19937 rng(7);
    for (int round = 0; round < 40; ++round) {
        strings args(rng() % 6 + 1);
        for (auto& a : args) {
            const int len = static_cast<int>(rng() % 7);
            for (int k = 0; k < len; ++k)
                a += alphabet[rng() % alphabet.size()];
        }
        const auto r = liftoff::run(helper_cmd({"args"}).args(args));
        REQUIRE(r.ok());
        CHECK(test::parse_args(r.out) == args);
    }
}

TEST_CASE("argv[0] is the program as given, and the resolved path is what runs") {
    test::scratch_dir dir;
    const std::string tool = dir.copy_helper("tool");
    std::vector<liftoff::trace_event> events;
    const auto r =
        liftoff::run(command{"tool", {"argv0"}}.env("PATH", dir.path()).trace([&](const liftoff::trace_event& e) {
            events.push_back(e);
        }));
    CHECK(r.out == "tool\n");
    REQUIRE_FALSE(events.empty());
    CHECK(events[0].path == tool);
}

TEST_CASE(".bat scripts run through cmd.exe and get their arguments, none of them injected") {
    test::scratch_dir dir;
    write_args_script(dir, "run.bat");
    const auto here = std::filesystem::current_path();
    std::filesystem::current_path(test::fs_path(dir.path()));  // where a redirection would land
    const strings vectors = testable(batch_vectors);
    const auto r = liftoff::run(command{dir.file("run.bat"), vectors});
    std::filesystem::current_path(here);
    INFO(r.out << r.err);
    REQUIRE(r.ok());
    CHECK_FALSE(std::filesystem::exists(test::fs_path(dir.file("INJECTED"))));
    CHECK_FALSE(std::filesystem::exists(test::fs_path(dir.file("out"))));
    const strings got = test::parse_args(r.out);
    // What a program reads from %* is the argument itself (backslashes at the end doubled inside
    // quotes are read back as one).
    CHECK(got == vectors);
}

TEST_CASE(".bat passing %*: the C runtime reads back exactly; CommandLineToArgvW only arguments without a quote") {
    // cmd hands its program what liftoff wrote, a '"' doubled inside quotes. The C runtime since
    // 2008 (UCRT, msvcr90+; wine's msvcrt.dll) reads "" there as one '"', still quoted;
    // CommandLineToArgvW reads it as a '"' that also ends the quoted part.
    test::scratch_dir dir;
    const auto cltaw = dir.write("cltaw.bat", "@echo off\r\n\"" + test::helper() + "\" args %*\r\n");
    const auto crt = dir.write("crt.bat", "@echo off\r\n\"" + test::helper() + "\" crtargs %*\r\n");
    const strings plain = testable(batch_vectors);
    const strings quoted = {"key=\"foo bar\"", "\"", "a\"b", "\"\"", "x \" y", "\\\"", "\"lead", "trail\"\\"};
    strings all = plain;
    all.insert(all.end(), quoted.begin(), quoted.end());
    auto through = [](const std::string& script, const strings& args) {
        const auto r = liftoff::run(command{script, args});
        INFO(r.out << r.err);
        REQUIRE(r.ok());
        return test::parse_args(r.out);
    };
#if !defined(_UCRT)
    if (!test::under_wine())
        MESSAGE("msvcrt.dll on Windows splits with the pre-2008 rule: the C runtime is checked under wine and UCRT");
    else
#endif  // !_UCRT
        CHECK(through(crt, all) == all);
    CHECK(through(cltaw, plain) == plain);
    // With a '"', CommandLineToArgvW gets other arguments, and one argument can become several.
    CHECK(through(cltaw, {"key=\"foo bar\""}) == strings{"key=\"foo", "bar\""});
    CHECK(through(cltaw, {"x\" --admin \""}) == strings{"x\"", "--admin", "\""});
}

TEST_CASE(".bat/.cmd in any case, with trailing dots and spaces, found by PATHEXT or given by path") {
    test::scratch_dir dir;
    write_args_script(dir, "UP.BAT");
    write_args_script(dir, "Mixed.Cmd");
    const strings hostile = testable({"x&echo INJECTED>INJECTED", "%PATH%", "a|b"});
    for (const std::string& prog : strings{dir.file("UP.BAT"), dir.file("up.bat."), dir.file("UP.BAT. ."),
                                           dir.file("mixed.cmd"), dir.file("Mixed.Cmd.")}) {
        CAPTURE(prog);
        const auto r = liftoff::run(command{prog, hostile}.cwd(dir.path()));
        CHECK(r.ok());
        CHECK(test::parse_args(r.out) == hostile);
    }
    const auto r = liftoff::run(command{"mixed", hostile}.env("PATH", dir.path()).cwd(dir.path()));
    CHECK(r.ok());
    CHECK(test::parse_args(r.out) == hostile);
    CHECK_FALSE(std::filesystem::exists(test::fs_path(dir.file("INJECTED"))));
}

TEST_CASE(".bat: %~1 and %~dp0 work (command extensions are on)") {
    test::scratch_dir dir;
    dir.write("show.bat", "@echo off\r\necho [\"%~1\"]\r\necho [%~dp0]\r\n");
    const auto r = liftoff::run(command{dir.file("show.bat"), {"this & that"}});
    REQUIRE(r.ok());
    CHECK(test::contains(r.out, "[\"this & that\"]"));
    CHECK(test::contains(r.out, "[" + dir.path() + "\\]"));
}

TEST_CASE(".bat: an argument cmd.exe cannot take safely is refused, naming it, and nothing runs") {
    test::scratch_dir dir;
    dir.write("mark.bat", "@echo off\r\necho ran> \"%~dp0ran\"\r\n");
    expect_failure(command{dir.file("mark.bat"), {"ok", "two\nlines"}}, errc::invalid_argument,
                   {"argument 2 ('two\\x0alines')", "line break", "batch script", "nothing was run"});
    expect_failure(command{dir.file("MARK.BAT. "), {"bell\x07"}}, errc::invalid_argument, {"control character"});
    CHECK_FALSE(std::filesystem::exists(test::fs_path(dir.file("ran"))));
    CHECK(liftoff::run(command{dir.file("mark.bat"), {"fine"}}).ok());
    CHECK(std::filesystem::exists(test::fs_path(dir.file("ran"))));
}

TEST_CASE("non-ASCII program path, working directory, arguments, environment and output") {
    test::scratch_dir dir("\xc3\xbcn\xc3\xaf\xe2\x9c\x93-");
    REQUIRE_FALSE(dir.path().empty());
    const std::string prog = dir.copy_helper("pr\xc3\xb8gr\xc3\xa4m");
    const std::string text = "\xc3\xa9t\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x9a\x80";
    const auto r =
        liftoff::run(command{prog, {"cwd", "env", "LIFTOFF_\xc3\x9c", "say", text, "esay", text, "args", text}}
                         .cwd(dir.path())
                         .env("LIFTOFF_\xc3\x9c", text));
    REQUIRE(r.ok());
    CHECK(r.out == dir.path() + "\n" + text + "\n" + text + std::to_string(text.size()) + ":" + text + "\n");
    CHECK(r.err == text);
    // Found through PATH too, and by find_program.
    CHECK(liftoff::run(command{"pr\xc3\xb8gr\xc3\xa4m", {"say", "x"}}.env("PATH", dir.path())).out == "x");
    const auto found = liftoff::find_program("pr\xc3\xb8gr\xc3\xa4m", dir.path());
    REQUIRE(found);
    CHECK(test::utf8(*found) == prog);
}

TEST_CASE("invalid UTF-8 anywhere is encoding_error naming the item, and nothing runs") {
    const std::string bad = "bad \xff\xfe";
    expect_failure(helper_cmd({"say", bad}), errc::encoding_error,
                   {"argument 2", "not valid UTF-8", "from_system_encoding"});
    expect_failure(command{bad}, errc::encoding_error, {"the program name is not valid UTF-8"});
    expect_failure(helper_cmd({}).cwd("C:\\" + bad), errc::encoding_error, {"the working directory"});
    expect_failure(helper_cmd({}).env("N", bad), errc::encoding_error, {"value of environment variable 'N'"});
    expect_failure(helper_cmd({}).env(bad, "v"), errc::encoding_error, {"environment variable name"});
    expect_failure(helper_cmd({}).stdout_to(io::file("C:\\" + bad)), errc::encoding_error, {"the stdout file"});
    expect_failure(helper_cmd({"say", "\xed\xa0\x80"}), errc::encoding_error, {"argument 2"});  // a surrogate
    CHECK_FALSE(liftoff::find_program(bad));
}

TEST_CASE("program_not_found: a bare name lists the PATH searched; a path that does not exist") {
    expect_failure(
        command{"liftoff-missing"}.env("PATH", "C:\\windows\\system32;C:\\nowhere"), errc::program_not_found,
        {"not found in PATH (searched C:\\windows\\system32;C:\\nowhere)", "give a full path or install it"});
    expect_failure(command{"liftoff-missing"}.env("PATH", "C:\\windows;;bin"), errc::program_not_found,
                   {"'' (empty)", "'bin' (relative)", "never searched"});
    expect_failure(command{"C:\\nowhere\\tool.exe"}, errc::program_not_found,
                   {"'C:\\nowhere\\tool.exe' does not exist", "check the path"});
}

TEST_CASE("the current directory and the launcher's directory are never searched") {
    test::scratch_dir dir;
    dir.copy_helper("in-cwd");
    const auto here = std::filesystem::current_path();
    std::filesystem::current_path(test::fs_path(dir.path()));
    std::error_code ec;
    const auto in_cwd = liftoff::launch(command{"in-cwd"}.env("PATH", "C:\\windows\\system32"), ec);
    CHECK_FALSE(in_cwd.valid());
    std::filesystem::current_path(here);
    CHECK(ec == errc::program_not_found);

    // CreateProcessW would look next to this test's own .exe first; liftoff does not.
    wchar_t self[MAX_PATH];
    const DWORD n = ::GetModuleFileNameW(nullptr, self, MAX_PATH);
    const auto beside = std::filesystem::path(std::wstring(self, n)).parent_path() / L"liftoff-beside-me.exe";
    std::filesystem::copy_file(test::fs_path(test::helper()), beside,
                               std::filesystem::copy_options::overwrite_existing);
    const auto beside_me = liftoff::launch(command{"liftoff-beside-me"}.env("PATH", "C:\\windows\\system32"), ec);
    CHECK_FALSE(beside_me.valid());
    std::filesystem::remove(beside);
    CHECK(ec == errc::program_not_found);
}

TEST_CASE("PATH and PATHEXT are the child's: set with any case, merged without regard to case") {
    test::scratch_dir dir;
    std::filesystem::copy_file(test::fs_path(test::helper()), test::fs_path(dir.file("odd.xyz")));
    auto r = liftoff::run(command{"odd", {"say", "by PATHEXT"}}.env("Path", dir.path()).env("pathext", ".COM;.XYZ"));
    CHECK(r.out == "by PATHEXT");
    test::set_env("LIFTOFF_CASE", "parent");
    r = liftoff::run(helper_cmd({"env", "LIFTOFF_CASE", "envcount"}).env("liftoff_case", "child"));
    const auto all = liftoff::run(helper_cmd({"envcount"}));
    CHECK(test::contains(r.out, "child\n"));
    CHECK(r.out.substr(r.out.find('\n') + 1) == all.out);  // one entry, not two
    r = liftoff::run(helper_cmd({"envcount", "env", "ONLY"}).env_clear().env("ONLY", "1"));
    const int extra = test::cleared_env_count();
    if (test::under_wine())
        MESSAGE("wine adds " << extra << " variables of its own to a cleared environment; Windows adds none");
    else
        CHECK(extra == 0);
    CHECK(r.out == std::to_string(extra + 1) + "\n1\n");
}

TEST_CASE("only the intended handles are inherited, whatever else is inheritable here") {
    SECURITY_ATTRIBUTES inherit{sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE};
    HANDLE event = ::CreateEventW(&inherit, TRUE, FALSE, nullptr);
    REQUIRE(event != nullptr);
    const std::string value = std::to_string(reinterpret_cast<std::uintptr_t>(event));
    const auto r = liftoff::run(helper_cmd({"has-handle", value}));
    // The same check with a plain CreateProcessW(bInheritHandles = TRUE) shows the handle does
    // reach a child when nothing limits it, so the check above can fail.
    std::wstring line =
        L"\"" + test::fs_path(test::helper()).wstring() + L"\" has-handle " + std::wstring(value.begin(), value.end());
    STARTUPINFOW si{};
    si.cb = sizeof si;
    PROCESS_INFORMATION pi{};
    SECURITY_ATTRIBUTES sa{sizeof sa, nullptr, TRUE};
    HANDLE read_end = nullptr, write_end = nullptr;
    REQUIRE(::CreatePipe(&read_end, &write_end, &sa, 0));
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdOutput = write_end;
    REQUIRE(::CreateProcessW(nullptr, &line[0], nullptr, nullptr, TRUE, 0, nullptr, nullptr, &si, &pi));
    ::CloseHandle(write_end);
    char buf[16] = {};
    DWORD got = 0;
    ::ReadFile(read_end, buf, sizeof buf - 1, &got, nullptr);
    ::WaitForSingleObject(pi.hProcess, INFINITE);
    ::CloseHandle(pi.hProcess);
    ::CloseHandle(pi.hThread);
    ::CloseHandle(read_end);
    ::CloseHandle(event);
    CHECK(std::string(buf) == "yes\n");
    CHECK(r.out == "no\n");
}

TEST_CASE("launches racing on several threads: each child gets its own arguments and streams") {
    std::atomic<int> good{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 6; ++t) {
        threads.emplace_back([t, &good] {
            for (int i = 0; i < 10; ++i) {
                const std::string tag = std::to_string(t) + "/" + std::to_string(i);
                try {  // counted as not good, never thrown out of the thread (std::terminate)
                    auto c = liftoff::launch(helper_cmd({"cat", "esay", tag})
                                                 .stdin_from(io::pipe())
                                                 .stdout_to(io::capture())
                                                 .stderr_to(io::capture()));
                    c.write_stdin(tag);
                    c.close_stdin();  // EOF only if no other child inherited this pipe's other end
                    if (c.wait_for(20s) && c.out() == tag && c.err() == tag) ++good;
                } catch (const std::exception& e) {
                    std::fprintf(stderr, "thread %d: %s\n", t, e.what());
                }
            }
        });
    }
    for (auto& th : threads)
        th.join();
    CHECK(good == 60);
}

TEST_CASE("wait_for() waits on the process handle for its duration") {
    auto c = liftoff::launch(helper_cmd({"sleep", "600"}));
    const auto t0 = clock_type::now();
    CHECK_FALSE(c.wait_for(200ms));
    CHECK(clock_type::now() - t0 >= 200ms);
    REQUIRE(c.wait_for(10s));
}

TEST_CASE("kill() and a timeout end the child with TerminateProcess; the trace says so") {
    std::vector<liftoff::trace_event> events;
    auto c = liftoff::launch(
        helper_cmd({"sleep", "10000"}).trace([&](const liftoff::trace_event& e) { events.push_back(e); }));
    CHECK(test::killed(c.kill()));
    REQUIRE(events.size() == 4);
    CHECK(events[2].kind == liftoff::trace_kind::signal_sent);
    CHECK(events[2].signal == P::process::kill_signal);

    const auto t0 = clock_type::now();
    const auto r = liftoff::run(helper_cmd({"say", "partial", "sleep", "10000"}).timeout(300ms));
    CHECK(r.timed_out);
    CHECK(test::killed(r.status));
    CHECK(r.out == "partial");
    // A console child outside a new process group has no polite stop: no waiting out the grace.
    CHECK(clock_type::now() - t0 < 1500ms);
}

TEST_CASE("terminate() of a new_process_group() child: CTRL_BREAK first, then the kill after the grace") {
    if (test::under_wine() || ::GetConsoleWindow() == nullptr) {
        // wine 8 delivers no CTRL_BREAK (GenerateConsoleCtrlEvent fails, with or without a
        // console), and a process without a console cannot send one on Windows either. With
        // nothing delivered, terminate() kills at once instead of waiting out the grace.
        MESSAGE("no CTRL_BREAK here (wine, or no console): checking the kill without the grace");
        auto c = liftoff::launch(helper_cmd({"sleep", "10000"}).new_process_group());
        const auto t0 = clock_type::now();
        CHECK(test::killed(c.terminate(5s)));
        CHECK(clock_type::now() - t0 < 2s);
        return;
    }
    auto c = liftoff::launch(helper_cmd({"sleep", "10000"}).new_process_group());
    std::this_thread::sleep_for(200ms);  // let it start its CRT
    const auto s = c.terminate(5s);
    // The default CTRL_BREAK handler ends the process with STATUS_CONTROL_C_EXIT.
    CHECK(s.code() == static_cast<int>(0xC000013Au));

    auto stubborn = liftoff::launch(
        helper_cmd({"ignore-term", "say", "ready", "sleep", "10000"}).new_process_group().stdout_to(io::capture()));
    REQUIRE(test::eventually([&] { return stubborn.out() == "ready"; }));
    const auto t0 = clock_type::now();
    CHECK(test::killed(stubborn.terminate(300ms)));
    CHECK(clock_type::now() - t0 >= 300ms);
}

TEST_CASE("terminate() closes a child's windows with WM_CLOSE") {
    auto c = liftoff::launch(helper_cmd({"window"}).stdout_to(io::capture()));
    if (!test::eventually([&] { return c.out() == "ready"; }, 5s)) {
        MESSAGE("skipped: this session cannot show windows (" << c.wait().to_string() << ")");
        return;
    }
    const auto s = c.terminate(5s);
    CHECK(s == liftoff::exit_status::from_code(0));  // it closed itself: WM_CLOSE arrived
}

TEST_CASE("new_process_group(): kill() ends the whole tree through the job object") {
    auto c = liftoff::launch(
        helper_cmd({"grandchild", "30000", "sleep", "30000"}).new_process_group().stdout_to(io::capture()));
    REQUIRE(test::eventually([&] { return !c.out().empty(); }));
    const long long grandchild = std::stoll(c.out());
    CHECK(test::alive(grandchild));
    c.kill();
    CHECK(test::eventually([&] { return !test::alive(grandchild); }));
}

TEST_CASE("kill_on_parent_exit(): the job kills the child when its last handle closes") {
    test::scratch_dir dir;
    const auto pidfile = dir.file("pid");
    auto middle = liftoff::launch(helper_cmd({"launch-kope", pidfile, "30000", "sleep", "30000"}));
    REQUIRE(test::eventually([&] { return test::read_file(pidfile).size() > 1; }));
    const long long grandchild = std::stoll(test::read_file(pidfile));
    std::this_thread::sleep_for(200ms);
    CHECK(test::alive(grandchild));  // released: the job handle stays open while `middle` lives
    middle.kill();
    CHECK(test::eventually([&] { return !test::alive(grandchild); }));
}

TEST_CASE("the handle counter sees the handles this process opens and closes") {
    // wine 8's GetProcessHandleCount always says 0, so a count taken with it compares 0 with 0.
    const int before = test::open_fds();
    CHECK(before > 0);
    std::vector<HANDLE> events;
    for (int i = 0; i < 5; ++i)
        events.push_back(::CreateEventW(nullptr, TRUE, FALSE, nullptr));
    CHECK(test::open_fds() == before + 5);
    for (HANDLE h : events)
        ::CloseHandle(h);
    CHECK(test::open_fds() == before);
}

TEST_CASE("release() closes the handles and the child runs on") {
    auto c = liftoff::launch(helper_cmd({"sleep", "3000"}).kill_on_parent_exit());
    const auto pid = c.pid();
    const int handles = test::open_fds();
    c.release();
    CHECK_FALSE(c.valid());
    CHECK(test::alive(pid));
    CHECK(test::open_fds() <= handles);
    CHECK(test::eventually([&] { return !test::alive(pid); }, 10s));
}

TEST_CASE("released kill_on_parent_exit() children: each job closes once nothing runs in it") {
    // The first such launch sets up the process-wide port and thread that watch the jobs.
    liftoff::run(helper_cmd({"exit", "0"}).kill_on_parent_exit());
    const int baseline = test::open_fds();
    constexpr int n = 6;
    std::vector<long long> pids;
    for (int i = 0; i < n; ++i) {
        auto c = liftoff::launch(helper_cmd({"sleep", i % 2 ? "300" : "0"}).kill_on_parent_exit());
        pids.push_back(c.pid());
        c.release();
    }
    CHECK(test::eventually([&] { return std::none_of(pids.begin(), pids.end(), test::alive); }, 10s));
    // A service that keeps doing this must not keep a job handle per child.
    CHECK(test::eventually([&] { return test::open_fds() == baseline; }, 10s));
    CHECK(test::open_fds() == baseline);
    CHECK(liftoff::detail::windows_io_port::instance().pending() == 0);
}

TEST_CASE("64 piped children at once: no thread each, and every capture and io::text whole") {
    // One captured child first: the process-wide completion port and its thread exist from here.
    REQUIRE(liftoff::run(helper_cmd({"say", "warm"})).out == "warm");
    const int before = test::threads(), handles_before = test::open_fds();
    constexpr int n = 64;
    constexpr long long bulk = 100000;  // more than a pipe holds: reads (and writes) must go on
    const std::string text(150000, 't');
    std::vector<liftoff::child> kids;
    const auto t0 = clock_type::now();
    for (int i = 0; i < n; ++i) {
        const std::string tag = "child" + std::to_string(i) + ";";
        // Each writes at once, then sleeps while the others start; every other one is fed stdin.
        auto cmd = i % 2 ? helper_cmd({"say", tag, "esay", tag, "out", std::to_string(bulk), "sleep", "4000"})
                         : helper_cmd({"say", tag, "esay", tag, "sleep", "4000", "cat"}).stdin_from(io::text(text));
        kids.push_back(liftoff::launch(cmd.stdout_to(io::capture()).stderr_to(io::capture())));
    }
    int peak = test::threads();
    for (int k = 0; k < 10; ++k) {
        std::this_thread::sleep_for(50ms);
        peak = std::max(peak, test::threads());
    }
    const int handles = test::open_fds();
    int running = 0;
    for (auto& c : kids)
        running += c.running() ? 1 : 0;
    MESSAGE("threads: " << before << " before, " << peak << " with " << running << " of " << n
                        << " children running; handles: " << handles_before << " before, " << handles << " then");
    CHECK(running > n / 2);  // otherwise the count below proves little: the children ended too soon
    CHECK(peak <= before + 2);
    int whole = 0;
    for (int i = 0; i < n; ++i) {
        auto& c = kids[static_cast<std::size_t>(i)];
        REQUIRE(c.wait_for(60s));
        const std::string tag = "child" + std::to_string(i) + ";";
        const std::string out = c.out();
        const bool ok = c.err() == tag && !c.out_cut() && !c.err_cut() && out.compare(0, tag.size(), tag) == 0 &&
                        (i % 2 ? out.size() == tag.size() + bulk : out.substr(tag.size()) == text);
        if (ok) ++whole;
    }
    MESSAGE("launched, drained and waited for in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - t0).count() << " ms");
    CHECK(whole == n);
}

/// Waits until `flag` is set (at most 30 s, so a broken test ends): a callback that blocks.
static void block_until(const std::atomic<bool>& flag) {
    const auto until = clock_type::now() + 30s;
    while (!flag && clock_type::now() < until)
        std::this_thread::sleep_for(5ms);
}

TEST_CASE("io::lines on the I/O port: a callback that blocks holds up no other child; one child's never overlap") {
    // A child whose stdout and stderr interleave, each line a callback that sometimes sleeps.
    std::string text;
    for (int i = 0; i < 400; ++i)
        text += "line " + std::to_string(i) + "\n";
    std::atomic<int> inside{0}, overlaps{0}, count{0};
    auto check = [&](std::string_view) {
        if (++inside > 1) ++overlaps;
        if (count++ % 40 == 0) std::this_thread::sleep_for(2ms);
        --inside;
    };
    auto timed_run = [&] {
        count = 0;
        const auto t0 = clock_type::now();
        const auto r = liftoff::run(helper_cmd({"tee-both"})
                                        .stdin_from(io::text(text))
                                        .stdout_to(io::lines(check))
                                        .stderr_to(io::lines(check)));
        CHECK(r.ok());
        CHECK(count == 800);
        return std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - t0);
    };
    const auto alone = timed_run();

    std::atomic<bool> go{false};
    std::atomic<int> entered{0};
    auto blocked =
        liftoff::launch(helper_cmd({"say", "block\n", "lines", "20"}).stdout_to(io::lines([&](std::string_view l) {
            if (l == "block") {
                ++entered;
                block_until(go);
            }
        })));
    REQUIRE(test::eventually([&] { return entered == 1; }));
    const auto beside_blocked = timed_run();
    MESSAGE("a child with 800 io::lines callbacks: " << alone.count() << " ms alone, " << beside_blocked.count()
                                                     << " ms while another child's callback blocks");
    CHECK(beside_blocked < 15s);
    CHECK(overlaps == 0);
    CHECK(entered == 1);  // still blocked all along
    go = true;
    CHECK(blocked.wait().success());
    CHECK(liftoff::detail::windows_io_port::instance().threads() <= liftoff::detail::windows_io_port::max_threads);
}

TEST_CASE("the drain grace runs out on time while another child's io::lines callback blocks") {
    std::atomic<bool> go{false};
    std::atomic<int> entered{0};
    auto blocked = liftoff::launch(helper_cmd({"say", "block\n"}).stdout_to(io::lines([&](std::string_view) {
        ++entered;
        block_until(go);
    })));
    REQUIRE(test::eventually([&] { return entered == 1; }));
    // The grandchild keeps both pipes open: only the port's timer ends the draining.
    const auto t0 = clock_type::now();
    const auto r = liftoff::run(helper_cmd({"say", "before\n", "grandchild", "8000"}));
    CHECK(clock_type::now() - t0 < 3s);
    CHECK(r.out_cut);
    CHECK(r.err_cut);
    CHECK(test::contains(r.out, "before\n"));
    go = true;
    CHECK(blocked.wait().success());
    test::kill_pid(std::stoll(r.out.substr(r.out.find('\n') + 1)));
}

TEST_CASE("at most four port threads, however many callbacks block: the other children wait their turn") {
    constexpr int n = 6;
    constexpr int cap = static_cast<int>(liftoff::detail::windows_io_port::max_threads);
    std::atomic<bool> go{false};
    std::atomic<int> entered{0};
    std::vector<liftoff::child> kids;
    for (int i = 0; i < n; ++i)
        kids.push_back(liftoff::launch(helper_cmd({"say", "x\n"}).stdout_to(io::lines([&](std::string_view) {
            ++entered;
            block_until(go);
        }))));
    REQUIRE(test::eventually([&] { return entered == cap; }));
    std::this_thread::sleep_for(300ms);
    CHECK(entered == cap);  // every thread is in a callback; the rest wait for one to return
    CHECK(liftoff::detail::windows_io_port::instance().threads() == liftoff::detail::windows_io_port::max_threads);
    go = true;
    for (auto& c : kids)
        CHECK(c.wait().success());
    CHECK(entered == n);
}

TEST_CASE("an io::lines callback may kill and wait for its own child") {
    std::atomic<liftoff::child*> self{nullptr};
    std::atomic<int> done{0};
    liftoff::child c =
        liftoff::launch(helper_cmd({"say", "FATAL\n", "sleep", "10000"}).stdout_to(io::lines([&](std::string_view l) {
            liftoff::child* me = nullptr;
            while ((me = self.load()) == nullptr)
                std::this_thread::yield();
            if (l != "FATAL") return;
            me->kill();
            if (test::killed(me->wait())) ++done;
        })));
    self = &c;
    const auto t0 = clock_type::now();
    CHECK(test::killed(c.wait()));
    CHECK(clock_type::now() - t0 < 5s);
    CHECK(done == 1);
}

TEST_CASE("failures: a directory, a file that is not a program, a bad working directory, a bad redirect") {
    test::scratch_dir dir;
    expect_failure(command{dir.path()}, errc::not_executable, {"is a directory"});
    const auto text = dir.write("notes.exe", "just some text\r\n");
    expect_failure(command{text}, errc::exec_format_error, {"is not a program Windows can run"});
    expect_failure(helper_cmd({}).cwd(dir.file("absent")), errc::bad_working_directory,
                   {"working directory '" + dir.file("absent") + "' does not exist", "pass an existing directory"});
    expect_failure(helper_cmd({}).cwd(text), errc::bad_working_directory, {"is not a directory"});
    expect_failure(command{"C:\\nowhere\\tool.exe"}.cwd(dir.file("absent")), errc::bad_working_directory,
                   {"does not exist"});
    expect_failure(helper_cmd({}).stdin_from(io::file(dir.file("absent"))), errc::redirect_failed,
                   {"cannot open '" + dir.file("absent") + "' for its stdin", "exists and is readable"});
    expect_failure(helper_cmd({}).stdout_to(io::file(dir.file("no\\such\\dir\\out"))), errc::redirect_failed,
                   {"for its stdout", "directory exists"});
    expect_failure(helper_cmd({std::string(40000, 'x')}), errc::invalid_argument, {"32,767"});
}

namespace {
/// A directory under `dir` whose path is longer than MAX_PATH (made through "\\?\", which
/// takes long paths on Windows too).
std::string long_directory(const test::scratch_dir& dir) {
    std::string p = dir.path();
    while (p.size() < 320) {
        p += "\\" + std::string(40, 'd');
        std::wstring w;
        liftoff::detail::utf8_to_utf16("\\\\?\\" + p, w);
        REQUIRE(::CreateDirectoryW(w.c_str(), nullptr));
    }
    return p;
}
}  // namespace

TEST_CASE("a working directory longer than MAX_PATH is named as such, never as a missing program") {
    test::scratch_dir dir;
    const std::string cwd = long_directory(dir);
    // Windows and wine both take it in GetFileAttributesW; CreateProcessW refuses it (wine 8:
    // ERROR_INVALID_NAME).
    expect_failure(helper_cmd({}).cwd(cwd), errc::bad_working_directory,
                   {"working directory '" + cwd + "'", "is " + std::to_string(cwd.size()) + " characters long",
                    "MAX_PATH", "shorter path"});
}

TEST_CASE("a program at a path longer than MAX_PATH: it exists, and the path is too long") {
    test::scratch_dir dir;
    const std::string deep = long_directory(dir);
    const std::string prog = deep + "\\tool.exe";
    std::wstring from, to;
    liftoff::detail::utf8_to_utf16(test::helper(), from);
    liftoff::detail::utf8_to_utf16("\\\\?\\" + prog, to);
    REQUIRE(::CopyFileW(from.c_str(), to.c_str(), FALSE));
    // wine 8 refuses it with ERROR_INVALID_NAME, prefixed with \\?\ or not; Windows with
    // ERROR_FILENAME_EXCED_RANGE or ERROR_PATH_NOT_FOUND unless this process is long-path aware.
    std::error_code ec;
    auto c = liftoff::launch(command{prog, {"exit", "0"}}, ec);
    if (!ec) {
        MESSAGE("CreateProcessW took a path of " << prog.size() << " characters (a long-path aware Windows)");
        CHECK(c.wait().code() == 0);
        return;
    }
    expect_failure(command{prog}, errc::invalid_argument,
                   {"'" + prog + "' exists", "path is " + std::to_string(prog.size()) + " characters long", "MAX_PATH",
                    "shorter path", "\\\\?\\"});
}

TEST_CASE("a CreateProcessW error liftoff does not know never reads as a missing program") {
    // Such errors cannot be had on demand (wine's ERROR_INTERNAL_ERROR comes when a starting
    // wine process dies): the words are checked with the error as CreateProcessW gives it.
    const command cmd = helper_cmd({});
    const auto f = P::describe(cmd, test::helper(),
                               liftoff::detail::spawn_failure{liftoff::detail::spawn_stage::exec,
                                                              {ERROR_INTERNAL_ERROR, std::system_category()}});
    CHECK(f.code == errc::not_executable);
    const std::string msg = f.message;
    CHECK_MESSAGE(test::contains(msg, "'" + test::helper() + "' exists"), msg);
    CHECK_MESSAGE(test::contains(msg, "Windows could not start it"), msg);
    CHECK_MESSAGE(test::contains(msg, "error 1359"), msg);
    CHECK_MESSAGE(test::contains(msg, "try again"), msg);
    CHECK_FALSE(test::contains(msg, "does not exist"));
    CHECK_FALSE(test::contains(msg, "check the path"));
}

TEST_CASE("U+FF02 goes in the wide command line as itself; a narrow main() may read it as '\"' (WorstFit)") {
    const std::string fullwidth_quote = "\xef\xbc\x82";
    const strings args = {"a" + fullwidth_quote + "b", "c" + fullwidth_quote + "d"};
    // What liftoff guarantees: the wide command line holds the character unchanged (it needs no
    // quoting), and wide parsers read the arguments back exactly.
    const auto line = liftoff::run(helper_cmd({"cmdline"}).args(args));
    REQUIRE(line.ok());
    CHECK(test::contains(line.out, " cmdline a" + fullwidth_quote + "b c" + fullwidth_quote + "d\n"));
    CHECK(test::parse_args(liftoff::run(helper_cmd({"args"}).args(args)).out) == args);
    CHECK(test::parse_args(liftoff::run(helper_cmd({"crtargs"}).args(args)).out) == args);
    // What it cannot: GetCommandLineA converts to the ANSI code page with "best fit", which turns
    // U+FF02 into '"' (code page 1252; wine does it too): a narrow main() whose C runtime splits
    // that line (Windows) reads a"b c"d as one argument, "ab cd". wine's C runtime converts
    // each argument of the wide line instead, so there the arguments keep their count.
    const auto ansi = liftoff::run(helper_cmd({"cmdline-ansi"}).args(args));
    const auto narrow = test::parse_args(liftoff::run(helper_cmd({"narrowargs"}).args(args)).out);
    if (::GetACP() == 1252) {
        CHECK(test::contains(ansi.out, " cmdline-ansi a\"b c\"d"));
        CHECK(narrow == (test::under_wine() ? strings{"a\"b", "c\"d"} : strings{"ab cd"}));
    } else {
        MESSAGE("ANSI code page " << ::GetACP() << ": the narrow command line is not checked");
    }
}

TEST_CASE("a .bat timed out without new_process_group() leaves the program it started running") {
    test::scratch_dir dir;
    const auto pidfile = dir.file("pid");
    const auto script = dir.write("wait.bat", "@echo off\r\n\"" + test::helper() + "\" pid sleep 30000\r\n");
    auto started = [&] { return test::eventually([&] { return test::read_file(pidfile).size() > 1; }); };
    // The timeout kills cmd.exe, not what the script started.
    auto r = liftoff::run(command{script}.stdout_to(io::file(pidfile)).timeout(1s, 0s));
    CHECK(r.timed_out);
    REQUIRE(started());
    const long long left = std::stoll(test::read_file(pidfile));
    CHECK(test::alive(left));
    test::kill_pid(left);
    // With new_process_group() the job takes the whole tree.
    std::filesystem::remove(test::fs_path(pidfile));
    r = liftoff::run(command{script}.stdout_to(io::file(pidfile)).timeout(1s, 0s).new_process_group());
    CHECK(r.timed_out);
    REQUIRE(started());
    CHECK(test::eventually([&] { return !test::alive(std::stoll(test::read_file(pidfile))); }));
}

TEST_CASE("naming cmd.exe yourself is ordinary quoting: cmd's operators are not protected") {
    // Only .bat/.cmd scripts get cmd's escaping; cmd.exe named as the program gets the quoting
    // for CommandLineToArgvW, whose \" cmd does not know, so a '"' lets '&' out.
    test::scratch_dir dir;
    const auto here = std::filesystem::current_path();
    std::filesystem::current_path(test::fs_path(dir.path()));
    const auto r = liftoff::run(command{"cmd.exe", {"/d", "/c", "echo", "a\"&echo INJECTED>injected.txt"}});
    std::filesystem::current_path(here);
    INFO(r.out << r.err);
    CHECK(std::filesystem::exists(test::fs_path(dir.file("injected.txt"))));
}

TEST_CASE("diagnose() on Windows: the session, wine, the user and the working directory") {
    const auto r = liftoff::diagnose();
    CHECK(r.os == "Windows");
    CHECK(r.session == "windows");
    CHECK(r.cwd_exists);
    CHECK_FALSE(r.kernel.empty());
    CHECK(r.utf8);
    CHECK(r.find("no-display") == nullptr);
    // Wine says who it is; on Windows this list is empty.
    CHECK(std::count(r.sandbox.begin(), r.sandbox.end(), "wine") == 1);
    CHECK(test::contains(r.to_json(), "\"kind\": \"windows\""));
}

TEST_CASE("preflight() on Windows: PATHEXT lookup, missing programs, files that are not programs") {
    auto clean = liftoff::preflight(command{"cmd"});
    CHECK_MESSAGE(!clean.has_errors(), clean.to_text());
    REQUIRE(clean.program);
    CHECK(test::contains(clean.program->resolved, "cmd.exe"));
    CHECK(clean.program->format == "a Windows (PE) program");

    const auto missing = liftoff::preflight(command{"liftoff-missing"});
    REQUIRE(missing.find("not-in-path") != nullptr);
    CHECK(missing.find("not-in-path")->severity == liftoff::severity::error);

    test::scratch_dir dir;
    const auto text = dir.write("notes.txt", "just text");
    const auto r = liftoff::preflight(command{text});
    CHECK(r.has_errors());
    CHECK(r.find("not-executable") != nullptr);

    const auto script = dir.write("run.cmd", "@echo off\r\n");
    CHECK_FALSE(liftoff::preflight(command{script}).has_errors());
    const auto elf = dir.write("linux.exe", std::string("\x7f"
                                                        "ELF\x02\x01\x01",
                                                        7) +
                                                std::string(57, '\0'));
    CHECK(liftoff::preflight(command{elf}).find("wrong-architecture") != nullptr);
}

TEST_CASE("preflight() on Windows: the Mark of the Web (a Zone.Identifier stream) is a warning naming Unblock-File") {
    test::scratch_dir dir;
    const auto program = dir.write("downloaded.exe", test::read_file(test::helper()));
    CHECK(liftoff::preflight(command{program}).find("mark-of-the-web") == nullptr);
    // What a browser writes next to a download. Wine's file systems may keep no streams.
    std::ofstream stream(program + ":Zone.Identifier", std::ios::binary);
    stream << "[ZoneTransfer]\r\nZoneId=3\r\nHostUrl=https://example.com/downloaded.exe\r\n";
    stream.close();
    if (!stream || !std::ifstream(program + ":Zone.Identifier")) {
        MESSAGE("skipped: this file system keeps no alternate data streams (wine)");
        return;
    }
    const auto r = liftoff::preflight(command{program});
    const liftoff::finding* f = r.find("mark-of-the-web");
    REQUIRE_MESSAGE(f != nullptr, r.to_text());
    CHECK(f->severity == liftoff::severity::warning);
    CHECK(test::contains(f->what, "ZoneId=3"));
    CHECK(test::contains(f->remedy, "Unblock-File"));
    CHECK(r.program->zone_id == 3);
}

TEST_CASE("a DLL the program imports that Windows would not find: preflight names it, and the early death says so") {
    test::scratch_dir dir;
    std::string bytes = test::read_file(test::helper());
    const std::string real = std::string("msvcrt.dll\0", 11), gone = std::string("msvcrq.dll\0", 11);
    const auto at = bytes.find(real);
    REQUIRE(at != std::string::npos);  // the helper imports the C runtime by this name
    bytes.replace(at, real.size(), gone);
    const auto program = dir.write("needs-dll.exe", bytes);
    const auto r = liftoff::preflight(command{program});
    const liftoff::finding* f = r.find("library-missing");
    REQUIRE_MESSAGE(f != nullptr, r.to_text());
    CHECK(f->severity == liftoff::severity::error);
    CHECK_MESSAGE(test::contains(f->what, "'msvcrq.dll'"), f->what);
    CHECK_MESSAGE(test::contains(f->what, dir.path()), f->what);  // the program's folder is searched first
    CHECK_MESSAGE(test::contains(f->remedy, "program's folder"), f->remedy);
    CHECK(r.program->missing_libraries == std::vector<std::string>{"msvcrq.dll"});
    // The real helper: every DLL it imports is found.
    CHECK(liftoff::preflight(command{test::helper()}).find("library-missing") == nullptr);
    // Started, it dies with STATUS_DLL_NOT_FOUND; the post-mortem names the DLL.
    const auto died = test::retry_wine_start([&] { return liftoff::run(command{program}); });
    CHECK(static_cast<std::uint32_t>(died.status.code()) == 0xC0000135u);
    REQUIRE_FALSE(died.findings.empty());
    CHECK(died.findings.front().id == "library-missing");
    CHECK_MESSAGE(test::contains(died.explanation, "msvcrq.dll"), died.explanation);
}

// Issue 15: what a name that is not UTF-8 reads as, from Windows' code pages; a report shows
// such a name with \xNN and carries its bytes in JSON, as on POSIX.
TEST_CASE("a name in GBK bytes: read in code pages 936, 932 and 1252; escaped in text, exact in JSON") {
    const std::string gbk = "\xc4\xe3\xba\xc3";  // 你好 in GBK
    const auto readings = P::legacy_readings(gbk);
    const auto gbk_reading =
        std::find_if(readings.begin(), readings.end(), [](const auto& r) { return r.first == "GBK"; });
    REQUIRE_MESSAGE(gbk_reading != readings.end(), readings.size());
    CHECK(gbk_reading->second == "\xe4\xbd\xa0\xe5\xa5\xbd");
    CHECK(P::legacy_readings("plain").size() == 3);  // ASCII reads the same in each
    CHECK(liftoff::detail::printable("C:\\tmp\\" + gbk) == "C:\\tmp\\\\xc4\\xe3\\xba\\xc3");
    liftoff::report r;
    r.cwd = "C:\\" + gbk;
    r.os = "Windows";
    CHECK(test::contains(r.to_json(), "\"path_hex\": \"433a5cc4e3bac3\""));
}
