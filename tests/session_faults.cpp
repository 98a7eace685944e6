// tests/session_faults.cpp: issue 15's session faults, each provoked for real: a DISPLAY and a
// WAYLAND_DISPLAY nothing answers on (then a socket the test listens on, which makes the finding
// go), XDG_RUNTIME_DIR missing, someone else's or not 0700, PATH written for Windows or with a
// literal ~, a D-Bus address to a socket nobody listens on; and names that are not UTF-8 (real
// files named in GBK and Shift_JIS bytes), shown losslessly in text and JSON.
// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstring>

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

/// The finding `id`, checked: its severity, that what was found names `value`, that there is a
/// remedy (containing `in_remedy`).
void expect(const liftoff::report& r, const std::string& id, severity s, const std::string& value,
            const std::string& in_remedy = "") {
    const liftoff::finding* f = r.find(id);
    REQUIRE_MESSAGE(f != nullptr, "no finding '" << id << "' in:\n" << r.to_text());
    CHECK(f->severity == s);
    CHECK_MESSAGE(test::contains(f->what, value), f->what);
    CHECK_MESSAGE(test::contains(f->remedy, in_remedy), f->remedy);
    CHECK_FALSE(f->remedy.empty());
}

void expect_none(const liftoff::report& r, const std::string& id) {
    CHECK_MESSAGE(r.find(id) == nullptr, "unexpected '" << id << "' in:\n" << r.to_text());
}

/// A unix stream socket (macOS has no SOCK_CLOEXEC; nothing here runs children meanwhile).
int stream_socket() {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd >= 0) ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    return fd;
}

sockaddr_un address_of(const std::string& name, bool abstract, socklen_t& len) {
    sockaddr_un a;
    std::memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    REQUIRE(name.size() + 1 < sizeof a.sun_path);
    std::memcpy(a.sun_path + (abstract ? 1 : 0), name.data(), name.size());
    len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size() + (abstract ? 1 : 0));
    return a;
}

/// A unix stream socket bound to `name` (a path, or a name in Linux's abstract namespace),
/// listening unless told not to; closed (and its file left behind: a stale socket) by stop().
class unix_listener {
public:
    unix_listener(const std::string& name, bool abstract, bool listening = true) {
        fd_ = stream_socket();
        REQUIRE(fd_ >= 0);
        socklen_t len = 0;
        const sockaddr_un a = address_of(name, abstract, len);
        REQUIRE_MESSAGE(::bind(fd_, reinterpret_cast<const sockaddr*>(&a), len) == 0, std::strerror(errno));
        if (listening) REQUIRE(::listen(fd_, 4) == 0);
    }
    ~unix_listener() { stop(); }
    void stop() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

private:
    int fd_ = -1;
};

/// Whether anything answers on `name`, asked by the test itself.
bool answers(const std::string& name, bool abstract) {
    const int fd = stream_socket();
    socklen_t len = 0;
    const sockaddr_un a = address_of(name, abstract, len);
    const bool ok = ::connect(fd, reinterpret_cast<const sockaddr*>(&a), len) == 0;
    ::close(fd);
    return ok;
}

/// An X display number with no server: no /tmp/.X11-unix/X<n>, nothing on its abstract socket.
std::string free_display() {
    for (int n = 7301; n < 7400; ++n) {
        const std::string socket = "/tmp/.X11-unix/X" + std::to_string(n);
        struct stat st;
        if (::lstat(socket.c_str(), &st) != 0 && !answers(socket, true)) return std::to_string(n);
    }
    FAIL("every display from 7301 to 7399 is taken");
    return "";
}

/// A runtime directory as logind makes one: this user's, mode 0700.
std::string make_runtime_dir(const test::scratch_dir& dir) {
    const std::string runtime = dir.file("run");
    REQUIRE(::mkdir(runtime.c_str(), 0700) == 0);
    return runtime;
}

}  // namespace

