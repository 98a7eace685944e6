// tests/diagnose.cpp: diagnose() and preflight(), each finding provoked for real: files without
// the x bit, directories, dangling links, bad interpreters, binaries for other machines, bad
// PATH entries, sessions without a display, sandboxes (fake roots), secrets in the environment.
// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#if defined(__linux__)
#include <sys/mount.h>  // mount(2) of a noexec tmpfs
#endif

#include <map>

#include "support.hpp"

using liftoff::command;
using liftoff::severity;

namespace {

liftoff::report diag(std::vector<std::string> env, std::string root = "/") {
    liftoff::diagnose_options o;
    o.root = std::move(root);
    o.environment = std::move(env);
    return liftoff::diagnose(o);
}

void expect(const liftoff::report& r, const std::string& id, severity s, const std::string& in_what = "",
            const std::string& in_remedy = "") {
    const liftoff::finding* f = r.find(id);
    REQUIRE_MESSAGE(f != nullptr, "no finding '" << id << "' in:\n" << r.to_text());
    CHECK(f->severity == s);
    CHECK_MESSAGE(test::contains(f->what, in_what), f->what);
    CHECK_MESSAGE(test::contains(f->remedy, in_remedy), f->remedy);
    CHECK_FALSE(f->remedy.empty());
}

std::string elf_header(unsigned char cls, unsigned char data, unsigned machine) {
    std::string h(64, '\0');
    h[0] = 0x7f, h[1] = 'E', h[2] = 'L', h[3] = 'F', h[4] = static_cast<char>(cls), h[5] = static_cast<char>(data),
    h[6] = 1;
    const bool le = data == 1;
    h[16 + (le ? 0 : 1)] = 2;  // ET_EXEC
    h[18 + (le ? 0 : 1)] = static_cast<char>(machine & 0xff);
    h[18 + (le ? 1 : 0)] = static_cast<char>(machine >> 8);
    return h;
}

}  // namespace

TEST_CASE("no DISPLAY and no WAYLAND_DISPLAY: no-display, session none or terminal") {
    const auto r = diag({"PATH=/usr/bin:/bin", "LANG=C.UTF-8"});
    expect(r, "no-display", severity::warning, "DISPLAY and WAYLAND_DISPLAY are not set", "desktop session");
    CHECK((r.session == "none" || r.session == "terminal"));
    CHECK_FALSE(r.has_errors());
}

TEST_CASE("a display: x11 or wayland, and no no-display finding") {
    auto r = diag({"PATH=/usr/bin", "DISPLAY=:0", "DBUS_SESSION_BUS_ADDRESS=unix:path=/x"});
    CHECK(r.session == "x11");
    CHECK(r.find("no-display") == nullptr);
    CHECK(r.find("no-dbus-session") == nullptr);
    r = diag({"PATH=/usr/bin", "WAYLAND_DISPLAY=wayland-0", "DBUS_SESSION_BUS_ADDRESS=unix:path=/x"});
    CHECK(r.session == "wayland");
}

TEST_CASE("a display without a D-Bus session bus: no-dbus-session") {
    test::scratch_dir runtime;
    const auto r = diag({"PATH=/usr/bin", "DISPLAY=:0", "XDG_RUNTIME_DIR=" + runtime.path()});
    expect(r, "no-dbus-session", severity::warning, "DBUS_SESSION_BUS_ADDRESS", "DBUS_SESSION_BUS_ADDRESS");
}

TEST_CASE("SSH_CONNECTION: an ssh session") {
    const auto r = diag({"PATH=/usr/bin", "SSH_CONNECTION=10.0.0.1 5000 10.0.0.2 22"});
    CHECK(r.session == "ssh");
    expect(r, "ssh-session", severity::info, "SSH_CONNECTION");
}

TEST_CASE("locale: LC_ALL, then LC_CTYPE, then LANG; a non-UTF-8 one is a finding") {
    expect(diag({"LANG=C"}), "non-utf8-locale", severity::warning, "'C'", "LANG=C.UTF-8");
    expect(diag({}), "non-utf8-locale", severity::warning, "none of LC_ALL");
    CHECK(diag({"LANG=de_DE.utf8"}).utf8);
    CHECK_FALSE(diag({"LANG=C.UTF-8", "LC_ALL=POSIX"}).utf8);
    CHECK(diag({"LANG=C", "LC_CTYPE=en_US.UTF-8"}).find("non-utf8-locale") == nullptr);
}

