// tests/opener_choice.cpp: how the Linux/BSD strategy picks its opener: the probe (WSL, Flatpak,
// Snap, containers, the session bus, tools in PATH) read from a fake root and a fake
// environment, and the decision for every kind of session, down to the exact plans.
// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include <map>

#include "support.hpp"

using liftoff::errc;
namespace d = liftoff::detail;
using strings = std::vector<std::string>;

namespace {

using vars = std::map<std::string, std::string>;

/// The environment and probe root the fake platform reports.
struct fake {
    static std::map<std::string, std::string>& env() {
        static std::map<std::string, std::string> e;
        return e;
    }
    static std::string& root() {
        static std::string r;
        return r;
    }
};

struct fake_root {
    static std::string root() { return fake::root(); }
};

/// The native platform with its environment faked and the freedesktop strategy reading `root`.
struct fake_platform : liftoff::detail::native_platform {
    using opener = d::freedesktop_opener<fake_root>;
    static std::optional<std::string> get_env(const char* name) {
        const auto it = fake::env().find(name);
        if (it == fake::env().end()) return std::nullopt;
        return it->second;
    }
};

/// A session: a fake root with a bin/ of do-nothing tools, PATH pointing at it.
struct session {
    test::scratch_dir dir;
    explicit session(vars v = {}) {
        fake::root() = dir.path() + "/root";
        std::filesystem::create_directories(fake::root());
        std::filesystem::create_directories(bin());
        fake::env() = std::move(v);
        fake::env()["PATH"] = bin();
        fake::env()["HOME"] = dir.path();
    }
    ~session() {
        fake::env().clear();
        fake::root().clear();
    }
    std::string bin() const { return dir.path() + "/bin"; }
    std::string tool(const std::string& name) const { return dir.write("bin/" + name, "#!/bin/sh\nexit 0\n", 0755); }
    void file(const std::string& path, const std::string& text = "") const {
        const std::string full = fake::root() + path;
        std::filesystem::create_directories(std::filesystem::path(full).parent_path());
        std::ofstream(full) << text;
    }
    d::session_facts facts() const { return d::gather_session_facts<fake_platform>(fake::root()); }
};

d::opener_choice choose(const session& s, d::open_kind kind = d::open_kind::url, std::string_view scheme = "https") {
    return d::choose_opener(s.facts(), kind, scheme);
}

liftoff::open_plan plan_url(const std::string& url) {
    return test::on<fake_platform>::plan_open_url(url);
}

}  // namespace

TEST_CASE("probe: a display is DISPLAY or WAYLAND_DISPLAY, non-empty") {
    CHECK_FALSE(session(vars{}).facts().display);
    CHECK_FALSE(session(vars{{"DISPLAY", ""}}).facts().display);
    CHECK(session(vars{{"DISPLAY", ":0"}}).facts().display);
    CHECK(session(vars{{"WAYLAND_DISPLAY", "wayland-0"}}).facts().display);
}

TEST_CASE("probe: Flatpak by /.flatpak-info or $XDG_RUNTIME_DIR/flatpak-info; Snap by $SNAP") {
    {
        session s;
        CHECK_FALSE(s.facts().flatpak);
        s.file("/.flatpak-info", "[Application]\nname=org.example.App\n");
        CHECK(s.facts().flatpak);
    }
    {
        session s(vars{{"XDG_RUNTIME_DIR", "/run/user/1000"}});
        s.file("/run/user/1000/flatpak-info");
        CHECK(s.facts().flatpak);
    }
    CHECK(session(vars{{"SNAP", "/snap/app/12"}}).facts().snap);
    CHECK_FALSE(session(vars{{"SNAP", ""}}).facts().snap);
}