TEST_CASE("DISPLAY=:N with no X server: display-not-listening names the display and both sockets") {
    const std::string n = free_display();
    auto r = diag({"PATH=/usr/bin", "LANG=C.UTF-8", "DISPLAY=:" + n});
    CHECK(r.session == "x11");  // the variable says so; the finding says nothing answers
    expect(r, "display-not-listening", severity::warning, "DISPLAY=':" + n + "'", "Xvfb :" + n);
    expect(r, "display-not-listening", severity::warning, "'/tmp/.X11-unix/X" + n + "' does not exist");
#if defined(__linux__)
    expect(r, "display-not-listening", severity::warning, "abstract socket '@/tmp/.X11-unix/X" + n + "'");
#endif
    // The same display with a screen number, and as unix:N.
    expect(diag({"PATH=/usr/bin", "DISPLAY=:" + n + ".0"}), "display-not-listening", severity::warning,
           "DISPLAY=':" + n + ".0'");
    expect(diag({"PATH=/usr/bin", "DISPLAY=unix:" + n}), "display-not-listening", severity::warning,
           "DISPLAY='unix:" + n + "'");
}

#if defined(__linux__)
TEST_CASE("an X server on the abstract socket alone answers: no display-not-listening") {
    const std::string n = free_display();
    unix_listener x("/tmp/.X11-unix/X" + n, true);
    expect_none(diag({"PATH=/usr/bin", "DISPLAY=:" + n}), "display-not-listening");
    x.stop();
    expect(diag({"PATH=/usr/bin", "DISPLAY=:" + n}), "display-not-listening", severity::warning, ":" + n);
}
#endif  // __linux__

TEST_CASE("an X server on /tmp/.X11-unix/X<n> (under a fake root) answers; a stale socket file does not") {
    const std::string n = free_display();
    test::scratch_dir root;
    std::filesystem::create_directories(root.file("tmp/.X11-unix"));
    const std::string file = root.file("tmp/.X11-unix/X" + n);
    {
        unix_listener x(file, false);
        expect_none(diag({"PATH=/usr/bin", "DISPLAY=:" + n}, root.path()), "display-not-listening");
        x.stop();  // the server died; its socket file stays behind
    }
    expect(diag({"PATH=/usr/bin", "DISPLAY=:" + n}, root.path()), "display-not-listening", severity::warning,
           "'" + file + "' is a socket nobody listens on");
    std::filesystem::remove(file);
    root.write("tmp/.X11-unix/X" + n, "not a socket");
    expect(diag({"PATH=/usr/bin", "DISPLAY=:" + n}, root.path()), "display-not-listening", severity::warning,
           "'" + file + "' is not a socket");
}

TEST_CASE("a remote DISPLAY is said not to be checked; a malformed one is display-invalid") {
    auto r = diag({"PATH=/usr/bin", "DISPLAY=otherhost:0"});
    expect(r, "display-not-checked", severity::info, "DISPLAY='otherhost:0'");
    expect(r, "display-not-checked", severity::info, "not checked");
    expect_none(r, "display-not-listening");
    expect(diag({"PATH=/usr/bin", "DISPLAY=localhost:10.0"}), "display-not-checked", severity::info, "'localhost'");
    expect(diag({"PATH=/usr/bin", "DISPLAY=99"}), "display-invalid", severity::warning, "DISPLAY='99'", "unset it");
    expect(diag({"PATH=/usr/bin", "DISPLAY=:x"}), "display-invalid", severity::warning, "DISPLAY=':x'");
}

TEST_CASE("WAYLAND_DISPLAY naming no socket under XDG_RUNTIME_DIR: wayland-not-listening, gone with a compositor") {
    test::scratch_dir dir;
    const std::string runtime = make_runtime_dir(dir);
    const std::vector<std::string> env{"PATH=/usr/bin", "WAYLAND_DISPLAY=wayland-7", "XDG_RUNTIME_DIR=" + runtime};
    auto r = diag(env);
    CHECK(r.session == "wayland");
    expect(r, "wayland-not-listening", severity::warning, "WAYLAND_DISPLAY='wayland-7'", "unset WAYLAND_DISPLAY");
    expect(r, "wayland-not-listening", severity::warning, "'" + runtime + "/wayland-7' does not exist");
    expect_none(r, "runtime-dir-missing");
    expect_none(r, "runtime-dir-mode");
    {
        unix_listener compositor(runtime + "/wayland-7", false);
        expect_none(diag(env), "wayland-not-listening");
        // An absolute WAYLAND_DISPLAY is the socket itself.
        expect_none(diag({"PATH=/usr/bin", "WAYLAND_DISPLAY=" + runtime + "/wayland-7"}), "wayland-not-listening");
    }
    expect(diag(env), "wayland-not-listening", severity::warning, "is a socket nobody listens on");
    expect(diag({"PATH=/usr/bin", "WAYLAND_DISPLAY=wayland-7"}), "wayland-not-listening", severity::warning,
           "XDG_RUNTIME_DIR, which is not set");
}