TEST_CASE("PATH entries: empty, relative, missing, writable by others") {
    test::scratch_dir open_dir;
    ::chmod(open_dir.path().c_str(), 0777);
    const auto r = diag({"LANG=C.UTF-8", "PATH=/usr/bin::relative/bin:/nonexistent/liftoff:" + open_dir.path()});
    expect(r, "empty-path-entry", severity::warning, "empty entry");
    expect(r, "relative-path-entry", severity::warning, "'relative/bin'");
    expect(r, "path-entry-missing", severity::warning, "'/nonexistent/liftoff'");
    expect(r, "writable-path-entry", severity::error, "'" + open_dir.path() + "'", "chmod o-w");
    REQUIRE(r.path.size() == 5);
    CHECK(r.path[0].exists);
    CHECK(r.path[1].empty);
    CHECK(r.path[2].relative);
    CHECK(r.path[4].writable_by_others);
    CHECK(r.has_errors());
    expect(diag({"LANG=C.UTF-8"}), "no-path", severity::warning, "PATH is not set");
}

TEST_CASE("sandboxes from a fake root: Flatpak, WSL, containers") {
    test::scratch_dir root;
    std::filesystem::create_directories(root.file("proc/sys/fs/binfmt_misc"));
    std::filesystem::create_directories(root.file("proc/sys/kernel"));
    root.write(".flatpak-info", "[Application]\nname=org.example.App\n");
    auto r = diag({"PATH=/usr/bin"}, root.path());
    CHECK(r.sandbox == std::vector<std::string>{"flatpak"});
    expect(r, "sandbox", severity::info, "flatpak", "chooser");

    std::filesystem::remove(root.file(".flatpak-info"));
    root.write("proc/sys/fs/binfmt_misc/WSLInterop", "enabled\n");
    r = diag({"PATH=/usr/bin"}, root.path());
    CHECK(r.sandbox == std::vector<std::string>{"wsl"});
    CHECK(r.find("no-display") == nullptr);  // WSL opens links in Windows without DISPLAY

    std::filesystem::remove(root.file("proc/sys/fs/binfmt_misc/WSLInterop"));
    root.write("proc/sys/kernel/osrelease", "5.15.90.1-Microsoft-standard-WSL2\n");
    CHECK(diag({"PATH=/usr/bin"}, root.path()).sandbox == std::vector<std::string>{"wsl"});

    root.write(".dockerenv", "");  // WSL markers inside a container mean the container
    CHECK(diag({"PATH=/usr/bin"}, root.path()).sandbox == std::vector<std::string>{"container"});

    std::filesystem::remove(root.file(".dockerenv"));
    std::filesystem::remove(root.file("proc/sys/kernel/osrelease"));
    CHECK(diag({"PATH=/usr/bin", "SNAP=/snap/app/1"}, root.path()).sandbox == std::vector<std::string>{"snap"});
    CHECK(diag({"PATH=/usr/bin"}, root.path()).sandbox.empty());
}

TEST_CASE("the environment is listed with secrets redacted") {
    const auto r =
        diag({"GITHUB_TOKEN=ghp_secret", "db_password=hunter2", "AWS_SECRET_ACCESS_KEY=k", "SESSION_COOKIE=c",
              "https_proxy=http://user:pa55@proxy:3128", "XDG_SESSION_TYPE=x11", "HOME=/home/me", "GITHUB_PAT=ghp_x",
              "DEPLOY=glpat-abcdef", "PATH=/usr/bin", "http_proxy=http://u:p@ss@proxy/path@x"});
    std::map<std::string, std::string> env(r.environment.begin(), r.environment.end());
    CHECK(env["GITHUB_TOKEN"] == "<redacted>");
    CHECK(env["db_password"] == "<redacted>");
    CHECK(env["AWS_SECRET_ACCESS_KEY"] == "<redacted>");
    CHECK(env["SESSION_COOKIE"] == "<redacted>");
    CHECK(env["https_proxy"] == "http://user:<redacted>@proxy:3128");
    CHECK(env["http_proxy"] == "http://u:<redacted>@proxy/path@x");  // an '@' in the password, too
    CHECK(env["XDG_SESSION_TYPE"] == "x11");
    CHECK(env["HOME"] == "/home/me");
    CHECK(env["GITHUB_PAT"] == "<redacted>");
    CHECK(env["DEPLOY"] == "<redacted>");  // a GitLab token, whatever the variable is called
    CHECK(env["PATH"] == "/usr/bin");
    const std::string all = r.to_text() + r.to_json();
    for (const char* secret : {"ghp_secret", "hunter2", "pa55", "p@ss"})
        CHECK_FALSE(test::contains(all, secret));
}

