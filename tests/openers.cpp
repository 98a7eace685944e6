// tests/openers.cpp: the openers for real. The real xdg-open (and gio) run in a hermetic XDG
// session (env_clear() + a temp HOME, config and data, a dummy DISPLAY) with a recording
// .desktop handler that writes the argv it received to a file; stub openers provoke each exit
// code; the macOS strategy runs with a recording script in place of /usr/bin/open.
// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include <cstdlib>
#include <map>

#include "support.hpp"

using liftoff::command;
using liftoff::errc;
namespace d = liftoff::detail;
using strings = std::vector<std::string>;

namespace {

std::vector<std::string> split_nul(const std::string& s) {
    strings out;
    std::size_t start = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\0') continue;
        out.push_back(s.substr(start, i - start));
        start = i + 1;
    }
    return out;
}

/// A recording program: writes its arguments, NUL-terminated, to DIR/record (atomically), says
/// DIR/say on stderr if present, sleeps DIR/sleep seconds if present, exits with DIR/exit.
std::string write_recorder(const test::scratch_dir& dir, const std::string& name) {
    const std::string d = dir.path();
    return dir.write(name,
                     "#!/bin/sh\n"
                     "printf '%s\\0' \"$@\" > '" +
                         d + "/record.tmp' && /bin/mv '" + d + "/record.tmp' '" + d +
                         "/record'\n"
                         "[ -f '" +
                         d + "/say' ] && /bin/cat '" + d +
                         "/say' >&2\n"
                         "[ -f '" +
                         d + "/sleep' ] && /bin/sleep \"$(/bin/cat '" + d +
                         "/sleep')\"\n"
                         "[ -f '" +
                         d + "/exit' ] && exit \"$(/bin/cat '" + d +
                         "/exit')\"\n"
                         "exit 0\n",
                     0755);
}

/// The result of one liftoff_open_helper run.
struct outcome {
    bool ok = false;
    int errc_value = 0;
    std::string message;
    std::string out, err;
    mutable std::map<std::string, std::string> fields;
    errc code() const { return static_cast<errc>(errc_value); }
};

/// A hermetic XDG session, as xdg-utils' own tests make one: a temp HOME, config and data
/// directories, empty XDG_DATA_DIRS/XDG_CONFIG_DIRS, XDG_CURRENT_DESKTOP=X-Generic, a dummy
/// DISPLAY, no XDG_RUNTIME_DIR, and recorder.desktop as the handler of http(s), plain text and
/// folders. bin/ comes first in PATH and stubs run-mailcap and mimeopen, which would otherwise
/// be tried for files.
struct xdg_session {
    test::scratch_dir dir;
    std::map<std::string, std::string> vars;
    std::string recorder;

    explicit xdg_session(bool display = true) {
        for (const char* sub : {"home", "config", "data/applications", "bin", "files"})
            std::filesystem::create_directories(dir.file(sub));
        recorder = write_recorder(dir, "recorder.sh");
        dir.write("data/applications/recorder.desktop",
                  "[Desktop Entry]\nType=Application\nName=Recorder\nExec=" + recorder + " %u\n");
        dir.write("config/mimeapps.list",
                  "[Default Applications]\nx-scheme-handler/https=recorder.desktop\n"
                  "x-scheme-handler/http=recorder.desktop\nx-scheme-handler/mailto=recorder.desktop\n"
                  "text/plain=recorder.desktop\ninode/directory=recorder.desktop\ntext/x-shellscript=recorder.desktop\n"
                  "application/x-shellscript=recorder.desktop\n");
        for (const char* stub : {"run-mailcap", "mimeopen"})
            dir.write(std::string("bin/") + stub, "#!/bin/sh\nexit 1\n", 0755);
        vars = {{"HOME", dir.file("home")},
                {"XDG_CONFIG_HOME", dir.file("config")},
                {"XDG_DATA_HOME", dir.file("data")},
                {"XDG_DATA_DIRS", ""},
                {"XDG_CONFIG_DIRS", ""},
                {"XDG_CURRENT_DESKTOP", "X-Generic"},
                {"BROWSER", "/bin/false"},  // xdg-open's last resort fails at once, never a real browser
                {"PATH", dir.file("bin") + ":/usr/bin:/bin"}};
        if (display)
            vars["DISPLAY"] = ":99";
        else
            vars.erase("BROWSER");
        for (const char* keep : {"ASAN_OPTIONS", "UBSAN_OPTIONS", "TSAN_OPTIONS", "LSAN_OPTIONS"})
            if (const char* v = std::getenv(keep)) vars[keep] = v;
    }

    /// Runs liftoff_open_helper with ARGS in this session's environment only.
    outcome helper(const strings& args, const std::string& cwd = {}) const {
        command cmd{LIFTOFF_TEST_OPEN_HELPER, args};
        cmd.env_clear();
        for (const auto& v : vars)
            cmd.env(v.first, v.second);
        if (!cwd.empty()) cmd.cwd(cwd);
        const auto r = liftoff::run(cmd.timeout(std::chrono::seconds(60)));
        outcome o;
        o.out = r.out;
        o.err = r.err;
        o.ok = r.status.success();
        std::size_t pos = 0;
        while (pos < r.out.size()) {
            auto nl = r.out.find('\n', pos);
            if (nl == std::string::npos) nl = r.out.size();
            const std::string line = r.out.substr(pos, nl - pos);
            pos = nl + 1;
            const auto eq = line.find('=');
            if (line.compare(0, 5, "errc=") == 0) o.errc_value = std::atoi(line.c_str() + 5);
            if (line.compare(0, 8, "message=") == 0) o.message = line.substr(8);
            if (eq != std::string::npos) o.fields[line.substr(0, eq)] = line.substr(eq + 1);
        }
        return o;
    }

    std::string record_path() const { return dir.file("record"); }
    bool recorded() const { return std::filesystem::exists(record_path()); }
    strings record() const { return split_nul(test::read_file(record_path())); }
    /// gio does not wait for the handler: poll for its record.
    strings record_eventually() const {
        test::eventually([&] { return recorded(); }, std::chrono::seconds(10));
        return record();
    }
    void forget() const { std::filesystem::remove(record_path()); }
    std::string text_file(const std::string& name) const { return dir.write("files/" + name, "plain text\n"); }
    /// A stub opener in bin/: says `say` on stderr and exits with `code`.
    void stub(const std::string& name, int code, const std::string& say = "") const {
        dir.write("bin/" + name, "#!/bin/sh\nprintf '%s\\n' '" + say + "' >&2\nexit " + std::to_string(code) + "\n",
                  0755);
    }
};

