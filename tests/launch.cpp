// tests/launch.cpp: launch() and run() doing what they say, with the helper as the child:
// exit codes, arguments, environment, working directory, PATH lookup, tracing.
// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include "support.hpp"

using liftoff::command;
namespace io = liftoff::io;
using test::helper_cmd;

TEST_CASE("run() returns the exit code and the captured streams") {
    const auto r = liftoff::run(helper_cmd({"say", "to out", "esay", "to err", "exit", "3"}));
    CHECK(r.status.exited());
    CHECK(r.status.code() == 3);
    CHECK_FALSE(r.ok());
    CHECK(r.out == "to out");
    CHECK(r.err == "to err");
    CHECK_FALSE(r.timed_out);
    CHECK(r.elapsed > std::chrono::nanoseconds::zero());
}

#if !defined(_WIN32)
TEST_CASE("a child killed by a signal reports the signal") {
    const auto r = liftoff::run(helper_cmd({"kill-self", std::to_string(SIGUSR1)}));
    CHECK(r.status.signaled());
    CHECK(r.status.signal() == SIGUSR1);
    CHECK(r.status.to_string() == "killed by signal " + std::to_string(SIGUSR1) + " (SIGUSR1)");
}
#endif  // !_WIN32

TEST_CASE("arguments reach the child exactly, with no shell in between") {
    const std::vector<std::string> hostile = {"", " ", "a b", "\"quoted\"", "'single'", "$(touch /tmp/liftoff-pwned)",
                                              "`id`", ";", "&&", "|", "*", "~", "-rf", "--", "\\", "tab\there",
                                              "line\nbreak", "ünïcødé ✓",

#if !defined(_WIN32)
                                              // POSIX passes bytes; Windows refuses this (windows.cpp)
                                              std::string("\xff\xfe not utf-8")
#endif  // !_WIN32
    };
    command cmd{test::helper(), {"args"}};
    cmd.args(hostile);
    const auto r = liftoff::run(cmd);
    REQUIRE(r.ok());
    CHECK(test::parse_args(r.out) == hostile);
    CHECK_FALSE(std::filesystem::exists("/tmp/liftoff-pwned"));
}

TEST_CASE("argv[0] is the program as given") {
#if defined(_WIN32)
    test::scratch_dir dir;
    dir.copy_helper("tool");
    const auto r = liftoff::run(command{"tool", {"argv0"}}.env("PATH", dir.path()));
    CHECK(r.out == "tool\n");
#else
    const auto r = liftoff::run(command{"sh", {"-c", "echo \"$0\""}});
    CHECK(r.out == "sh\n");
#endif  // _WIN32
}

TEST_CASE("environment: set, override, remove, clear") {
    test::set_env("LIFTOFF_T_KEEP", "kept");
    test::set_env("LIFTOFF_T_GONE", "here");
    auto r = liftoff::run(helper_cmd({"env", "LIFTOFF_T_KEEP", "env", "LIFTOFF_T_NEW", "env", "LIFTOFF_T_GONE"})
                              .env("LIFTOFF_T_NEW", "new = value")
                              .env_remove("LIFTOFF_T_GONE"));
    CHECK(r.out == "kept\nnew = value\n<unset>\n");

    r = liftoff::run(helper_cmd({"envcount", "env", "ONLY"}).env_clear().env("ONLY", "1"));
    const int extra = test::cleared_env_count();
    if (!test::under_wine()) CHECK(extra == 0);
    CHECK(r.out == std::to_string(extra + 1) + "\n1\n");
}

TEST_CASE("cwd() sets the child's working directory") {
    test::scratch_dir dir;
    const auto r = liftoff::run(helper_cmd({"cwd"}).cwd(dir.path()));
    CHECK(r.out == test::utf8(std::filesystem::canonical(test::fs_path(dir.path()))) + "\n");
}

TEST_CASE("a relative program path is taken from the parent's directory, not the child's cwd") {
    test::scratch_dir dir;
    const auto here = std::filesystem::current_path();
    std::filesystem::current_path(test::fs_path(test::helper()).parent_path());
    const std::string rel = std::string(".") + test::sep + test::utf8(test::fs_path(test::helper()).filename());
    const auto r = liftoff::run(command{rel, {"say", "ran"}}.cwd(dir.path()));
    std::filesystem::current_path(here);
    CHECK(r.out == "ran");
}

TEST_CASE("a bare name is looked up in the PATH the child will get") {
    test::scratch_dir dir;
    dir.copy_helper("only-here");
    CHECK_THROWS(liftoff::run(command{"only-here"}));
    const auto r = liftoff::run(command{"only-here", {"say", "found"}}.env("PATH", dir.path()));
    CHECK(r.out == "found");
}