TEST_CASE("the facts: OS, user, cwd, openers found in PATH") {
    const auto r = liftoff::diagnose();
    CHECK_FALSE(r.os.empty());
    CHECK_FALSE(r.arch.empty());
    CHECK(r.uid == static_cast<long long>(::geteuid()));
    CHECK(r.umask.size() == 4);
    CHECK(r.cwd_exists);
    CHECK(r.cwd == std::filesystem::current_path().string());
    if (liftoff::find_program("xdg-open")) CHECK(std::count(r.openers.begin(), r.openers.end(), "xdg-open") == 1);
}

TEST_CASE("a current directory that was removed: cwd-missing") {
    const auto here = std::filesystem::current_path();
    {
        test::scratch_dir dir;
        std::filesystem::current_path(dir.path());
        std::filesystem::remove(dir.path());
        const auto r = diag({"PATH=/usr/bin"});
        std::filesystem::current_path(here);
        expect(r, "cwd-missing", severity::error, "no longer exists", "cd to an existing directory");
        CHECK_FALSE(r.cwd_exists);
    }
}

TEST_CASE("to_text is an aligned table, coloured only when asked") {
    const auto r = diag({"LANG=C"});
    const auto plain = r.to_text();
    CHECK(test::contains(plain, "findings\n"));
    CHECK(test::contains(plain, "WARNING non-utf8-locale"));
    CHECK_FALSE(test::contains(plain, "\033["));
    CHECK(test::contains(r.to_text(true), "\033[1;33m"));
}

TEST_CASE("preflight: a clean program has no error findings") {
    const auto r = liftoff::preflight(test::helper_cmd({"say", "x"}));
    CHECK_MESSAGE(!r.has_errors(), r.to_text());
    REQUIRE(r.program);
    CHECK(r.program->resolved == test::helper());
    CHECK(r.program->executable);
    CHECK(test::contains(r.program->format, "ELF"));
}

TEST_CASE("preflight: a program missing from the child's PATH") {
    const auto r = liftoff::preflight(command{"liftoff-missing"}.env("PATH", "/usr/bin:/bin"));
    expect(r, "not-in-path", severity::error, "searched /usr/bin:/bin", "give a full path or install it");
    CHECK(r.program->searched == std::vector<std::string>{"/usr/bin", "/bin"});
}

TEST_CASE("preflight: a file without the x bit, a directory, a dangling symlink, a missing path") {
    test::scratch_dir dir;
    const auto plain = dir.write("plain", "#!/bin/sh\necho hi\n", 0644);
    expect(liftoff::preflight(command{plain}), "not-executable", severity::error, "mode 0644",
           "chmod +x '" + plain + "'");
    expect(liftoff::preflight(command{dir.path()}), "is-directory", severity::error, "is a directory");
    std::filesystem::create_symlink(dir.file("gone"), dir.file("link"));
    expect(liftoff::preflight(command{dir.file("link")}), "dangling-symlink", severity::error,
           "'" + dir.file("gone") + "'");
    expect(liftoff::preflight(command{dir.file("absent")}), "not-found", severity::error, "does not exist");
}

TEST_CASE("preflight: bad interpreters, missing or not executable") {
    test::scratch_dir dir;
    const auto missing = dir.write("missing", "#!/nonexistent/interpreter -x\n", 0755);
    expect(liftoff::preflight(command{missing}), "bad-interpreter", severity::error, "'/nonexistent/interpreter'",
           "fix the #! line");
    const auto interp = dir.write("interp", "not runnable", 0644);
    const auto uses = dir.write("uses", "#!" + interp + "\n", 0755);
    expect(liftoff::preflight(command{uses}), "bad-interpreter", severity::error, "cannot be executed");
}