/// Sets environment variables of this test process for one test, and puts them back.
class env_guard {
public:
    void set(const std::string& name, const std::optional<std::string>& value) {
        if (saved_.find(name) == saved_.end()) {
            const char* old = std::getenv(name.c_str());
            saved_[name] = old ? std::optional<std::string>(old) : std::nullopt;
        }
        if (value)
            ::setenv(name.c_str(), value->c_str(), 1);
        else
            ::unsetenv(name.c_str());
    }
    ~env_guard() {
        for (const auto& s : saved_) {
            if (s.second)
                ::setenv(s.first.c_str(), s.second->c_str(), 1);
            else
                ::unsetenv(s.first.c_str());
        }
    }

private:
    std::map<std::string, std::optional<std::string>> saved_;
};

bool have_program(const char* name) {
    return liftoff::find_program(name, "/usr/bin:/bin").has_value();
}

}  // namespace

TEST_CASE("xdg-open: hostile URLs reach the handler as one exact argument") {
    REQUIRE_MESSAGE(have_program("xdg-open"), "install xdg-utils (tools/deps test)");
    xdg_session s;
    for (const std::string url :
         {"https://example.com/?q=a&b=c;$(id)%7Cx", "https://example.com/'quoted'(x)!*,+=$",
          "http://example.com/#frag;%60", "https://user@example.com:8443/a%20b%22c%3Cd%3E?x=%C3%A9",
          "mailto:someone@example.com?subject=%22hi%22&body=;"}) {
        s.forget();
        const auto o = s.helper({"url", url});
        CHECK_MESSAGE(o.ok, o.out << o.err);
        CHECK(s.record() == strings{url});
    }
}

TEST_CASE("xdg-open: hostile file names reach the handler exactly, as absolute paths") {
    REQUIRE(have_program("xdg-open"));
    xdg_session s;
    for (const std::string name :
         {"-leading dash.txt", "--help", "$(id);&|.txt", "quote'\"s.txt", "two  spaces\tand tab.txt",
          "caf\xc3\xa9 \xe6\x96\x87.txt", "back\\slash.txt", "*?[x].txt", "%41 percent.txt"}) {
        const std::string full = s.text_file(name);
        s.forget();
        const auto o = s.helper({"path", name}, s.dir.file("files"));  // relative: made absolute first
        CHECK_MESSAGE(o.ok, name << ": " << o.out << o.err);
        CHECK(s.record() == strings{full});
    }
}

TEST_CASE("xdg-open: no handler is no_handler (exit 3), naming the remedy") {
    REQUIRE(have_program("xdg-open"));
    xdg_session s;
    const auto o = s.helper({"--scheme", "gopher", "url", "gopher://example.com/1"});
    CHECK_FALSE(o.ok);
    CHECK(o.code() == errc::no_handler);
    CHECK(test::contains(o.message, "liftoff: cannot open 'gopher://example.com/1': no application is set to open it"));
    CHECK(test::contains(o.message, "exit 3"));
    CHECK(test::contains(o.message, "xdg-mime default APP.desktop x-scheme-handler/gopher"));
    CHECK_FALSE(s.recorded());
}

TEST_CASE("xdg-open: a handler that fails is opener_failed (exit 4), with what it said") {
    REQUIRE(have_program("xdg-open"));
    xdg_session s;
    s.dir.write("exit", "1");
    s.dir.write("say", "recorder: cannot frobnicate");
    const auto o = s.helper({"url", "https://example.com/"});
    CHECK(o.code() == errc::opener_failed);
    CHECK(test::contains(o.message, "the application xdg-open chose failed (xdg-open exit 4)"));
    CHECK(test::contains(o.message, "(xdg-open said: recorder: cannot frobnicate)"));
    CHECK(s.record() == strings{"https://example.com/"});
}

TEST_CASE("xdg-open: no display is no_graphical_session, and nothing runs") {
    REQUIRE(have_program("xdg-open"));
    xdg_session s(false);
    const auto o = s.helper({"url", "https://example.com/"});
    CHECK(o.code() == errc::no_graphical_session);
    CHECK(test::contains(o.message, "there is no graphical session"));
    CHECK(test::contains(o.message, "run it from a desktop session"));
    const auto p = s.helper({"path", s.text_file("a.txt")});
    CHECK(p.code() == errc::no_graphical_session);
    CHECK_FALSE(s.recorded());
}

TEST_CASE("$BROWSER without a display: the URL as one argument, and the text browser has the terminal till it ends") {
    xdg_session s(false);
    s.vars["BROWSER"] = "liftoff-missing:" + s.recorder + " -dump %s";
    s.dir.write("sleep", "0.3");
    const auto o = s.helper({"--confirm", "50", "url", "https://example.com/?a=1&b=$(id)"});
    CHECK_MESSAGE(o.ok, o.out << o.err);
    CHECK(test::contains(o.out, "ok valid=1 running=0"));  // waited past confirm: it had the terminal
    CHECK(s.record() == strings{"-dump", "https://example.com/?a=1&b=$(id)"});
    s.forget();
    CHECK(s.helper({"url", "mailto:a@b"}).code() == errc::no_graphical_session);  // $BROWSER is for http(s)
    CHECK_FALSE(s.recorded());
}

TEST_CASE("xdg-open's exit codes map to errc, with its message") {
    xdg_session s;
    const std::vector<std::pair<int, errc>> table{{1, errc::invalid_argument},
                                                  {2, errc::target_not_found},
                                                  {3, errc::no_handler},
                                                  {4, errc::opener_failed},
                                                  {5, errc::opener_failed}};
    for (const auto& row : table) {
        s.stub("xdg-open", row.first, "stub said " + std::to_string(row.first));
        const auto o = s.helper({"url", "https://example.com/"});
        CHECK_MESSAGE(o.code() == row.second, row.first << ": " << o.message);
        CHECK(test::contains(o.message, "(xdg-open said: stub said " + std::to_string(row.first) + ")"));
    }
}

