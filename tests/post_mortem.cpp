// tests/post_mortem.cpp: a child that dies at once explains itself. Each signature of the table
// in detail/post_mortem.hpp is played by a stand-in (the helper printing the real message and
// exiting as the real program does); the rest are real: a program whose shared library is gone,
// a shell that cannot find its command, a crash by signal.
// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include <csignal>
#include <filesystem>

#include "support.hpp"

using liftoff::command;
using test::helper_cmd;

namespace {

/// Runs `cmd` and checks that its result and a launched child say the same: the finding `id`,
/// naming `in_what`, with a remedy holding `in_remedy`.
liftoff::result expect_explained(const command& cmd, const std::string& id, const std::string& in_what,
                                 const std::string& in_remedy) {
    const liftoff::result r = test::retry_wine_start([&] { return liftoff::run(cmd); });
    REQUIRE_MESSAGE(!r.findings.empty(), cmd.program() << " " << r.status.to_string() << "; stderr: " << r.err);
    CHECK(r.findings.front().id == id);
    CHECK(r.findings.front().severity == liftoff::severity::error);
    CHECK_MESSAGE(test::contains(r.findings.front().what, in_what), r.findings.front().what);
    CHECK_MESSAGE(test::contains(r.findings.front().remedy, in_remedy), r.findings.front().remedy);
    // The text names the program, how it ended, the cause and the remedy, as a launch_error does.
    CHECK_MESSAGE(test::contains(r.explanation, "liftoff: '" + liftoff::detail::printable(cmd.program()) + "' "),
                  r.explanation);
    CHECK_MESSAGE(test::contains(r.explanation, r.findings.front().remedy), r.explanation);
    CHECK_MESSAGE(test::contains(r.explanation, r.status.exited() ? "exited with code" : "killed by"), r.explanation);
    // A launched child with the same stream says the same once it has been waited for.
    liftoff::child c =
        test::retry_wine_start([&] { return liftoff::launch(command(cmd).stderr_to(liftoff::io::capture())); });
    c.wait();
    REQUIRE_FALSE(c.findings().empty());
    CHECK(c.findings().front().id == id);
    CHECK(c.explanation() == liftoff::detail::post_mortem_text(cmd.program(), c.findings()));
    return r;
}

}  // namespace

TEST_CASE("each signature of the field, played by a stand-in printing the real message") {
    struct row {
        std::string message;  // what the real program writes
        int code;             // and how it exits
        std::string id, remedy;
    };
    const std::vector<row> rows = {
        {"app: error while loading shared libraries: libfoo.so.3: cannot open shared object file: No such file or "
         "directory",
         127, "library-missing", "LD_LIBRARY_PATH"},
        {"(gedit:4242): Gtk-WARNING **: 10:00:00.000: cannot open display: :99", 1, "display-unreachable",
         "graphical session"},
        {"Error: Can't open display: :99", 1, "display-unreachable", "DISPLAY"},
        {"qt.qpa.xcb: could not connect to display :99", 134, "display-unreachable", "DISPLAY"},
        {"qt.qpa.plugin: Could not load the Qt platform plugin \"xcb\" in \"\" even though it was found.", 134,
         "display-unreachable", "QT_QPA_PLATFORM"},
        {"[4242:4242:1201/100000.000:ERROR:ozone_platform_x11.cc(240)] Missing X server or $DISPLAY", 1,
         "display-unreachable", "DISPLAY"},
        {"SDL_Init failed: No available video device", 1, "display-unreachable", "SDL_VIDEODRIVER"},
        {"[4242:4242:1201/100000.000:ERROR:zygote_host_impl_linux.cc(100)] Running as root without --no-sandbox is "
         "not supported. See https://crbug.com/638180.",
         1, "chromium-root-sandbox", "normal user"},
        {"[4242:4242:1201/100000.000:FATAL:setuid_sandbox_host.cc(157)] The SUID sandbox helper binary was found, "
         "but is not configured correctly. Rather than run without sandboxing I'm aborting now.",
         133, "chromium-suid-sandbox", "chmod 4755"},
        {"[4242:4242:1201/100000.000:FATAL:zygote_host_impl_linux.cc(127)] No usable sandbox! Update your kernel", 133,
         "chromium-suid-sandbox", "user namespaces"},
        {"[4242:4242:1201/100000.000:FATAL:gpu_data_manager_impl_private.cc(448)] GPU process isn't usable. "
         "Goodbye.",
         133, "gpu-process-crash", "--disable-gpu"},
        {"sh: 1: frobnicate: not found", 127, "shell-command-not-found", "PATH"},
        {"bash: line 1: frobnicate: command not found", 127, "shell-command-not-found", "PATH"},
        {"/usr/bin/env: 'python9': No such file or directory", 127, "shell-command-not-found", "PATH"},
        {"sh: 1: ./tool: Permission denied", 126, "shell-permission-denied", "chmod +x"},
    };
    for (const row& r : rows) {
        CAPTURE(r.message);
        // Some lines first, as a real program writes them: the signature is found in the tail.
        expect_explained(
            helper_cmd({"esay", "starting up\nloading\n" + r.message + "\n", "exit", std::to_string(r.code)}), r.id,
            r.message.substr(0, 30), r.remedy);
    }
}

TEST_CASE("a signature found in a stream handed to io::lines too (liftoff keeps its last bytes)") {
    std::vector<std::string> seen;
    const auto r = liftoff::run(helper_cmd({"esay", "Error: Can't open display: :99\n", "exit", "1"})
                                    .stderr_to(liftoff::io::lines([&](std::string_view l) { seen.emplace_back(l); })));
    CHECK(seen == std::vector<std::string>{"Error: Can't open display: :99"});
    REQUIRE_FALSE(r.findings.empty());
    CHECK(r.findings.front().id == "display-unreachable");
}