TEST_CASE("preflight: binaries for another machine or OS, and files of no known format") {
    test::scratch_dir dir;
    expect(liftoff::preflight(command{dir.write("ppc", elf_header(1, 2, 20), 0755)}), "wrong-architecture",
           severity::error, "ELF 32-bit big-endian PowerPC", "use a build for this system");
    expect(liftoff::preflight(
               command{dir.write("macho", std::string("\xcf\xfa\xed\xfe", 4) + std::string(60, '\0'), 0755)}),
           "wrong-architecture", severity::error, "Mach-O");
    expect(liftoff::preflight(command{dir.write("pe", "MZ" + std::string(62, '\0'), 0755)}), "wrong-architecture",
           severity::error, "Windows (PE)");
    expect(liftoff::preflight(command{dir.write("text", "just text\n", 0755)}), "exec-format", severity::error,
           "not a known program format", "add a #! line");
}

TEST_CASE("preflight: an ELF program whose loader is missing") {
    const std::string bytes = test::read_file(test::helper());
    const std::string loader = liftoff::detail::elf_interpreter(bytes.substr(0, 4096));
    if (loader.empty()) {
        MESSAGE("skipped: the helper is linked statically");
        return;
    }
    test::scratch_dir dir;
    std::string patched = bytes;
    std::string fake = "/nonexistent/ld";
    fake.resize(loader.size(), 'x');
    patched.replace(patched.find(loader), loader.size(), fake);
    const auto path = dir.write("foreign", patched, 0755);
    expect(liftoff::preflight(command{path}), "bad-interpreter", severity::error, "needs the loader '" + fake + "'",
           "install its loader");
    // And launching it says the same.
    try {
        liftoff::run(command{path});
        FAIL("it ran");
    } catch (const liftoff::launch_error& e) {
        CHECK(e.code() == liftoff::errc::program_not_found);
        REQUIRE_FALSE(e.findings().empty());
        CHECK(e.findings().front() == "bad-interpreter");
    }
}

#if defined(__linux__)  // Linux-only: mounts a tmpfs (macOS and the BSDs take other mount(2) arguments)
TEST_CASE("preflight: a program on a noexec mount") {
    test::scratch_dir dir;
    const std::string mnt = dir.file("mnt");
    std::filesystem::create_directory(mnt);
    if (::mount("tmpfs", mnt.c_str(), "tmpfs", MS_NOEXEC, "size=64m") != 0) {
        MESSAGE("skipped: cannot mount a noexec tmpfs here (" << std::strerror(errno) << ")");
        return;
    }
    std::filesystem::copy_file(test::helper(), mnt + "/tool");
    ::chmod((mnt + "/tool").c_str(), 0755);
    const auto r = liftoff::preflight(command{mnt + "/tool"});
    ::umount(mnt.c_str());
    expect(r, "noexec-mount", severity::error, "mounted noexec", "remount without noexec");
    CHECK(r.find("not-executable") == nullptr);
}
#endif  // __linux__

TEST_CASE("preflight: the working directory and the argument size") {
    expect(liftoff::preflight(test::helper_cmd({}).cwd("/nonexistent/dir")), "bad-working-directory", severity::error,
           "does not exist");
    expect(liftoff::preflight(test::helper_cmd({std::string(200 * 1024, 'a')})), "arguments-too-long", severity::error,
           "bytes", "stdin or a file");
    expect(liftoff::preflight(test::helper_cmd({std::string("a\0b", 3)})), "invalid-argument", severity::error,
           "NUL byte");
}

TEST_CASE("preflight of a variable named 'A=B': invalid-argument, and no environment entry that misreads it") {
    const auto r = liftoff::preflight(test::helper_cmd({}).env_clear().env("A=B", "1"));
    expect(r, "invalid-argument", severity::error, "'='");
    for (const auto& entry : r.environment)  // (clang 14 cannot capture structured bindings)
        CHECK_MESSAGE(!(entry.first == "A" && entry.second == "B=1"), entry.first << "=" << entry.second);
    CHECK_FALSE(test::contains(r.to_json(), "\"A\": \"B=1\""));
}