TEST_CASE("a missing file is target_not_found naming its absolute path; nothing runs") {
    xdg_session s;
    const auto o = s.helper({"path", "no such.pdf"}, s.dir.file("files"));
    CHECK(o.code() == errc::target_not_found);
    CHECK(test::contains(
        o.message, "liftoff: cannot open 'no such.pdf': '" + s.dir.file("files/no such.pdf") + "' does not exist"));
    CHECK_FALSE(s.recorded());
}

TEST_CASE("programs, scripts and launchers are refused unless allow_executables") {
    REQUIRE(have_program("xdg-open"));
    xdg_session s;
    const std::string script = s.dir.write("files/run.txt", "#!/bin/sh\necho pwned\n", 0755);
    auto o = s.helper({"path", script});
    CHECK(o.code() == errc::refused_executable);
    CHECK(test::contains(o.message, "is a program (it is executable)"));
    CHECK(test::contains(o.message, "allow_executables"));
    // A name that is only an extension is that kind of file too (xdg-open ran these).
    for (const char* launcher :
         {"evil.desktop", "setup.EXE", "x.bat. ", "x.lnk", ".exe", ".exe.", ".bat", ".desktop"}) {
        o = s.helper({"path", s.dir.write(std::string("files/") + launcher, "[Desktop Entry]\n")});
        CHECK_MESSAGE(o.code() == errc::refused_executable, launcher);
        CHECK(test::contains(o.message, "is a program or launcher"));
    }
    std::filesystem::create_symlink(s.dir.file("files/evil.desktop"), s.dir.file("files/innocent.txt"));
    CHECK(s.helper({"path", s.dir.file("files/innocent.txt")}).code() == errc::refused_executable);
    CHECK_FALSE(s.recorded());
    o = s.helper({"--allow-exec", "path", script});
    CHECK_MESSAGE(o.ok, o.out);
    CHECK(s.record() == strings{script});
}

TEST_CASE("xdg-open: an uppercase scheme reaches the registered x-scheme-handler, in lowercase") {
    REQUIRE(have_program("xdg-open"));
    xdg_session s;  // recorder.desktop handles https; $BROWSER (xdg-open's fallback) is /bin/false
    auto o = s.helper({"url", "HTTPS://Example.COM/A?B=C"});
    CHECK_MESSAGE(o.ok, o.out << o.err);
    CHECK(s.record() == strings{"https://Example.COM/A?B=C"});
    s.forget();
    o = s.helper({"url", "MAILTO:Someone@Example.COM"});
    CHECK_MESSAGE(o.ok, o.out << o.err);
    CHECK(s.record() == strings{"mailto:Someone@Example.COM"});
}

TEST_CASE("mailto: attach= is refused before anything runs, unless allow_mail_attachments") {
    REQUIRE(have_program("xdg-open"));
    xdg_session s;
    const std::string url = "mailto:a@example.com?subject=hi&%41ttachment=/etc/passwd";
    auto o = s.helper({"url", url});
    CHECK(o.code() == errc::unsafe_url);
    CHECK(test::contains(o.message, "liftoff: cannot open '" + url + "': it asks the mail client to attach a file"));
    CHECK(test::contains(o.message, "allow_mail_attachments"));
    o = s.helper({"--plan", "url", url});
    CHECK(o.code() == errc::unsafe_url);
    CHECK_FALSE(s.recorded());
    o = s.helper({"--allow-attach", "url", url});
    CHECK_MESSAGE(o.ok, o.out << o.err);
    CHECK(s.record() == strings{url});
}

TEST_CASE("unsafe URLs are refused before anything runs, through both overloads") {
    xdg_session s;
    auto o = s.helper({"url", "https://example.com/a b"});
    CHECK(o.code() == errc::unsafe_url);
    CHECK(test::contains(o.message, "a space at position 22"));
    o = s.helper({"--plan", "url", "--version"});
    CHECK(o.code() == errc::unsafe_url);
    CHECK_FALSE(s.recorded());
    std::error_code ec;
    auto c = liftoff::open_url("javascript:alert(1)", {}, ec);
    CHECK(ec == errc::unsafe_url);
    CHECK_FALSE(c.valid());
    c = liftoff::open_path("/nonexistent/liftoff", {}, ec);
    CHECK(ec == errc::target_not_found);
    CHECK_THROWS_AS(liftoff::open_with("", {}), liftoff::launch_error);
}

TEST_CASE("gio open: hostile URLs and file names reach the handler exactly (polled: gio does not wait)") {
    if (!have_program("gio")) {
        MESSAGE("skipped: gio is not installed (libglib2.0-bin)");
        return;
    }
    xdg_session s;
    std::filesystem::create_symlink(*liftoff::find_program("gio", "/usr/bin:/bin"), s.dir.file("bin/gio"));
    s.vars["PATH"] = s.dir.file("bin");  // gio, and no xdg-open
    const std::string url = "https://example.com/?q=a&b=c;$(id)'\"";
    auto o = s.helper({"--plan", "url", url.substr(0, url.size() - 2)});
    CHECK(o.fields["opener"] == "gio");
    o = s.helper({"url", "https://example.com/?q=a&b=c;$(id)"});
    CHECK_MESSAGE(o.ok, o.out << o.err);
    CHECK(s.record_eventually() == strings{"https://example.com/?q=a&b=c;$(id)"});
    for (const std::string name : {"-dash $(id) 'q'.txt", "new\nline.txt"}) {
        const std::string full = s.text_file(name);
        s.forget();
        o = s.helper({"path", full});
        CHECK_MESSAGE(o.ok, o.out << o.err);
        CHECK(s.record_eventually() == strings{full});
    }
}

TEST_CASE("gio open: no handler is no_handler, with gio's message") {
    if (!have_program("gio")) {
        MESSAGE("skipped: gio is not installed (libglib2.0-bin)");
        return;
    }
    xdg_session s;
    std::filesystem::create_symlink(*liftoff::find_program("gio", "/usr/bin:/bin"), s.dir.file("bin/gio"));
    s.vars["PATH"] = s.dir.file("bin");
    const auto o = s.helper({"--scheme", "gopher", "url", "gopher://example.com/"});
    CHECK(o.code() == errc::no_handler);
    CHECK(test::contains(o.message, "(gio said: "));
    CHECK(test::contains(o.message, "gio mime x-scheme-handler/gopher APP.desktop"));
}