TEST_CASE("XDG_RUNTIME_DIR missing, not a directory, relative, unset in a graphical session: runtime-dir-missing") {
    test::scratch_dir dir;
    expect(diag({"PATH=/usr/bin", "XDG_RUNTIME_DIR=" + dir.file("gone")}), "runtime-dir-missing", severity::warning,
           "XDG_RUNTIME_DIR='" + dir.file("gone") + "' does not exist", "mode 0700");
    dir.write("file", "");
    expect(diag({"PATH=/usr/bin", "XDG_RUNTIME_DIR=" + dir.file("file")}), "runtime-dir-missing", severity::warning,
           "is not a directory");
    expect(diag({"PATH=/usr/bin", "XDG_RUNTIME_DIR=run/user/1000"}), "runtime-dir-missing", severity::warning,
           "'run/user/1000' is not an absolute path");
    expect(diag({"PATH=/usr/bin", "WAYLAND_DISPLAY=wayland-0"}), "runtime-dir-missing", severity::warning,
           "XDG_RUNTIME_DIR is not set", "systemd-logind");
    expect_none(diag({"PATH=/usr/bin"}), "runtime-dir-missing");  // no desktop: nobody needs one
}

TEST_CASE("XDG_RUNTIME_DIR with another mode than 0700: runtime-dir-mode; someone else's: runtime-dir-not-owned") {
    test::scratch_dir dir;
    const std::string runtime = make_runtime_dir(dir);
    expect_none(diag({"PATH=/usr/bin", "XDG_RUNTIME_DIR=" + runtime}), "runtime-dir-mode");
    ::chmod(runtime.c_str(), 0755);
    expect(diag({"PATH=/usr/bin", "XDG_RUNTIME_DIR=" + runtime}), "runtime-dir-mode", severity::warning,
           "'" + runtime + "' has mode 0755", "chmod 0700 '" + runtime + "'");
    ::chmod(runtime.c_str(), 0700);
    // Another user's: as root, a directory given to nobody; otherwise root's /.
    std::string theirs = "/";
    if (::geteuid() == 0) {
        REQUIRE(::chown(runtime.c_str(), 65534, 65534) == 0);
        theirs = runtime;
    }
    const auto r = diag({"PATH=/usr/bin", "XDG_RUNTIME_DIR=" + theirs});
    expect(r, "runtime-dir-not-owned", severity::warning, "XDG_RUNTIME_DIR='" + theirs + "' belongs to uid",
           "/run/user/" + std::to_string(::geteuid()));
    expect(r, "runtime-dir-not-owned", severity::warning, "(uid " + std::to_string(::geteuid()) + ")");
}

TEST_CASE("PATH with ';' separators: path-semicolons, with the fix; not one missing directory") {
    const auto r = diag({"LANG=C.UTF-8", "PATH=/usr/bin;/bin"});
    expect(r, "path-semicolons", severity::warning, "PATH '/usr/bin;/bin'", "PATH='/usr/bin:/bin'");
    expect_none(r, "path-entry-missing");
    REQUIRE(r.path.size() == 1);  // still listed as what it is read as
    CHECK(r.path[0].dir == "/usr/bin;/bin");
}

TEST_CASE("PATH with Windows directories: path-windows-entry names them whole") {
    auto r = diag({"LANG=C.UTF-8", "PATH=C:\\Windows\\System32;C:\\Tools"});
    expect(r, "path-windows-entry", severity::warning, "'C:\\Windows\\System32', 'C:\\Tools'");
    expect(r, "path-semicolons", severity::warning, "';'");
    expect_none(r, "relative-path-entry");  // not "C", "\Windows\System32;C", "\Tools"
    expect_none(r, "path-entry-missing");
    r = diag({"LANG=C.UTF-8", "PATH=/usr/bin:C:\\Tools\\bin:/bin"});  // split at the drive letter's ':'
    expect(r, "path-windows-entry", severity::warning, "'C:\\Tools\\bin'", "remove them");
    expect_none(r, "path-semicolons");
    expect_none(r, "relative-path-entry");
}