TEST_CASE("preflight judges the child's environment, not ours") {
    const auto r = liftoff::preflight(test::helper_cmd({}).env_clear().env("PATH", "/usr/bin").env("LANG", "C"));
    CHECK(r.find("non-utf8-locale") != nullptr);
    CHECK(r.environment.size() == 2);
}

TEST_CASE("a launch_error carries the ids of the findings that explain it, and their remedy") {
    test::scratch_dir dir;
    const auto plain = dir.write("plain", "data", 0600);
    const auto script = dir.write("script", "#!/nonexistent/sh\n", 0755);
    const auto dangling = dir.file("dangling");
    std::filesystem::create_symlink(dir.file("no-such-target"), dangling);
    // A Windows program and a macOS one, each runnable by its mode but not on this system.
    const auto exe = dir.write("tool.exe", std::string("MZ\x90\0", 4) + std::string(124, '\0'), 0755);
    const auto macho =
        dir.write("tool-mac", std::string("\xcf\xfa\xed\xfe\x07\0\0\x01", 8) + std::string(56, '\0'), 0755);
    const auto unknown = dir.write("no-format", "just text, no #! line\n", 0755);
    const auto crlf = dir.write("crlf.sh", "#!/bin/sh\r\necho hi\r\n", 0755);
    const auto arm64 = dir.write("tool-arm64", elf_header(2, 1, 183), 0755);
    const auto not_runnable = dir.write("not-runnable", "data", 0644);
    const auto uses_it = dir.write("uses-it", "#!" + not_runnable + "\n", 0755);
    const std::vector<std::pair<command, std::string>> cases = {
        {command{"liftoff-missing"}.env("PATH", "/usr/bin"), "not-in-path"},
        {command{dir.file("absent")}, "not-found"},
        {command{dangling}, "dangling-symlink"},
        {command{plain}, "not-executable"},
        {command{script}, "bad-interpreter"},
        {command{dir.path()}, "is-directory"},
        {test::helper_cmd({}).cwd(dir.file("absent")), "bad-working-directory"},
        {command{"x", {std::string("\0", 1)}}, "invalid-argument"},
        {command{exe}, "wrong-architecture"},
        {command{macho}, "wrong-architecture"},
        {command{crlf}, "crlf-line-endings"},
        {command{uses_it}, "bad-interpreter"},
#if defined(__x86_64__)
        {command{arm64}, "wrong-architecture"},
#endif
#if defined(__linux__)
        {command{unknown}, "exec-format"},  // no shell fallback: liftoff calls execve, not execvp
#endif
        {command{test::helper(), {std::string(200 * 1024, 'a')}}, "arguments-too-long"},
    };
    (void)unknown;  // a text file without #! runs through the shell's fallback on some systems
    (void)arm64;
    for (const auto& c : cases) {
        try {
            liftoff::run(c.first);
            FAIL("ran: " << c.first.program());
        } catch (const liftoff::launch_error& e) {
            REQUIRE_FALSE(e.findings().empty());
            CHECK_MESSAGE(e.findings().front() == c.second, c.first.program() << ": " << e.what());
            const auto r = liftoff::preflight(c.first);
            const liftoff::finding* same = r.find(c.second);
            REQUIRE_MESSAGE(same != nullptr, c.first.program() << ": preflight has no " << c.second);
            CHECK_MESSAGE(test::contains(e.what(), same->remedy), e.what());
            // One explanation: a cause preflight() finds in the file is the launch error's words.
            if (e.failure().what != same->what && c.second != "not-in-path" && c.second != "invalid-argument" &&
                c.second != "arguments-too-long" && c.second != "bad-working-directory")
                CHECK_MESSAGE(e.failure().what == same->what, e.failure().what << " | " << same->what);
        }
    }
}