TEST_CASE("a file name with a newline goes through gio, or is refused: xdg-open cannot pass it on") {
    REQUIRE(have_program("xdg-open"));
    xdg_session s;
    const std::string full = s.text_file("new\nline.txt");
    s.vars["PATH"] = s.dir.file("bin");  // no gio
    std::filesystem::create_symlink(*liftoff::find_program("xdg-open", "/usr/bin:/bin"), s.dir.file("bin/xdg-open"));
    const auto o = s.helper({"path", full});
    CHECK(o.code() == errc::unsupported);
    CHECK(test::contains(o.message, "xdg-open cannot pass on a file name with a newline"));
}

TEST_CASE("open_with: a desktop id in a sub-directory, its Exec and field codes, app_args before the targets") {
    xdg_session s;
    std::filesystem::create_directories(s.dir.file("data/applications/vendor"));
    s.dir.write("data/applications/vendor/tool.desktop",
                "[Desktop Entry]\nType=Application\nName=Tool\nIcon=tool-icon\nExec=" + s.recorder +
                    " --flag \"quoted \\\\$arg\" %i %U\n");
    const std::string a = s.text_file("a b.txt"), b = s.text_file("-c.txt");
    auto o = s.helper({"--app-arg", "--new", "with", "vendor-tool", "a b.txt", "-c.txt", "https://example.com/?x=1;y"},
                      s.dir.file("files"));
    CHECK_MESSAGE(o.ok, o.out << o.err);
    CHECK(s.record() ==
          strings{"--flag", "quoted $arg", "--icon", "tool-icon", "--new", a, b, "https://example.com/?x=1;y"});
    o = s.helper({"--plan", "with", "vendor-tool.desktop", a});
    CHECK(o.fields["opener"] == "desktop entry");
    CHECK(o.fields["program"] == std::to_string(s.recorder.size()) + ":" + s.recorder);
}

TEST_CASE("open_with: %f with several targets launches once for each") {
    xdg_session s;
    s.dir.write("data/applications/one.desktop",
                "[Desktop Entry]\nType=Application\nName=One\nExec=" + s.recorder + " %f\n");
    const std::string a = s.text_file("a.txt"), b = s.text_file("b.txt");
    const auto o = s.helper({"--plan", "with", "one", a, b});
    CHECK(test::contains(o.fields["description"], s.recorder + " " + a + "; then: " + s.recorder + " " + b));
}

TEST_CASE("open_with: TryExec missing, Terminal=true, a URL for a files-only app, an unknown app") {
    xdg_session s;
    s.dir.write("data/applications/gone.desktop",
                "[Desktop Entry]\nType=Application\nName=Gone\nTryExec=liftoff-not-installed\nExec=gone %f\n");
    s.dir.write("data/applications/term.desktop",
                "[Desktop Entry]\nType=Application\nName=Term\nTerminal=true\nExec=" + s.recorder + " %f\n");
    s.dir.write("data/applications/files.desktop",
                "[Desktop Entry]\nType=Application\nName=Files\nExec=" + s.recorder + " %F\n");
    auto o = s.helper({"with", "gone", "https://example.com/"});
    CHECK(o.code() == errc::application_not_found);
    CHECK(test::contains(o.message,
                         "liftoff: cannot open 'https://example.com/' with 'gone': its program "
                         "'liftoff-not-installed' (TryExec of"));
    o = s.helper({"with", "term.desktop"});
    CHECK(o.code() == errc::unsupported);
    CHECK(test::contains(o.message, "runs in a terminal (Terminal=true)"));
    o = s.helper({"with", "files", "https://example.com/"});
    CHECK(o.code() == errc::unsupported);
    CHECK(test::contains(o.message, "takes local files (%F), not URLs"));
    o = s.helper({"with", "liftoff-no-such-app", "https://example.com/"});
    CHECK(o.code() == errc::application_not_found);
    CHECK(test::contains(
        o.message, "is neither a desktop entry (no liftoff-no-such-app.desktop in " + s.dir.file("data/applications")));
    CHECK(test::contains(o.message, "nor a program in PATH"));
    o = s.helper({"with", "nothing.desktop"});
    CHECK(o.code() == errc::application_not_found);
    CHECK_FALSE(s.recorded());
}

TEST_CASE("open_with: an Exec that begins with a field code is refused, naming the entry and its Exec") {
    xdg_session s;
    // The user's file would have run as the program (Exec=%F), or argv would be empty (%f, %i
    // with no target or icon) and plan_open_with, noexcept, took its front().
    const std::string script =
        s.dir.write("files/doc.txt", "#!/bin/sh\necho ran > '" + s.dir.file("record") + "'\n", 0755);
    for (const char* exec : {"%F", "%f", "%i %u", "%c"}) {
        const std::string file =
            s.dir.write("data/applications/bad.desktop",
                        "[Desktop Entry]\nType=Application\nName=Bad\nExec=" + std::string(exec) + "\n");
        for (const bool plan : {true, false}) {
            strings args{"with", "bad", script};
            if (plan) args.insert(args.begin(), "--plan");
            auto o = s.helper(args);
            CHECK_MESSAGE(o.code() == errc::invalid_argument, exec << " " << o.out << o.err);
            CHECK(test::contains(o.message, "the Exec line of '" + file + "' (Exec=" + exec + ") is invalid"));
            CHECK(test::contains(o.message, "where the program belongs"));
            CHECK(test::contains(o.message, "fix the desktop entry (nothing was run)"));
        }
        const auto o = s.helper({"--plan", "with", "bad"});  // no target at all
        CHECK_MESSAGE(o.code() == errc::invalid_argument, exec << " " << o.out << o.err);
    }
    CHECK_FALSE(s.recorded());
}