TEST_CASE("PATH with a literal ~: path-tilde, with what $HOME makes of it") {
    const auto r = diag({"LANG=C.UTF-8", "HOME=/home/me", "PATH=/usr/bin:~/bin"});
    expect(r, "path-tilde", severity::warning, "PATH entry '~/bin' begins with a literal '~'", "$HOME/bin");
    expect(r, "path-tilde", severity::warning, "'~/bin'", "'/home/me/bin'");
    expect_none(r, "relative-path-entry");
    // An empty entry stays empty-path-entry (it means the current directory).
    expect(diag({"PATH=/usr/bin::/bin"}), "empty-path-entry", severity::warning, "current directory");
}

TEST_CASE("a D-Bus session address nobody answers on: dbus-not-answering; one that answers: nothing") {
    test::scratch_dir dir;
    const std::string bus = dir.file("bus");
    const std::string address = "unix:path=" + bus + ",guid=0123456789abcdef";
    auto r = diag({"PATH=/usr/bin", "DBUS_SESSION_BUS_ADDRESS=" + address});
    expect(r, "dbus-not-answering", severity::warning, "DBUS_SESSION_BUS_ADDRESS='" + address + "'",
           "unset DBUS_SESSION_BUS_ADDRESS");
    expect(r, "dbus-not-answering", severity::warning, "'" + bus + "' does not exist");
    {
        unix_listener daemon(bus, false);
        expect_none(diag({"PATH=/usr/bin", "DBUS_SESSION_BUS_ADDRESS=" + address}), "dbus-not-answering");
        // The first address fails, the second answers: libdbus would connect.
        expect_none(diag({"PATH=/usr/bin", "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/bus;" + address}),
                    "dbus-not-answering");
    }
    expect(diag({"PATH=/usr/bin", "DBUS_SESSION_BUS_ADDRESS=" + address}), "dbus-not-answering", severity::warning,
           "is a socket nobody listens on");
    // %XX escapes are undone ('/' as %2f).
    std::string escaped = "unix:path=";
    for (const char c : bus)
        escaped += c == '/' ? std::string("%2f") : std::string(1, c);
    expect(diag({"PATH=/usr/bin", "DBUS_SESSION_BUS_ADDRESS=" + escaped}), "dbus-not-answering", severity::warning,
           "'" + bus + "' is a socket nobody listens on");
}

#if defined(__linux__)
TEST_CASE("a D-Bus address in the abstract namespace: checked too") {
    const std::string name = "/tmp/liftoff-test-dbus-" + std::to_string(::getpid());
    const std::string env = "DBUS_SESSION_BUS_ADDRESS=unix:abstract=" + name;
    expect(diag({"PATH=/usr/bin", env}), "dbus-not-answering", severity::warning,
           "the abstract socket '@" + name + "' does not exist");
    unix_listener daemon(name, true);
    expect_none(diag({"PATH=/usr/bin", env}), "dbus-not-answering");
}
#endif  // __linux__

TEST_CASE("D-Bus addresses that cannot be asked are said not to be checked") {
    for (const char* address : {"tcp:host=localhost,port=1", "unix:runtime=yes", "unix:tmpdir=/tmp",
                                "launchd:env=DBUS_LAUNCHD_SESSION_BUS_SOCKET"}) {
        const auto r = diag({"PATH=/usr/bin", std::string("DBUS_SESSION_BUS_ADDRESS=") + address});
        expect(r, "dbus-not-checked", severity::info, std::string("'") + address + "' was not checked");
        expect_none(r, "dbus-not-answering");
    }
}

TEST_CASE("no DBUS_SESSION_BUS_ADDRESS: $XDG_RUNTIME_DIR/bus is asked") {
    test::scratch_dir dir;
    const std::string runtime = make_runtime_dir(dir);
    const std::vector<std::string> env{"PATH=/usr/bin", "DISPLAY=:0", "XDG_RUNTIME_DIR=" + runtime};
    {
        unix_listener daemon(runtime + "/bus", false);
        const auto r = diag(env);
        expect_none(r, "dbus-not-answering");
        expect_none(r, "no-dbus-session");
    }
    expect(diag(env), "dbus-not-answering", severity::warning,
           "the session bus '" + runtime + "/bus' (DBUS_SESSION_BUS_ADDRESS is not set) is a socket nobody listens on",
           "systemctl --user restart dbus");
}