TEST_CASE("probe: WSL by WSLInterop or 'microsoft' in the kernel release, but not inside a container") {
    {
        session s;
        s.file("/proc/sys/kernel/osrelease", "6.1.0-13-amd64\n");
        CHECK_FALSE(s.facts().wsl);
        s.file("/proc/sys/fs/binfmt_misc/WSLInterop", "enabled\n");
        CHECK(s.facts().wsl);
    }
    {
        session s(vars{{"WSL_DISTRO_NAME", "Debian"}});
        s.file("/proc/sys/kernel/osrelease", "5.15.133.1-microsoft-standard-WSL2\n");
        const auto f = s.facts();
        CHECK(f.wsl);
        CHECK(f.wsl_distro == "Debian");
        CHECK(f.wsl_mount_root == "/mnt/");
    }
    {
        session s;
        s.file("/proc/sys/kernel/osrelease", "4.4.0-19041-Microsoft\n");
        s.file("/.dockerenv");
        CHECK(s.facts().container);
        CHECK_FALSE(s.facts().wsl);
    }
    {
        session s(vars{{"container", "podman"}});
        s.file("/proc/sys/fs/binfmt_misc/WSLInterop");
        CHECK_FALSE(s.facts().wsl);
    }
}

TEST_CASE("probe: /etc/wsl.conf's [automount] root moves the drive mounts") {
    CHECK(d::wsl_mount_root_from("[automount]\nroot = /windir/\n") == "/windir/");
    CHECK(d::wsl_mount_root_from("[automount]\nroot=\"/w\"\n") == "/w/");
    CHECK(d::wsl_mount_root_from("[network]\nroot=/x\n") == "/mnt/");
    CHECK(d::wsl_mount_root_from("") == "/mnt/");
}

TEST_CASE("probe: tools are found in the (fake) PATH, $BROWSER entries resolved, XDG data dirs per the spec") {
    session s(vars{{"BROWSER", "nobrowser:mybrowser --x %s"}, {"XDG_DATA_DIRS", "/a:relative:/b"}});
    s.tool("xdg-open");
    s.tool("mybrowser");
    const auto f = s.facts();
    REQUIRE(f.tool("xdg-open"));
    CHECK(*f.tool("xdg-open") == s.bin() + "/xdg-open");
    CHECK_FALSE(f.tool("gio"));
    REQUIRE(f.browsers.size() == 2);
    CHECK(f.browser_paths == strings{"", s.bin() + "/mybrowser"});
    CHECK(f.data_dirs == strings{s.dir.path() + "/.local/share", "/a", "/b"});
    fake::env()["XDG_DATA_DIRS"] = "";
    CHECK(s.facts().data_dirs == strings{s.dir.path() + "/.local/share", "/usr/local/share", "/usr/share"});
}

TEST_CASE("choice: with a display, xdg-open first, then gio, then kde-open") {
    session s(vars{{"DISPLAY", ":0"}});
    s.tool("kde-open5");
    CHECK(choose(s).tool == d::opener_tool::kde_open);
    s.tool("gio");
    CHECK(choose(s).tool == d::opener_tool::gio);
    s.tool("xdg-open");
    const auto c = choose(s, d::open_kind::path);
    CHECK(c.tool == d::opener_tool::xdg_open);
    CHECK(c.path == s.bin() + "/xdg-open");
}

TEST_CASE("choice: no display and no $BROWSER is no_graphical_session, before anything runs") {
    session s;
    s.tool("xdg-open");
    auto c = choose(s);
    CHECK(c.tool == d::opener_tool::none);
    CHECK(c.refusal == errc::no_graphical_session);
    CHECK(test::contains(c.what, "DISPLAY and WAYLAND_DISPLAY"));
    CHECK(test::contains(c.remedy, "BROWSER"));
    c = choose(s, d::open_kind::path);
    CHECK(c.refusal == errc::no_graphical_session);
    CHECK(test::contains(c.remedy, "desktop session"));
}