TEST_CASE("open_with: a field code inside a quoted argument is refused: no target inside an sh -c string") {
    xdg_session s;
    const std::string marker = s.dir.file("record");
    const std::string file =
        s.dir.write("data/applications/shell.desktop",
                    "[Desktop Entry]\nType=Application\nName=Shell\nExec=sh -c \"echo >'" + marker + "' \"%u\n");
    for (const char* verb : {"--plan", "--wait"}) {
        const auto o = s.helper({verb, "with", "shell", "https://example.com/;touch$IFS" + marker});
        CHECK(o.code() == errc::invalid_argument);
        CHECK(test::contains(o.message, "the Exec line of '" + file + "' (Exec=sh -c \"echo >'" + marker));
        CHECK(test::contains(o.message, "the field code %u is inside a quoted argument"));
        CHECK(test::contains(o.message, "fix the desktop entry (nothing was run)"));
    }
    CHECK_FALSE(s.recorded());
}

TEST_CASE("open_with: a program in PATH or a path runs directly, targets one argument each") {
    xdg_session s;
    std::filesystem::copy_file(s.recorder, s.dir.file("bin/liftoff-rec"));  // no desktop entry of that name
    const std::string a = s.text_file("x;y.txt");
    auto o = s.helper({"--app-arg", "-v", "with", "liftoff-rec", "x;y.txt", "mailto:a@b"}, s.dir.file("files"));
    CHECK_MESSAGE(o.ok, o.out << o.err);
    CHECK(s.record() == strings{"-v", a, "mailto:a@b"});
    s.forget();
    o = s.helper({"with", s.recorder, a});
    CHECK(s.record() == strings{a});
    s.dir.write("exit", "3");
    s.dir.write("say", "no thanks");
    o = s.helper({"with", "liftoff-rec", a});
    CHECK(o.code() == errc::opener_failed);
    CHECK(test::contains(o.message,
                         "with 'liftoff-rec': 'liftoff-rec' exited with code 3 at once (liftoff-rec said: no thanks)"));
}

TEST_CASE("reveal: without a session bus, the folder is opened") {
    REQUIRE(have_program("xdg-open"));
    xdg_session s;
    const std::string a = s.text_file("a.txt");
    const auto o = s.helper({"reveal", a});
    CHECK_MESSAGE(o.ok, o.out << o.err);
    CHECK(s.record() == strings{s.dir.file("files")});
}

TEST_CASE("reveal: ShowItems through gdbus; when no file manager answers, the folder instead") {
    REQUIRE(have_program("xdg-open"));
    xdg_session s;
    s.vars["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=" + s.dir.file("no-bus");
    const std::string a = s.text_file("it's here.txt");
    std::filesystem::copy_file(s.recorder, s.dir.file("bin/gdbus"));
    auto o = s.helper({"reveal", a});
    CHECK_MESSAGE(o.ok, o.out << o.err);
    CHECK(s.record() == strings{"call", "--session", "--dest", "org.freedesktop.FileManager1", "--object-path",
                                "/org/freedesktop/FileManager1", "--method", "org.freedesktop.FileManager1.ShowItems",
                                "['" + d::file_uri(a) + "']", "''"});
    s.stub("gdbus", 1, "Error: GDBus.Error:org.freedesktop.DBus.Error.ServiceUnknown");
    s.forget();
    o = s.helper({"reveal", a});
    CHECK_MESSAGE(o.ok, o.out << o.err);
    CHECK(s.record() == strings{s.dir.file("files")});
}

TEST_CASE("an opener still running after confirm counts as launched; released, it leaves no zombie") {
    xdg_session s;
    env_guard env;
    env.set("DISPLAY", std::string(":99"));
    env.set("PATH", s.dir.file("bin"));
    env.set("WAYLAND_DISPLAY", std::nullopt);
    s.dir.write("bin/xdg-open", "#!/bin/sh\n/bin/sleep 3\nexit 0\n", 0755);
    const auto start = std::chrono::steady_clock::now();
    liftoff::open_options opts;
    opts.confirm = std::chrono::milliseconds(100);
    {
        auto c = liftoff::open_url("https://example.com/", opts);
        CHECK(c.valid());
        CHECK(c.running());
        CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(2500));
    }  // on_destroy is release
    CHECK(test::reaper_idle());
    opts.confirm = std::chrono::milliseconds(0);
    auto c = liftoff::open_url("https://example.com/", opts);
    CHECK(c.running());
    c.release();
    opts.wait = true;
    s.dir.write("bin/xdg-open", "#!/bin/sh\n/bin/sleep 0.3\nexit 3\n", 0755);
    std::error_code ec;
    c = liftoff::open_url("https://example.com/", opts, ec);
    CHECK(ec == errc::no_handler);  // waited past any confirm time for the verdict
    CHECK(test::reaper_idle());
}

TEST_CASE("an application an exited opener left behind can still write to stderr: no SIGPIPE") {
    xdg_session s;
    env_guard env;
    env.set("DISPLAY", std::string(":99"));
    env.set("PATH", s.dir.file("bin"));
    const std::string marker = s.dir.file("survived");
    // Like gio: start the application in the background and exit at once; the application
    // inherited the opener's stderr and writes to it later.
    s.dir.write("bin/xdg-open",
                "#!/bin/sh\n(/bin/sleep 0.6; i=0; while [ $i -lt 200 ]; do echo late output $i >&2; i=$((i+1)); done; "
                "echo ok > '" +
                    marker + "') &\nexit 0\n",
                0755);
    auto c = liftoff::open_url("https://example.com/");
    CHECK(c.valid());
    CHECK_FALSE(c.running());
    CHECK(test::eventually([&] { return std::filesystem::exists(marker); }, std::chrono::seconds(10)));
    CHECK(test::reaper_idle());
}

// ---- open_options::fallback_apps ----------------------------------------------------------
// Counterparts of Python's webbrowser.open(), which tries each registered browser in order
// (_tryorder), and npm open's `app: {name: [...]}` ("the first that works is used").