#if !defined(_WIN32)
TEST_CASE("a real shell that cannot find its command: 127, named with what it wrote") {
    const auto r = expect_explained(command{"/bin/sh", {"-c", "liftoff-no-such-command-x"}}, "shell-command-not-found",
                                    "liftoff-no-such-command-x", "PATH");
    CHECK(r.status.code() == 127);
}

TEST_CASE("a crash by signal names the signal and what it usually means") {
    expect_explained(helper_cmd({"kill-self", std::to_string(SIGSEGV)}), "crashed", "SIGSEGV", "debugger");
    expect_explained(helper_cmd({"kill-self", std::to_string(SIGILL)}), "crashed", "illegal instruction", "processor");
    expect_explained(helper_cmd({"kill-self", std::to_string(SIGABRT)}), "crashed", "aborted", "stderr");
}
#endif  // !_WIN32

TEST_CASE("nothing to explain: a success, a quick quiet non-zero exit, a stop liftoff made, a late death") {
    CHECK(liftoff::run(helper_cmd({"exit", "0"})).findings.empty());
    // grep's "no match": a program's answer, not a failure to start.
    const auto quiet = liftoff::run(helper_cmd({"exit", "1"}));
    CHECK(quiet.findings.empty());
    CHECK(quiet.explanation.empty());
    // A child liftoff stopped is not explained, even though it died by a signal within the window.
    liftoff::child c = liftoff::launch(
        helper_cmd({"esay", "Error: Can't open display: :99\n", "sleep", "10000"}).stderr_to(liftoff::io::capture()));
    CHECK(test::eventually([&] { return !c.err().empty(); }));
    c.kill();
    CHECK(c.findings().empty());
    // A timeout is not a death to explain either.
    const auto timed = liftoff::run(helper_cmd({"sleep", "10000"}).timeout(std::chrono::milliseconds(100)));
    CHECK(timed.timed_out);
    CHECK(timed.findings.empty());
    // Ended badly, but after the window: the program's own business.
    const auto late = liftoff::run(helper_cmd(
        {"sleep",
         std::to_string(
             std::chrono::duration_cast<std::chrono::milliseconds>(liftoff::detail::early_death_window).count() + 300),
         "esay", "Error: Can't open display: :99\n", "exit", "1"}));
    CHECK(late.status.code() == 1);
    CHECK(late.findings.empty());
}

#if defined(LIFTOFF_TEST_NEEDS_LIBRARY)
TEST_CASE("a real program whose shared library is gone: from its stderr, or by preflight when it is inherited") {
    test::scratch_dir dir;
    const std::string program = dir.write("needs-library", test::read_file(LIFTOFF_TEST_NEEDS_LIBRARY), 0755);
    // meson test sets LD_LIBRARY_PATH to its build directories, where the library is.
    const command bare = command{program}.env_remove("LD_LIBRARY_PATH");
    // Captured stderr: the loader's own line.
    expect_explained(bare, "library-missing", "libliftoff_fixture.so.1", "LD_LIBRARY_PATH");
    // Inherited stderr: liftoff sees only the exit (127), and preflight()'s judging after it
    // names the library and where the loader looked.
    liftoff::child c = liftoff::launch(command(bare).stderr_to(liftoff::io::null()));
    CHECK(c.wait().code() == 127);
    const auto f = c.findings();
    REQUIRE_FALSE(f.empty());
    CHECK(f.front().id == "library-missing");
    CHECK_MESSAGE(test::contains(f.front().what, "'libliftoff_fixture.so.1'"), f.front().what);
    CHECK_MESSAGE(test::contains(f.front().what, dir.file("lib")), f.front().what);  // its RUNPATH, $ORIGIN/lib
    CHECK_MESSAGE(test::contains(c.explanation(), "exited with code 127"), c.explanation());
}
#endif  // LIFTOFF_TEST_NEEDS_LIBRARY

TEST_CASE("review: stderr merged into stdout is read; a signal the caller sent is not explained; CRLF wins") {
    // io::merge(): what it writes to stderr is in the captured stdout.
    const auto merged = liftoff::run(
        helper_cmd({"esay", "Error: Can't open display: :99\n", "exit", "1"}).stderr_to(liftoff::io::merge()));
    REQUIRE_FALSE(merged.findings.empty());
    CHECK(merged.findings.front().id == "display-unreachable");
#if !defined(_WIN32)
    // child::signal(): how it ends is the caller's doing.
    liftoff::child c = liftoff::launch(helper_cmd({"sleep", "10000"}).stderr_to(liftoff::io::capture()));
    c.signal(SIGABRT);
    c.wait();
    CHECK(c.findings().empty());
    // A #! line through env with a carriage return: env says "No such file" (127), and the
    // explanation is the line ending, as preflight() says.
    test::scratch_dir dir;
    const auto script = dir.write("crlf-env.sh", "#!/usr/bin/env sh\r\necho hi\r\n", 0755);
    const auto r = liftoff::run(command{script});
    CHECK(r.status.code() == 127);
    REQUIRE_FALSE(r.findings.empty());
    CHECK(r.findings.front().id == "crlf-line-endings");
    CHECK(liftoff::preflight(command{script}).find("crlf-line-endings") != nullptr);
#endif  // !_WIN32
}