namespace {
/// Runs `body` with these variables removed from this process's environment.
template <class F>
void without_env(std::initializer_list<const char*> names, F body) {
    std::vector<std::pair<std::string, std::string>> saved;
    for (const char* n : names)
        if (const char* v = std::getenv(n)) saved.emplace_back(n, v), ::unsetenv(n);
    body();
    for (const auto& kv : saved)
        ::setenv(kv.first.c_str(), kv.second.c_str(), 1);
}
}  // namespace

TEST_CASE("diagnose() says what open_url() would do, or why it cannot") {
    without_env({"DISPLAY", "WAYLAND_DISPLAY", "BROWSER"}, [] {
        const auto r = liftoff::diagnose();
        if (std::count(r.sandbox.begin(), r.sandbox.end(), "wsl")) return;  // WSL opens without a display
        CHECK_MESSAGE(test::contains(r.open_url_plan, "fails: "), r.open_url_plan);
        CHECK(test::contains(r.open_url_plan, "no graphical session"));
        CHECK(r.find("no-display") != nullptr);
    });
    ::setenv("BROWSER", "/bin/true %s", 1);
    const auto r = liftoff::diagnose();
    ::unsetenv("BROWSER");
    CHECK_MESSAGE(test::contains(r.open_url_plan, "https://example.com/"), r.open_url_plan);
}

TEST_CASE("an opener failure carries the findings that explain it: no-display") {
    without_env({"DISPLAY", "WAYLAND_DISPLAY", "BROWSER"}, [] {
        const auto here = liftoff::diagnose();
        if (std::count(here.sandbox.begin(), here.sandbox.end(), "wsl")) return;
        try {
            liftoff::open_url("https://example.com/");
            FAIL("opened without a display");
        } catch (const liftoff::launch_error& e) {
            CHECK(e.code() == liftoff::errc::no_graphical_session);
            REQUIRE_FALSE(e.findings().empty());
            CHECK(e.findings().front() == "no-display");
            CHECK_MESSAGE(liftoff::detail::mentions_remedy(e.what(), here.find("no-display")->remedy), e.what());
            CHECK_FALSE(test::contains(e.what(), "DISPLAY/WAYLAND_DISPLAY)"));  // no second remedy tacked on
        }
    });
}

TEST_CASE("preflight: a script saved with Windows line endings names the carriage return, not the interpreter") {
    test::scratch_dir dir;
    const auto crlf = dir.write("crlf.sh", "#!/bin/sh\r\necho hi\r\n", 0755);
    const auto r = liftoff::preflight(command{crlf});
    expect(r, "crlf-line-endings", severity::error, "looks for the interpreter '/bin/sh\\x0d'",
           "sed -i 's/\\r$//' '" + crlf + "'");
    CHECK(r.find("bad-interpreter") == nullptr);  // /bin/sh exists: the line ending is the whole story
    // The carriage return in the last argument: the interpreter starts and refuses "-e\r".
    const auto with_arg = dir.write("crlf-arg.sh", "#!/bin/sh -e\r\necho hi\r\n", 0755);
    expect(liftoff::preflight(command{with_arg}), "crlf-line-endings", severity::error, "last argument");
    // And the launch says the same, with the same remedy.
    try {
        liftoff::run(command{crlf});
        FAIL("it ran");
    } catch (const liftoff::launch_error& e) {
        CHECK(e.code() == liftoff::errc::program_not_found);
        REQUIRE_FALSE(e.findings().empty());
        CHECK(e.findings().front() == "crlf-line-endings");
        CHECK_MESSAGE(test::contains(e.what(), "carriage return"), e.what());
        CHECK_MESSAGE(test::contains(e.what(), "sed -i"), e.what());
        CHECK_FALSE(test::contains(e.what(), "install the interpreter"));
    }
}