TEST_CASE("fallback_apps: no opener, the first fallback missing, the second (a recording stand-in) gets the target") {
    xdg_session s;
    s.vars["PATH"] = s.dir.file("bin");  // no xdg-open, gio or kde-open: no_opener
    s.vars.erase("BROWSER");
    std::filesystem::copy_file(s.recorder, s.dir.file("bin/liftoff-rec"));
    const std::string url = "https://example.com/?q=a&b=$(id)";
    const strings fallbacks{"--fallback", "liftoff-no-such-app", "--fallback", "liftoff-rec"};
    auto with = [&](strings args) {
        args.insert(args.begin(), fallbacks.begin(), fallbacks.end());
        return args;
    };
    auto o = s.helper(with({"url", url}));
    CHECK_MESSAGE(o.ok, o.out << o.err);
    CHECK(s.record() == strings{url});
    s.forget();
    const std::string a = s.text_file("-a b.txt");
    o = s.helper(with({"path", "-a b.txt"}), s.dir.file("files"));  // made absolute before any attempt
    CHECK_MESSAGE(o.ok, o.out << o.err);
    CHECK(s.record() == strings{a});
    s.forget();
    // The plan: the first fallback that has a route, and every one in words.
    o = s.helper(with({"--plan", "url", url}));
    const std::string rec = s.dir.file("bin/liftoff-rec");
    CHECK_MESSAGE(o.fields["opener"] == "program", o.out);
    CHECK(o.fields["program"] == std::to_string(rec.size()) + ":" + rec);
    CHECK(test::contains(o.fields["description"], "no default handler (no opener program was found"));
    CHECK(test::contains(o.fields["description"], "fallback_apps in order: 'liftoff-no-such-app' (not usable: "));
    CHECK(test::contains(o.fields["description"], ", else 'liftoff-rec' (" + rec + " '" + url + "')"));
    CHECK_FALSE(s.recorded());
}

TEST_CASE("fallback_apps: when every one fails, the default handler's error names each and why") {
    xdg_session s;
    s.vars["PATH"] = s.dir.file("bin");
    s.vars.erase("BROWSER");
    const std::string gone = s.dir.file("gone/liftoff-none-2");
    for (const char* plan : {"", "--plan"}) {
        strings args{"--fallback", "liftoff-none-1", "--fallback", gone, "url", "https://example.com/"};
        if (*plan) args.insert(args.begin(), plan);
        const auto o = s.helper(args);
        CHECK(o.code() == errc::no_opener);
        CHECK(test::contains(o.message, "liftoff: cannot open 'https://example.com/': no opener program was found"));
        CHECK_MESSAGE(test::contains(o.message,
                                     "; and every fallback application failed: 'liftoff-none-1': "
                                     "'liftoff-none-1' is neither a desktop entry"),
                      o.message);
        CHECK(test::contains(o.message, "; '" + gone + "': '" + gone + "' does not exist"));
    }
    // The failure keeps the default's findings (this process's own session, as the helper's).
    env_guard env;
    env.set("DISPLAY", std::string(":99"));
    env.set("WAYLAND_DISPLAY", std::nullopt);
    env.set("BROWSER", std::nullopt);
    env.set("PATH", s.dir.file("bin"));
    liftoff::open_options opts;
    liftoff::failure alone, f;
    liftoff::open_url("https://example.com/", opts, alone);
    opts.fallback_apps = {"liftoff-none-1"};
    const auto c = liftoff::open_url("https://example.com/", opts, f);
    CHECK_FALSE(c.valid());
    CHECK(f.code == errc::no_opener);
    CHECK(f.findings == alone.findings);
    CHECK(test::contains(f.what, "'liftoff-none-1': 'liftoff-none-1' is neither"));
}

TEST_CASE("fallback_apps: a working default handler touches none; no_handler and opener_failed use them") {
    REQUIRE(have_program("xdg-open"));
    xdg_session s;
    const std::string ran = s.dir.file("fallback-ran");
    s.dir.write("bin/liftoff-marker", "#!/bin/sh\necho ran > '" + ran + "'\n", 0755);
    std::filesystem::copy_file(s.recorder, s.dir.file("bin/liftoff-rec"));
    const std::string url = "https://example.com/?x=1";
    auto o = s.helper({"--fallback", "liftoff-marker", "url", url});
    CHECK_MESSAGE(o.ok, o.out << o.err);
    CHECK(s.record() == strings{url});  // the default handler, recorder.desktop through xdg-open
    CHECK_FALSE(std::filesystem::exists(ran));
    o = s.helper({"--plan", "--fallback", "liftoff-marker", "url", url});
    CHECK(o.fields["opener"] == "xdg-open");
    CHECK(test::contains(o.fields["description"], "; if that fails, fallback_apps in order: 'liftoff-marker' (" +
                                                      s.dir.file("bin/liftoff-marker") + " '" + url + "')"));
    for (const int code : {3, 4}) {  // no_handler, opener_failed
        s.stub("xdg-open", code, "stub said no");
        s.forget();
        o = s.helper({"--fallback", "liftoff-rec", "url", url});
        CHECK_MESSAGE(o.ok, code << ": " << o.out << o.err);
        CHECK(s.record() == strings{url});
    }
}

TEST_CASE("fallback_apps: never after a refused target, xdg-open's own refusals, or with no graphical session") {
    xdg_session s;
    std::filesystem::copy_file(s.recorder, s.dir.file("bin/liftoff-rec"));
    const strings fb{"--fallback", "liftoff-rec"};
    auto run = [&](strings args, const std::string& cwd = {}) {
        args.insert(args.begin(), fb.begin(), fb.end());
        return s.helper(args, cwd);
    };
    for (const auto& row :
         std::vector<std::pair<int, errc>>{{1, errc::invalid_argument}, {2, errc::target_not_found}}) {
        s.stub("xdg-open", row.first, "stub");
        CHECK(run({"url", "https://example.com/"}).code() == row.second);
    }
    CHECK(run({"url", "https://example.com/a b"}).code() == errc::unsafe_url);
    CHECK(run({"url", "javascript:alert(1)"}).code() == errc::unsafe_url);
    CHECK(run({"url", "mailto:a@b?attach=/etc/passwd"}).code() == errc::unsafe_url);
    CHECK(run({"path", "no such.txt"}, s.dir.file("files")).code() == errc::target_not_found);
    const std::string script = s.dir.write("files/run.txt", "#!/bin/sh\necho pwned\n", 0755);
    CHECK(run({"path", script}).code() == errc::refused_executable);
    xdg_session bare(false);  // no display
    std::filesystem::copy_file(s.recorder, bare.dir.file("bin/liftoff-rec"));
    CHECK(bare.helper({"--fallback", "liftoff-rec", "url", "https://example.com/"}).code() ==
          errc::no_graphical_session);
    CHECK_FALSE(s.recorded());
    CHECK_FALSE(bare.recorded());
}