TEST_CASE("choice: $BROWSER serves http(s) only, its first entry in PATH, with the terminal when there is no display") {
    session s(vars{{"BROWSER", "missing-one:xdg-open:w3m"}});
    s.tool("w3m");
    s.tool("xdg-open");
    auto c = choose(s);
    CHECK(c.tool == d::opener_tool::browser);
    CHECK(c.browser == 2);  // xdg-open is skipped: it would come back to $BROWSER
    CHECK(c.terminal);
    CHECK(choose(s, d::open_kind::url, "mailto").refusal == errc::no_graphical_session);
    fake::env()["BROWSER"] = "missing-one";
    c = choose(s);
    CHECK(c.refusal == errc::no_graphical_session);
    CHECK(test::contains(c.what, "$BROWSER names 'missing-one', none of them in PATH"));
}

TEST_CASE("choice: a display but no opener at all is no_opener, naming what was looked for and where") {
    session s(vars{{"DISPLAY", ":0"}});
    const auto c = choose(s);
    CHECK(c.refusal == errc::no_opener);
    CHECK(test::contains(c.what, "xdg-open, gio and kde-open are not in PATH (searched " + s.bin() + ")"));
    CHECK(test::contains(c.remedy, "install xdg-utils"));
}

TEST_CASE("choice: Flatpak and Snap use the sandbox's xdg-open, display or not") {
    session s(vars{{"SNAP", "/snap/x/1"}});
    s.tool("xdg-open");
    CHECK(choose(s).tool == d::opener_tool::xdg_open);
    session f;
    f.file("/.flatpak-info");
    f.tool("xdg-open");
    f.tool("gio");
    CHECK(choose(f, d::open_kind::path).tool == d::opener_tool::xdg_open);
}

TEST_CASE("choice: WSL prefers wslview, then explorer.exe, before any Linux opener") {
    session s(vars{{"DISPLAY", ":0"}, {"WSL_DISTRO_NAME", "Debian"}});
    s.file("/proc/sys/fs/binfmt_misc/WSLInterop");
    s.tool("xdg-open");
    CHECK(choose(s).tool == d::opener_tool::xdg_open);  // neither Windows tool: WSLg's Linux side
    s.tool("explorer.exe");
    CHECK(choose(s).tool == d::opener_tool::explorer);
    s.tool("wslview");
    CHECK(choose(s).tool == d::opener_tool::wslview);
    CHECK(choose(s, d::open_kind::reveal).tool == d::opener_tool::explorer);
    // wslview quotes its argument for PowerShell, where $(...) would run: such a URL avoids it.
    CHECK(d::choose_opener(s.facts(), d::open_kind::url, "https", "https://x/$(calc)").tool ==
          d::opener_tool::explorer);
    CHECK(d::choose_opener(s.facts(), d::open_kind::path, {}, "/tmp/it's.txt").tool == d::opener_tool::explorer);
    CHECK(d::choose_opener(s.facts(), d::open_kind::url, "https", "https://x/(a)").tool == d::opener_tool::wslview);
}

TEST_CASE("choice: on WSL the $BROWSER route gets the same PowerShell guard as wslview (BROWSER=wslview)") {
    // wslu's own advice is BROWSER=wslview; with no explorer.exe in PATH and no display, that
    // entry was the route a $(...) URL took to PowerShell.
    session s(vars{{"WSL_DISTRO_NAME", "Debian"}, {"BROWSER", "wslview"}});
    s.file("/proc/sys/fs/binfmt_misc/WSLInterop");
    s.tool("wslview");
    const std::string hostile = "https://x/$(calc)";
    auto c = d::choose_opener(s.facts(), d::open_kind::url, "https", hostile);
    CHECK(c.tool == d::opener_tool::none);
    CHECK(c.refusal == errc::unsupported);
    CHECK(test::contains(c.what, "which PowerShell would expand"));
    CHECK(test::contains(c.what, "('wslview', '$BROWSER's wslview')"));
    CHECK(test::contains(c.remedy, "put explorer.exe in PATH"));
    CHECK(test::contains(c.remedy, "%24"));
    // Through the plan, as open_url() sees it: refused, nothing to run.
    try {
        plan_url(hostile);
        FAIL("no launch_error");
    } catch (const liftoff::launch_error& e) {
        CHECK(e.code() == errc::unsupported);
        CHECK(test::contains(e.what(), "liftoff: cannot open 'https://x/$(calc)': it holds '$'"));
        CHECK(test::contains(e.what(), "put explorer.exe in PATH"));
    }
    // A harmless URL still goes to wslview; with explorer.exe the hostile one goes there.
    CHECK(d::choose_opener(s.facts(), d::open_kind::url, "https", "https://x/a").tool == d::opener_tool::wslview);
    s.tool("explorer.exe");
    CHECK(d::choose_opener(s.facts(), d::open_kind::url, "https", hostile).tool == d::opener_tool::explorer);
}