#if defined(LIFTOFF_TEST_NEEDS_LIBRARY)
TEST_CASE("preflight: a shared library the loader does not find (a real program, its library taken away)") {
    test::scratch_dir dir;
    const std::string program = dir.write("needs-library", test::read_file(LIFTOFF_TEST_NEEDS_LIBRARY), 0755);
    const std::string library = "libliftoff_fixture.so.1";
    // meson test sets LD_LIBRARY_PATH to its build directories, where the library is.
    const command bare = command{program}.env_remove("LD_LIBRARY_PATH");
    // Without its library: named, with where the loader looked (its RUNPATH $ORIGIN/lib first).
    auto r = liftoff::preflight(bare);
    expect(r, "library-missing", severity::error, "needs the shared library '" + library + "'", "LD_LIBRARY_PATH");
    CHECK_MESSAGE(test::contains(r.find("library-missing")->what, dir.file("lib")), r.find("library-missing")->what);
    CHECK(r.program->missing_libraries == std::vector<std::string>{library});
    CHECK(test::contains(r.to_json(), "\"missing_libraries\": [\"" + library + "\"]"));
    // It starts (exec succeeds) and the loader ends it with 127.
    const auto died = liftoff::run(bare);
    CHECK(died.status.code() == 127);
    CHECK_MESSAGE(test::contains(died.err, library), died.err);

    // Given by the child's LD_LIBRARY_PATH: found, and it runs.
    std::filesystem::create_directories(dir.file("elsewhere"));
    dir.write("elsewhere/" + library, test::read_file(LIFTOFF_TEST_FIXTURE_LIBRARY), 0755);
    r = liftoff::preflight(command{program}.env("LD_LIBRARY_PATH", dir.file("elsewhere")));
    CHECK_MESSAGE(r.find("library-missing") == nullptr, r.to_text());
    CHECK(liftoff::run(command{program}.env("LD_LIBRARY_PATH", dir.file("elsewhere"))).out == "42\n");

    // Where its RUNPATH says: found.
    std::filesystem::create_directories(dir.file("lib"));
    dir.write("lib/" + library, test::read_file(LIFTOFF_TEST_FIXTURE_LIBRARY), 0755);
    r = liftoff::preflight(bare);
    CHECK_MESSAGE(r.find("library-missing") == nullptr, r.to_text());
    CHECK(liftoff::run(bare).out == "42\n");

    // A library of another machine in its place is passed over, as the loader passes it over.
    dir.write("lib/" + library, elf_header(1, 2, 20), 0755);
    expect(liftoff::preflight(bare), "library-missing", severity::error, library);
}
#endif  // LIFTOFF_TEST_NEEDS_LIBRARY

TEST_CASE("a name that differs only in case, and a Windows-style path: said in preflight and in the launch error") {
    test::scratch_dir dir;
    dir.write("Tool", "#!/bin/sh\necho hi\n", 0755);
    const command by_name = command{"tool"}.env("PATH", dir.path());
    expect(liftoff::preflight(by_name), "not-in-path", severity::error,
           "did you mean 'Tool'? ('" + dir.file("Tool") + "' exists)");
    try {
        liftoff::run(by_name);
        FAIL("it ran");
    } catch (const liftoff::launch_error& e) {
        CHECK(e.code() == liftoff::errc::program_not_found);
        CHECK_MESSAGE(test::contains(e.what(), "did you mean 'Tool'?"), e.what());
    }
    const command by_path{dir.file("tool")};
    expect(liftoff::preflight(by_path), "not-found", severity::error, "did you mean 'Tool'?");
    try {
        liftoff::run(by_path);
        FAIL("it ran");
    } catch (const liftoff::launch_error& e) {
        CHECK_MESSAGE(test::contains(e.what(), "did you mean 'Tool'?"), e.what());
    }
    expect(liftoff::preflight(command{"C:\\Tools\\tool.exe"}), "not-in-path", severity::error,
           "is a Windows-style path: this system separates directories with '/'");
    expect(liftoff::preflight(command{"bin\\tool"}), "not-in-path", severity::error, "Windows-style path");
}

#if defined(LIFTOFF_TEST_NEEDS_LIBRARY)
TEST_CASE("review: a directory named '$ORIGIN' is expanded once (no endless loop), and searched as named") {
    test::scratch_dir dir;
    std::filesystem::create_directories(dir.file("$ORIGIN"));
    const std::string program = dir.write("$ORIGIN/prog", test::read_file(LIFTOFF_TEST_NEEDS_LIBRARY), 0755);
    const auto r = liftoff::preflight(command{program}.env_remove("LD_LIBRARY_PATH"));
    expect(r, "library-missing", severity::error, dir.file("$ORIGIN") + "/lib");
}
#endif  // LIFTOFF_TEST_NEEDS_LIBRARY