TEST_CASE("fallback_apps: each name is checked as open_with checks its application, before anything runs") {
    xdg_session s;  // the default handler would record: it must not run either
    for (const std::string bad : {"-x", "--help", "%u", "fire%PATH%fox", "a\nb", ""}) {
        for (const char* plan : {"", "--plan"}) {
            strings args{"--fallback", "liftoff-rec", "--fallback", bad, "url", "https://example.com/"};
            if (*plan) args.insert(args.begin(), plan);
            const auto o = s.helper(args);
            CHECK_MESSAGE(o.code() == errc::invalid_argument, bad << ": " << o.out << o.err);
            CHECK(test::contains(o.message, "a fallback_apps entry"));
            CHECK(test::contains(o.message, "(nothing was run)"));
        }
    }
    auto o = s.helper({"with", "-x", "https://example.com/"});
    CHECK(o.code() == errc::invalid_argument);
    CHECK(test::contains(o.message, "the application name '-x' begins with '-', so it would read as an option"));
    o = s.helper({"with", "%U", "https://example.com/"});
    CHECK(o.code() == errc::invalid_argument);
    CHECK_FALSE(s.recorded());
}

// ---- the macOS strategy, with a recording script in place of /usr/bin/open ----------------

namespace {

std::string& mac_tool() {
    static std::string path;
    return path;
}
struct recording_open {
    static std::string path() { return mac_tool(); }
};
struct mac_on_linux : liftoff::detail::native_platform {
    using opener = d::darwin_opener<recording_open>;
};

struct mac_session {
    test::scratch_dir dir;
    mac_session() { mac_tool() = write_recorder(dir, "open"); }
    ~mac_session() { mac_tool().clear(); }
    strings record() const { return split_nul(test::read_file(dir.file("record"))); }
};

}  // namespace

TEST_CASE("macOS: open(1)'s argv for every option, by absolute path") {
    mac_session m;
    const std::string doc = m.dir.write("report .pdf", "%PDF");
    liftoff::open_options o;
    const std::string url = "https://example.com/?a=1&b=$(x)";
    auto p = test::on<mac_on_linux>::plan_open_url(url, o);
    REQUIRE(p.launch);
    CHECK(p.launch->program() == mac_tool());
    CHECK(p.launch->arguments() == strings{url});
    CHECK(p.opener == "open");
    o.wait = o.background = o.new_instance = true;
    CHECK(test::on<mac_on_linux>::plan_open_url(url, o).launch->arguments() == strings{"-W", "-g", "-n", url});
    CHECK(test::on<mac_on_linux>::plan_open_path(doc, o).launch->arguments() == strings{"-W", "-g", "-n", doc});
    CHECK(test::on<mac_on_linux>::plan_reveal(doc, o).launch->arguments() == strings{"-R", "-g", doc});
    o = {};
    CHECK(test::on<mac_on_linux>::plan_reveal(doc, o).launch->arguments() == strings{"-R", doc});
    o.app_args = {"--profile", "x y"};
    CHECK(test::on<mac_on_linux>::plan_open_with("TextEdit", {doc}, o).launch->arguments() ==
          strings{"-a", "TextEdit", doc, "--args", "--profile", "x y"});
    o.app_args.clear();
    CHECK(test::on<mac_on_linux>::plan_open_with("com.apple.TextEdit", {doc, url}, o).launch->arguments() ==
          strings{"-b", "com.apple.TextEdit", doc, url});
    CHECK(test::on<mac_on_linux>::plan_open_with("Visual Studio Code", {}, o).launch->arguments() ==
          strings{"-a", "Visual Studio Code"});
    CHECK(test::on<mac_on_linux>::plan_open_with("/Applications/Safari.app", {url}, o).launch->arguments() ==
          strings{"-a", "/Applications/Safari.app", url});
    o.new_instance = true;
    CHECK(test::on<mac_on_linux>::plan_open_with("Safari.app", {url}, o).launch->arguments() ==
          strings{"-a", "Safari.app", "-n", url});
}

TEST_CASE("macOS: the recording open(1) receives exactly the planned argv") {
    mac_session m;
    const std::string doc = m.dir.write("-x $(id).txt", "text");
    liftoff::open_options o;
    o.app_args = {"-a", "b c"};
    auto c = test::on<mac_on_linux>::open_with("com.apple.TextEdit", {doc}, o);
    CHECK(m.record() == strings{"-b", "com.apple.TextEdit", doc, "--args", "-a", "b c"});
    c = test::on<mac_on_linux>::reveal(doc);
    CHECK(m.record() == strings{"-R", doc});
}

TEST_CASE("macOS: LaunchServices errors map to errc") {
    mac_session m;
    m.dir.write("exit", "1");
    struct row {
        std::string say;
        bool with;
        errc code;
    };
    const std::vector<row> rows{
        {"Unable to find application named 'Nope'", true, errc::application_not_found},
        {"LSOpenURLsWithRole() failed with error -10814 for the file /x.", true, errc::application_not_found},
        {"No application knows how to open URL gopher://x (Error Domain=NSOSStatusErrorDomain Code=-10814)", false,
         errc::no_handler},
        {"The file /Users/me/x does not exist.", false, errc::target_not_found},
        {"LSOpenURLsWithRole() failed with error -600", false, errc::opener_failed},
    };
    for (const auto& r : rows) {
        m.dir.write("say", r.say);
        std::error_code ec;
        try {
            if (r.with)
                test::on<mac_on_linux>::open_with("Nope", {"https://example.com/"});
            else
                test::on<mac_on_linux>::open_url("https://example.com/");
            FAIL("no launch_error for " << r.say);
        } catch (const liftoff::launch_error& e) {
            CHECK_MESSAGE(e.code() == r.code, r.say << " -> " << e.what());
            CHECK(test::contains(e.what(), "(open said: " + r.say + ")"));
            CHECK(test::contains(e.what(), "liftoff: cannot open 'https://example.com/'"));
        }
    }
}

TEST_CASE("macOS: a missing /usr/bin/open is no_opener") {
    mac_session m;
    mac_tool() = m.dir.file("missing/open");
    std::error_code ec;
    test::on<mac_on_linux>::plan_open_url("https://example.com/", {}, ec);
    CHECK(ec == errc::no_opener);
}