TEST_CASE("choice: a $BROWSER that ends in PowerShell is guarded by name, by path and through a symlink") {
    session s(vars{{"BROWSER", "liftoff-gone:/opt/wsl-open:mybrowser %s:w3m"}});
    s.tool("wslview");
    s.tool("w3m");
    std::filesystem::create_symlink(s.bin() + "/wslview", s.bin() + "/mybrowser");
    s.file("/opt/wsl-open");
    const auto f = s.facts();
    CHECK(f.browser_powershell == std::vector<bool>{false, true, true, false});
    // Not WSL: wslview is not a tool here, but the $BROWSER entries that reach PowerShell are skipped.
    auto c = d::choose_opener(f, d::open_kind::url, "https", "https://x/'a'");
    CHECK(c.tool == d::opener_tool::browser);
    CHECK(c.browser == 3);
    CHECK(d::choose_opener(f, d::open_kind::url, "https", "https://x/a").browser == 2);
    fake::env()["BROWSER"] = "mybrowser %s";
    c = d::choose_opener(s.facts(), d::open_kind::url, "https", "https://x/`id`");
    CHECK(c.refusal == errc::unsupported);
    CHECK(test::contains(c.what, "'$BROWSER's mybrowser'"));
}

TEST_CASE("choice: on WSL, a Linux opener that may hand over to wslview is guarded too") {
    session s(vars{{"DISPLAY", ":0"}, {"WSL_DISTRO_NAME", "Debian"}});
    s.file("/proc/sys/fs/binfmt_misc/WSLInterop");
    s.tool("xdg-open");
    // No wslview and no PowerShell $BROWSER: xdg-open (WSLg) cannot reach PowerShell.
    CHECK(d::choose_opener(s.facts(), d::open_kind::url, "https", "https://x/$a").tool == d::opener_tool::xdg_open);
    // With wslview installed, xdg-open may hand it over (x-scheme-handler, or $BROWSER).
    s.tool("wslview");
    auto c = d::choose_opener(s.facts(), d::open_kind::path, {}, "/home/me/it's.txt");
    CHECK(c.refusal == errc::unsupported);
    CHECK(test::contains(c.what, "'wslview', 'xdg-open'"));
    // reveal's folder fallback is decided by the same guard: ShowItems, and no folder after it.
    test::scratch_dir files("it's");
    const auto doc = files.write("a.txt", "x");
    std::error_code ec;
    test::on<fake_platform>::plan_reveal(doc, {}, ec);
    CHECK(ec == errc::unsupported);
    fake::env()["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=/nonexistent";
    s.tool("gdbus");
    const auto p = test::on<fake_platform>::plan_reveal(doc);
    CHECK(p.opener == "gdbus");
    CHECK_FALSE(test::contains(p.description, "wslview"));
    CHECK_FALSE(test::contains(p.description, "if that fails"));
}

TEST_CASE("choice: reveal asks the file manager over D-Bus when there is a session bus, not inside Flatpak") {
    session s(vars{{"DISPLAY", ":0"}, {"XDG_RUNTIME_DIR", "/run/user/7"}});
    s.tool("xdg-open");
    s.tool("dbus-send");
    CHECK(choose(s, d::open_kind::reveal).tool == d::opener_tool::xdg_open);  // no bus
    s.file("/run/user/7/bus");
    CHECK(choose(s, d::open_kind::reveal).tool == d::opener_tool::dbus_send);
    s.tool("gdbus");
    CHECK(choose(s, d::open_kind::reveal).tool == d::opener_tool::gdbus);
    s.file("/.flatpak-info");
    CHECK(choose(s, d::open_kind::reveal).tool == d::opener_tool::xdg_open);
}

TEST_CASE("WSL paths are named as Windows names them") {
    d::session_facts f;
    f.wsl_distro = "Ubuntu 24.04";
    CHECK(d::wsl_windows_path("/mnt/c/Users/me/a b.txt", f) == std::optional<std::string>("C:\\Users\\me\\a b.txt"));
    CHECK(d::wsl_windows_path("/mnt/d", f) == std::optional<std::string>("D:\\"));
    CHECK(d::wsl_windows_path("/mnt/cd/x", f) ==
          std::optional<std::string>("\\\\wsl.localhost\\Ubuntu 24.04\\mnt\\cd\\x"));
    CHECK(d::wsl_windows_path("/home/me/x", f) ==
          std::optional<std::string>("\\\\wsl.localhost\\Ubuntu 24.04\\home\\me\\x"));
    f.wsl_distro.clear();
    CHECK_FALSE(d::wsl_windows_path("/home/me/x", f));
    f.wsl_mount_root = "/win/";
    CHECK(d::wsl_windows_path("/win/e/x", f) == std::optional<std::string>("E:\\x"));
}

TEST_CASE("plans: the exact argv for each opener, the target always one argument") {
    session s(vars{{"DISPLAY", ":0"}});
    const std::string url = "https://example.com/?q=a&b=c;$(id)";
    s.tool("kde-open");
    auto p = plan_url(url);
    REQUIRE(p.launch);
    CHECK(p.launch->program() == s.bin() + "/kde-open");
    CHECK(p.launch->arguments() == strings{"--", url});
    CHECK(p.opener == "kde-open");
    s.tool("gio");
    p = plan_url(url);
    CHECK(p.launch->arguments() == strings{"open", url});
    s.tool("xdg-open");
    p = plan_url(url);
    CHECK(p.launch->program() == s.bin() + "/xdg-open");
    CHECK(p.launch->arguments() == strings{url});
    CHECK(p.description == s.bin() + "/xdg-open 'https://example.com/?q=a&b=c;$(id)'");
    REQUIRE(p.launch->on_destroy());
    CHECK(*p.launch->on_destroy() == liftoff::on_destroy::release);
}

TEST_CASE("plans: an uppercase scheme is handed over in lowercase, the rest as given") {
    session s(vars{{"DISPLAY", ":0"}});
    s.tool("xdg-open");
    auto p = plan_url("HTTPS://Example.COM/Path?Q=A#F");
    REQUIRE(p.launch);
    CHECK(p.launch->arguments() == strings{"https://Example.COM/Path?Q=A#F"});
    p = test::on<fake_platform>::plan_open_url("MailTo:Someone@Example.com");
    CHECK(p.launch->arguments() == strings{"mailto:Someone@Example.com"});
    s.file("/apps/x.desktop", "[Desktop Entry]\nType=Application\nName=X\nExec=x-app %U\n");
    p = test::on<fake_platform>::plan_open_with(fake::root() + "/apps/x.desktop", {"HTTP://A.B/C"});
    REQUIRE(p.launch);
    CHECK(p.launch->arguments() == strings{"http://A.B/C"});
}

TEST_CASE("plans: a $BROWSER template gets the URL inside its word; without a display the terminal") {
    session s(vars{{"BROWSER", "mybrowser --new-tab=%s --x"}});
    s.tool("mybrowser");
    const auto p = plan_url("https://a.b/?x=1%202&y=$(id)");
    REQUIRE(p.launch);
    CHECK(p.launch->program() == s.bin() + "/mybrowser");
    CHECK(p.launch->arguments() == strings{"--new-tab=https://a.b/?x=1%202&y=$(id)", "--x"});
    CHECK(p.opener == "$BROWSER");
    CHECK(p.launch->stdout_to()->what() == liftoff::io::kind::inherit);
}

TEST_CASE("plans: WSL's explorer.exe gets the Windows name of a path, and /select, to reveal it") {
    session s(vars{{"WSL_DISTRO_NAME", "Debian"}});
    s.file("/proc/sys/fs/binfmt_misc/WSLInterop");
    s.tool("explorer.exe");
    test::scratch_dir files;
    const auto doc = files.write("a b.txt", "x");
    std::string win = doc;
    for (auto& c : win)
        if (c == '/') c = '\\';
    auto p = test::on<fake_platform>::plan_open_path(doc);
    REQUIRE(p.launch);
    CHECK(p.launch->arguments() == strings{"\\\\wsl.localhost\\Debian" + win});
    p = test::on<fake_platform>::plan_reveal(doc);
    CHECK(p.launch->arguments() == strings{"/select,\\\\wsl.localhost\\Debian" + win});
    CHECK(test::on<fake_platform>::plan_open_url("mailto:a@b").launch->arguments() == strings{"mailto:a@b"});
}

TEST_CASE("plans: reveal calls ShowItems with a percent-encoded file: URI, then falls back to the folder") {
    session s(vars{{"DISPLAY", ":0"}, {"DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent"}});
    s.tool("gdbus");
    s.tool("xdg-open");
    test::scratch_dir files;
    const auto doc = files.write("it's, a \"b\".txt", "x");
    auto p = test::on<fake_platform>::plan_reveal(doc);
    CHECK(p.opener == "gdbus");
    REQUIRE(p.launch);
    CHECK(p.launch->arguments() == strings{"call", "--session", "--dest", "org.freedesktop.FileManager1",
                                           "--object-path", "/org/freedesktop/FileManager1", "--method",
                                           "org.freedesktop.FileManager1.ShowItems", "['" + d::file_uri(doc) + "']",
                                           "''"});
    CHECK(test::contains(d::file_uri(doc), "it%27s%2C%20a%20%22b%22.txt"));
    CHECK(test::contains(p.description, "; if that fails: " + s.bin() + "/xdg-open " + files.path()));
    std::filesystem::remove(s.bin() + "/gdbus");
    s.tool("dbus-send");
    p = test::on<fake_platform>::plan_reveal(doc);
    CHECK(p.launch->arguments() == strings{"--session", "--print-reply", "--dest=org.freedesktop.FileManager1",
                                           "/org/freedesktop/FileManager1", "org.freedesktop.FileManager1.ShowItems",
                                           "array:string:" + d::file_uri(doc), "string:"});
}

TEST_CASE("plans: the no-session refusal reaches the caller as a launch_error and an error_code") {
    session s;
    s.tool("xdg-open");
    std::error_code ec;
    const auto p = test::on<fake_platform>::plan_open_url("https://example.com/", {}, ec);
    CHECK(ec == errc::no_graphical_session);
    CHECK_FALSE(p.launch);
    try {
        plan_url("https://example.com/");
        FAIL("no launch_error");
    } catch (const liftoff::launch_error& e) {
        CHECK(e.code() == errc::no_graphical_session);
        CHECK(test::contains(e.what(), "liftoff: cannot open 'https://example.com/': there is no graphical session"));
        CHECK(e.program() == "https://example.com/");
    }
}

TEST_CASE("fallback_apps: plans show them after the default; inside Flatpak the portal's verdict stands") {
    // Counterparts: Python webbrowser's _tryorder, npm open's app: {name: [...]}.
    session s(vars{{"DISPLAY", ":0"}});
    s.tool("xdg-open");
    const std::string rec = s.tool("liftoff-rec");
    liftoff::open_options o;
    o.fallback_apps = {"liftoff-gone", "liftoff-rec"};
    auto p = test::on<fake_platform>::plan_open_url("https://example.com/", o);
    CHECK(p.launch->program() == s.bin() + "/xdg-open");
    CHECK(p.opener == "xdg-open");
    CHECK(test::contains(p.description, s.bin() + "/xdg-open https://example.com/; if that fails, fallback_apps in "
                                                  "order: 'liftoff-gone' (not usable: 'liftoff-gone' is neither"));
    CHECK(test::contains(p.description, ", else 'liftoff-rec' (" + rec + " https://example.com/)"));
    // No opener: the plan is the first fallback with a route.
    std::filesystem::remove(s.bin() + "/xdg-open");
    p = test::on<fake_platform>::plan_open_url("https://example.com/", o);
    REQUIRE(p.launch);
    CHECK(p.launch->program() == rec);
    CHECK(p.launch->arguments() == strings{"https://example.com/"});
    CHECK(p.opener == "program");

    // Flatpak: the sandbox's xdg-open finds no handler (exit 3); no fallback runs, and it says why.
    session f;
    f.file("/.flatpak-info");
    f.dir.write("bin/xdg-open", "#!/bin/sh\nexit 3\n", 0755);
    const std::string marker = f.dir.file("fallback-ran");
    f.dir.write("bin/liftoff-rec", "#!/bin/sh\necho ran > '" + marker + "'\n", 0755);
    o.fallback_apps = {"liftoff-rec"};
    try {
        test::on<fake_platform>::open_url("https://example.com/", o);
        FAIL("no launch_error");
    } catch (const liftoff::launch_error& e) {
        CHECK(e.code() == errc::no_handler);
        CHECK(test::contains(e.what(), "(fallback_apps not tried: inside Flatpak the portal decides)"));
    }
    CHECK(test::on<fake_platform>::plan_open_url("https://example.com/", o).description ==
          f.bin() + "/xdg-open https://example.com/ (fallback_apps not tried: inside Flatpak the portal decides)");
    CHECK_FALSE(std::filesystem::exists(marker));
}

TEST_CASE("fallback_apps: no display is no_graphical_session, with no fallback tried or planned") {
    session s;
    const std::string marker = s.dir.file("fallback-ran");
    s.dir.write("bin/liftoff-rec", "#!/bin/sh\necho ran > '" + marker + "'\n", 0755);
    liftoff::open_options o;
    o.fallback_apps = {"liftoff-rec"};
    std::error_code ec;
    test::on<fake_platform>::plan_open_url("https://example.com/", o, ec);
    CHECK(ec == errc::no_graphical_session);
    CHECK_THROWS_AS(test::on<fake_platform>::open_url("https://example.com/", o), liftoff::launch_error);
    CHECK_FALSE(std::filesystem::exists(marker));
}

TEST_CASE("a relative target when the current directory is gone: bad_working_directory, never passed on as given") {
    const auto home = std::filesystem::current_path();
    {
        test::scratch_dir dir("gone");
        std::filesystem::current_path(dir.path());
        std::filesystem::remove(dir.path());
        std::error_code ec;
        const auto plan = liftoff::plan_open_with("/bin/echo", {"--help"}, {}, ec);
        CHECK(ec == errc::bad_working_directory);
        CHECK_FALSE(plan.launch);
        try {
            liftoff::plan_open_path("-x");
            FAIL("no exception");
        } catch (const liftoff::launch_error& e) {
            CHECK(e.code() == errc::bad_working_directory);
            CHECK(test::contains(e.what(), "the relative path '-x' cannot be made absolute"));
            CHECK(test::contains(e.what(), "give an absolute path, or change to a directory that exists"));
        }
        std::filesystem::current_path(home);
    }
}