#if !defined(_WIN32)
TEST_CASE("PATH search skips a non-executable match and takes the next runnable one") {
    test::scratch_dir a, b;
    a.write("tool", "not a program", 0644);
    std::filesystem::copy_file(test::helper(), b.file("tool"));
    ::chmod(b.file("tool").c_str(), 0755);
    const auto r = liftoff::run(command{"tool", {"say", "b"}}.env("PATH", a.path() + ":" + b.path()));
    CHECK(r.out == "b");
}
#endif  // !_WIN32

TEST_CASE("the current directory is never searched, even through an empty or '.' PATH entry") {
    test::scratch_dir dir;
    dir.copy_helper("in-cwd");
    const auto here = std::filesystem::current_path();
    std::filesystem::current_path(test::fs_path(dir.path()));
    std::error_code ec;
    auto c = liftoff::launch(command{"in-cwd"}.env("PATH", test::path_list({"", ".", "bin"})), ec);
    std::filesystem::current_path(here);
    CHECK(ec == liftoff::errc::program_not_found);
    CHECK_FALSE(c.valid());
}

TEST_CASE("find_program() finds what launch() would run") {
#if defined(_WIN32)
    const auto sh = liftoff::find_program("cmd");
#else
    const auto sh = liftoff::find_program("sh");
#endif  // _WIN32
    REQUIRE(sh);
    CHECK(sh->is_absolute());
    CHECK_FALSE(liftoff::find_program("liftoff-no-such-program"));
    CHECK_FALSE(liftoff::find_program(""));
    test::scratch_dir dir;
    const std::string mine = dir.copy_helper("mine");
    const auto found = liftoff::find_program("mine", test::path_list({"relative", dir.path()}));
    REQUIRE(found);
    CHECK(test::utf8(*found) == mine);
    CHECK_FALSE(liftoff::find_program("mine", test::path_list({".", ""})));
    CHECK(liftoff::find_program(test::helper()));
}

TEST_CASE("trace reports resolved, spawned and exited, in order") {
    std::vector<liftoff::trace_event> events;
    auto cmd = helper_cmd({"exit", "4"}).trace([&](const liftoff::trace_event& e) { events.push_back(e); });
    const auto r = liftoff::run(cmd);
    REQUIRE(events.size() == 3);
    CHECK(events[0].kind == liftoff::trace_kind::resolved);
    CHECK(events[0].path == test::helper());
    CHECK(events[1].kind == liftoff::trace_kind::spawned);
    CHECK(events[1].pid > 0);
    CHECK(events[2].kind == liftoff::trace_kind::exited);
    CHECK(events[2].status == liftoff::exit_status::from_code(4));
    CHECK(events[2].elapsed > std::chrono::nanoseconds::zero());
    CHECK(events[2].pid == events[1].pid);
}

TEST_CASE("trace reports spawn_failed with the error and message, and signal_sent") {
    std::vector<liftoff::trace_event> events;
    auto record = [&](const liftoff::trace_event& e) { events.push_back(e); };
    std::error_code ec;
    const auto failed = liftoff::launch(command{"liftoff-no-such-program"}.trace(record), ec);
    CHECK_FALSE(failed.valid());
    REQUIRE(events.size() == 1);
    CHECK(events[0].kind == liftoff::trace_kind::spawn_failed);
    CHECK(events[0].error == liftoff::errc::program_not_found);
    CHECK(test::contains(events[0].message, "liftoff-no-such-program"));

    events.clear();
    auto c = liftoff::launch(helper_cmd({"sleep", "10000"}).trace(record));
    c.kill();
    REQUIRE(events.size() == 4);
    CHECK(events[2].kind == liftoff::trace_kind::signal_sent);
    CHECK(events[2].signal == liftoff::detail::native_platform::process::kill_signal);
    CHECK(events[3].kind == liftoff::trace_kind::exited);
}

TEST_CASE("the error_code overloads report success with a clear code") {
    std::error_code ec = liftoff::errc::timed_out;
    auto c = liftoff::launch(helper_cmd({"exit", "0"}), ec);
    CHECK_FALSE(ec);
    CHECK(c.valid());
    CHECK(c.wait().success());
    ec = liftoff::errc::timed_out;
    const auto r = liftoff::run(helper_cmd({"say", "x"}), ec);
    CHECK_FALSE(ec);
    CHECK(r.out == "x");
}

TEST_CASE("run() gives the child an empty stdin unless told otherwise; launch() shares ours") {
    const auto r = liftoff::run(helper_cmd({"count-stdin"}));
    CHECK(r.out == "0\n");
}