TEST_CASE("macOS: fallback_apps go through open -a, in order, only when the default handler fails") {
    mac_session m;
    const std::string d = m.dir.path();
    // Logs each call as [arg][arg]...; `open -a Nope` finds no application; the default (no -a)
    // finds no handler while DIR/default-fails exists.
    mac_tool() =
        m.dir.write("open-logging",
                    "#!/bin/sh\nline=''\nfor a in \"$@\"; do line=\"$line[$a]\"; done\n"
                    "printf '%s\\n' \"$line\" >> '" +
                        d +
                        "/calls'\n"
                        "if [ \"$1\" = -a ]; then\n"
                        "  [ \"$2\" = Nope ] && { echo \"Unable to find application named 'Nope'\" >&2; exit 1; }\n"
                        "  exit 0\nfi\n"
                        "[ -f '" +
                        d +
                        "/default-fails' ] && { echo 'No application knows how to open URL (-10814)' >&2; "
                        "exit 1; }\nexit 0\n",
                    0755);
    const std::string calls = m.dir.file("calls");
    auto take_calls = [&] {
        const std::string c = std::filesystem::exists(calls) ? test::read_file(calls) : std::string();
        std::filesystem::remove(calls);
        return c;
    };
    const std::string url = "https://example.com/?a=1&b=$(x)";
    liftoff::open_options o;
    o.fallback_apps = {"Nope", "Firefox"};
    test::on<mac_on_linux>::open_url(url, o);  // the default works: no fallback touched
    CHECK(take_calls() == "[" + url + "]\n");
    m.dir.write("default-fails", "");
    test::on<mac_on_linux>::open_url(url, o);
    CHECK(take_calls() == "[" + url + "]\n[-a][Nope][" + url + "]\n[-a][Firefox][" + url + "]\n");
    const auto p = test::on<mac_on_linux>::plan_open_url(url, o);
    CHECK(p.opener == "open");
    CHECK(p.description == mac_tool() + " '" + url + "'; if that fails, fallback_apps in order: 'Nope' (" + mac_tool() +
                               " -a Nope '" + url + "'), else 'Firefox' (" + mac_tool() + " -a Firefox '" + url + "')");
    o.fallback_apps = {"Nope"};
    try {
        test::on<mac_on_linux>::open_url(url, o);
        FAIL("no launch_error");
    } catch (const liftoff::launch_error& e) {
        CHECK(e.code() == errc::no_handler);
        CHECK(test::contains(e.what(), "no application is set to open it (open said: No application knows"));
        CHECK(test::contains(e.what(),
                             "; and every fallback application failed: 'Nope': open(1) found no such "
                             "application (open said: Unable to find application named 'Nope')"));
    }
    take_calls();
    o.fallback_apps = {"-x"};
    std::error_code ec;
    test::on<mac_on_linux>::plan_open_url(url, o, ec);
    CHECK(ec == errc::invalid_argument);
    o.fallback_apps = {"Firefox"};
    test::on<mac_on_linux>::plan_open_url("https://example.com/a b", o, ec);
    CHECK(ec == errc::unsafe_url);
    CHECK_THROWS_AS(test::on<mac_on_linux>::open_url("https://example.com/a b", o), liftoff::launch_error);
    CHECK(take_calls().empty());  // nothing ran for a refused URL or a refused name
    mac_tool() = m.dir.file("missing/open");
    try {
        test::on<mac_on_linux>::open_url(url, o);
        FAIL("no launch_error");
    } catch (const liftoff::launch_error& e) {
        CHECK(e.code() == errc::no_opener);
        CHECK(test::contains(e.what(), "'Firefox': the opener '" + mac_tool() + "' is missing"));
    }
}

// ---- the `liftoff` demo's open, open-with and reveal ----------------------------------------

#if defined(LIFTOFF_TEST_DEMO)
TEST_CASE("liftoff open/open-with/reveal --dry-run print the plan; open opens through the real xdg-open") {
    REQUIRE(have_program("xdg-open"));
    xdg_session s;
    auto demo = [&](const strings& args, const std::string& cwd = {}) {
        command cmd{LIFTOFF_TEST_DEMO, args};
        cmd.env_clear();
        for (const auto& v : s.vars)
            cmd.env(v.first, v.second);
        if (!cwd.empty()) cmd.cwd(cwd);
        return liftoff::run(cmd.timeout(std::chrono::seconds(60)));
    };
    const std::string xdg_open = liftoff::find_program("xdg-open", s.vars["PATH"])->string();
    auto r = demo({"open", "--dry-run", "https://example.com/?a=1&b=2"});
    CHECK(r.status.code() == 0);
    CHECK(r.out == "opener: xdg-open\nwould run: " + xdg_open + " 'https://example.com/?a=1&b=2'\nargv[0]: " +
                       xdg_open + "\nargv[1]: https://example.com/?a=1&b=2\n");
    CHECK_FALSE(s.recorded());
    const std::string a = s.text_file("a b.txt");
    r = demo({"open", "--dry-run", "a b.txt"}, s.dir.file("files"));
    CHECK(test::contains(r.out, "argv[1]: " + a + "\n"));
    r = demo({"reveal", "--dry-run", a});
    CHECK(test::contains(r.out, "argv[1]: " + s.dir.file("files") + "\n"));
    r = demo({"open-with", "--dry-run", "--arg", "--new", "recorder", a});
    CHECK(test::contains(r.out, "opener: desktop entry\n"));
    CHECK(test::contains(r.out, "argv[1]: --new\nargv[2]: " + a + "\n"));
    CHECK_FALSE(s.recorded());
    r = demo({"open", "https://example.com/?q=$(id)"});
    CHECK_MESSAGE(r.status.code() == 0, r.err);
    CHECK(s.record() == strings{"https://example.com/?q=$(id)"});
    r = demo({"open", "https://example.com/a b"});
    CHECK(r.status.code() == 1);
    CHECK(test::contains(r.err, "liftoff: cannot open 'https://example.com/a b': a space at position 22"));
    r = demo({"open"});
    CHECK(r.status.code() == 2);
}
#endif  // LIFTOFF_TEST_DEMO