// Item 5: real files named in legacy encodings.

namespace {
const std::string gbk_name = "\xc4\xe3\xba\xc3.sh";        // 你好.sh in GBK
const std::string sjis_name = "\x83\x65\x83\x58\x83\x67";  // テスト in Shift_JIS
const std::string gbk_shown = "\\xc4\\xe3\\xba\\xc3.sh";   // as text output shows it
const std::string sjis_shown = "\\x83e\\x83X\\x83g";       // 'e', 'X', 'g' are ASCII bytes of it
}  // namespace

TEST_CASE("a program named in GBK bytes: text shows \\xNN, JSON carries the bytes, a finding says what it reads as") {
    test::scratch_dir dir;
    const std::string prog = dir.write(gbk_name, "#!/bin/sh\nexit 0\n", 0644);  // not executable: a remedy names it
    const auto r = liftoff::preflight(command{prog});
    const std::string shown = dir.path() + "/" + gbk_shown;
    expect(r, "not-executable", severity::error, "'" + shown + "'", "chmod +x '" + shown + "'");
    expect(r, "non-utf8-name", severity::info, "the program '" + shown + "' is not valid UTF-8", "convmv");
    if (!liftoff::detail::native_platform::legacy_readings(gbk_name).empty())
        expect(r, "non-utf8-name", severity::info,
               "it reads as '" + dir.path() + "/\xe4\xbd\xa0\xe5\xa5\xbd.sh' in GBK");
    else
        MESSAGE("this C library cannot decode GBK: no reading to check");
    const std::string text = r.to_text();
    CHECK(test::contains(text, shown));
    CHECK_FALSE(test::contains(text, gbk_name));  // no raw byte of it
    CHECK(liftoff::detail::valid_utf8(text));
    const std::string json = r.to_json();
    CHECK(test::contains(json, "\"resolved_hex\": \"" + liftoff::detail::hex_bytes(prog) + "\""));
    CHECK(test::contains(json, "\"name_hex\": \"" + liftoff::detail::hex_bytes(prog) + "\""));
    CHECK(test::contains(json, "\xef\xbf\xbd"));  // the string field keeps U+FFFD
    CHECK(liftoff::detail::valid_utf8(json));
    // A name that is UTF-8 gets neither the finding nor a _hex field.
    const auto clean = liftoff::preflight(command{dir.write("ok.sh", "#!/bin/sh\n", 0755)});
    expect_none(clean, "non-utf8-name");
    CHECK_FALSE(test::contains(clean.to_json(), "_hex\""));
}

TEST_CASE("a program named in Shift_JIS bytes, in a PATH entry of the same: escaped wherever it is named") {
    test::scratch_dir dir;
    std::filesystem::create_directory(dir.file(sjis_name));
    const std::string bin = dir.file(sjis_name);
    const auto r = liftoff::preflight(command{"liftoff-no-such-tool"}.env("PATH", bin));
    REQUIRE(r.find("not-in-path") != nullptr);
    CHECK(test::contains(r.to_text(), "searched " + dir.path() + "/" + sjis_shown));
    expect(r, "non-utf8-name", severity::info, "PATH entry '" + dir.path() + "/" + sjis_shown + "'");
    if (!liftoff::detail::native_platform::legacy_readings(sjis_name).empty())
        expect(r, "non-utf8-name", severity::info, "\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88' in Shift_JIS");  // テスト
    const std::string json = r.to_json();
    CHECK(test::contains(json, "\"dir_hex\": \"" + liftoff::detail::hex_bytes(bin) + "\""));
    CHECK(test::contains(json, "\"searched_hex\": [\"" + liftoff::detail::hex_bytes(bin) + "\"]"));
    // launch() names it the same way: the escape, never the raw bytes.
    try {
        liftoff::run(command{dir.write(sjis_name + "/" + gbk_name, "no #! line\n", 0644)});
        FAIL("it ran");
    } catch (const liftoff::launch_error& e) {
        const std::string msg = e.what();
        CHECK_MESSAGE(test::contains(msg, dir.path() + "/" + sjis_shown + "/" + gbk_shown), msg);
        CHECK(liftoff::detail::valid_utf8(msg));
    }
}
