// tests/windows_open.cpp: the Windows openers for real, under wine in CI: ShellExecuteExW on
// files and URLs whose association (registered by the test) runs the helper, which records the
// argv it got; open_with() by path, App Paths and PATH; failures from GetLastError and hInstApp;
// the plans; COM from a thread in the multithreaded apartment; and from_system_encoding().
// Part of the `windows` suite.
// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include "support.hpp"

using liftoff::errc;
using test::helper_cmd;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;
using strings = std::vector<std::string>;

namespace {

std::wstring wide(const std::string& s) {
    std::wstring w;
    liftoff::detail::utf8_to_utf16(s, w);
    return w;
}

/// Registry keys the test sets, deleted again when it ends.
class registry {
public:
    registry() = default;
    registry(const registry&) = delete;
    registry& operator=(const registry&) = delete;
    ~registry() {
        for (auto it = keys_.rbegin(); it != keys_.rend(); ++it)
            ::RegDeleteTreeW(it->first, wide(it->second).c_str());
        for (auto it = keys_.rbegin(); it != keys_.rend(); ++it)
            ::RegDeleteKeyW(it->first, wide(it->second).c_str());
    }
    /// Sets the default value (or `name`) of `key`; false when this user may not write there.
    bool set(HKEY root, const std::string& key, const std::string& value, const std::string& name = {},
             DWORD type = REG_SZ) {
        const std::wstring v = wide(value);
        const LSTATUS s = ::RegSetKeyValueW(root, wide(key).c_str(), name.empty() ? nullptr : wide(name).c_str(), type,
                                            v.c_str(), static_cast<DWORD>((v.size() + 1) * sizeof(wchar_t)));
        if (s != ERROR_SUCCESS) return false;
        keys_.emplace_back(root, key);
        return true;
    }

    /// Where this user's file and URL associations go. wine 8's ShellExecuteExW reads only
    /// HKEY_CLASSES_ROOT (that is, HKEY_LOCAL_MACHINE\Software\Classes), not
    /// HKEY_CURRENT_USER\Software\Classes as Windows does.
    static HKEY classes_root() { return test::under_wine() ? HKEY_CLASSES_ROOT : HKEY_CURRENT_USER; }
    static std::string classes(const std::string& key) {
        return test::under_wine() ? key : "Software\\Classes\\" + key;
    }

    /// `.liftofftest` files and `liftoff-test:` URLs open with the helper recording into `file`.
    void associate_recorder(const std::string& file) {
        const std::string command = "\"" + test::helper() + "\" record \"" + file + "\" \"%1\"";
        const HKEY root = classes_root();
        REQUIRE(set(root, classes(".liftofftest"), "liftoff.testfile"));
        REQUIRE(set(root, classes("liftoff.testfile\\shell\\open\\command"), command));
        REQUIRE(set(root, classes("liftoff-test"), "URL:liftoff test"));
        REQUIRE(set(root, classes("liftoff-test"), "", "URL Protocol"));
        REQUIRE(set(root, classes("liftoff-test\\shell\\open\\command"), command));
        keys_.emplace_back(root, classes("liftoff.testfile"));  // deleted whole, with what is under it
    }

private:
    std::vector<std::pair<HKEY, std::string>> keys_;
};

const std::string app_paths = "Software\\Microsoft\\Windows\\CurrentVersion\\App Paths\\";

/// What the helper's `record` action wrote, once the file is there.
strings recorded(const std::string& file, std::chrono::milliseconds limit = 10s) {
    if (!test::eventually([&] { return std::filesystem::exists(test::fs_path(file)); }, limit)) return {"<nothing>"};
    return test::parse_args(test::read_file(file));
}

/// Calls `open` (a lambda taking open_options and an error_code) both ways and checks the code
/// and that the message has every one of `parts`.
template <class Open>
liftoff::launch_error expect_open_failure(Open open, errc code, const strings& parts) {
    std::error_code ec;
    auto c = open(ec);
    CHECK(ec == code);
    CHECK_FALSE(c.valid());
    try {
        open();
        FAIL("no launch_error");
    } catch (const liftoff::launch_error& e) {
        CHECK(e.code() == code);
        for (const auto& p : parts)
            CHECK_MESSAGE(test::contains(e.what(), p), e.what());
        return e;
    }
    return liftoff::launch_error(make_error_code(code), "");
}

liftoff::open_options recorder_args(const std::string& file) {
    liftoff::open_options o;
    o.app_args = {"record", file};
    return o;
}

}  // namespace

TEST_CASE("open_path: ShellExecuteExW opens a file in its associated application, and the child owns it") {
    test::scratch_dir dir;
    registry reg;
    const std::string rec = dir.file("rec");
    reg.associate_recorder(rec);
    const std::string doc = dir.write("a b & c.liftofftest", "x");
    auto c = liftoff::open_path(doc);
    REQUIRE(c.valid());
    CHECK(c.pid() != 0);
    CHECK(c.wait().success());
    CHECK(recorded(rec) == strings{doc});

    // Relative: made absolute against the current directory first.
    std::filesystem::remove(test::fs_path(rec));
    const auto here = std::filesystem::current_path();
    std::filesystem::current_path(test::fs_path(dir.path()));
    std::error_code ec;
    auto relative = liftoff::open_path("a b & c.liftofftest", {}, ec);
    std::filesystem::current_path(here);
    CHECK_FALSE(ec);
    CHECK(recorded(rec) == strings{doc});
    relative.wait();
}

TEST_CASE("open_path on a missing file: target_not_found, naming it, and nothing runs") {
    test::scratch_dir dir;
    const std::string missing = dir.file("absent.txt");
    expect_open_failure([&](auto&&... ec) { return liftoff::open_path(missing, {}, ec...); }, errc::target_not_found,
                        {"liftoff: cannot open '" + missing + "'", "does not exist", "check the path"});
    expect_open_failure([&](auto&&... ec) { return liftoff::reveal(missing, {}, ec...); }, errc::target_not_found,
                        {"does not exist"});
}

TEST_CASE("open_path on an extension with no association: no_handler, from ShellExecuteExW's hInstApp") {
    test::scratch_dir dir;
    const std::string orphan = dir.write("data.liftoffnoassoc", "x");
    const auto e = expect_open_failure(
        [&](auto&&... ec) { return liftoff::open_path(orphan, {}, ec...); }, errc::no_handler,
        {"liftoff: cannot open '" + orphan + "'", "no application is associated with it", "hInstApp 31", "Open with"});
    // Windows says ERROR_NO_ASSOCIATION (1155); wine 8 says ERROR_BAD_EXE_FORMAT (193), with the
    // same SE_ERR_NOASSOC in hInstApp, which is read first.
    CHECK(e.os_error().value() == (test::under_wine() ? 193 : 1155));
}

TEST_CASE("open_url: ShellExecuteExW hands the URL, exactly, to the scheme's handler") {
    test::scratch_dir dir;
    registry reg;
    const std::string rec = dir.file("rec");
    reg.associate_recorder(rec);
    liftoff::open_options opts;
    opts.allowed_schemes = {"liftoff-test"};
    const std::string url = "liftoff-test://host/p;x=1?q=a&b=c%20d#frag";
    auto c = liftoff::open_url(url, opts);
    if (c.valid()) CHECK(c.wait().success());
    CHECK(recorded(rec) == strings{url});

    // A scheme nothing handles: no_handler (wine: GetLastError 2 with hInstApp SE_ERR_NOASSOC).
    opts.allowed_schemes = {"liftoff-nothing"};
    expect_open_failure([&](auto&&... ec) { return liftoff::open_url("liftoff-nothing:x", opts, ec...); },
                        errc::no_handler, {"'liftoff-nothing:x'", "no application is associated"});
}

TEST_CASE("open_url refuses what the portable URL check refuses, before anything runs") {
    test::scratch_dir dir;
    registry reg;
    const std::string rec = dir.file("rec");
    reg.associate_recorder(rec);
    liftoff::open_options opts;
    opts.allowed_schemes = {"liftoff-test", "https"};
    const std::vector<std::pair<std::string, std::string>> refused = {
        {"liftoff-test:a b", "a space at position 15"},
        {"liftoff-test:\"&calc", "'\"' at position 14"},
        {"liftoff-test:x|y", "'|' at position 15"},
        {"liftoff-test:%zz", "write a literal '%' as %25"},
        {"-liftoff-test:x", "begins with '-'"},
        {"file:///C:/windows/system32/calc.exe", "the scheme 'file' is not allowed"},
        {"C:\\windows\\notepad.exe", "'\\' at position 3"},
        {"https://a.b/caf\xc3\xa9", "percent-encode it as %C3%A9"},
    };
    for (const auto& r : refused) {
        CAPTURE(r.first);
        expect_open_failure([&](auto&&... ec) { return liftoff::open_url(r.first, opts, ec...); }, errc::unsafe_url,
                            {r.second, "nothing was run"});
    }
    expect_open_failure([&](auto&&... ec) { return liftoff::open_url("https://a.b/\xff", opts, ec...); },
                        errc::encoding_error, {"not valid UTF-8"});
    std::this_thread::sleep_for(100ms);
    CHECK_FALSE(std::filesystem::exists(test::fs_path(rec)));
}

TEST_CASE("plans name the ShellExecuteExW call, with no program to launch") {
    test::scratch_dir dir;
    const auto url = liftoff::plan_open_url("https://example.com/?q=a&b=c");
    CHECK_FALSE(url.launch);
    CHECK(url.opener == "ShellExecuteExW");
    CHECK(url.description == "ShellExecuteExW(open, 'https://example.com/?q=a&b=c')");

    const std::string doc = dir.write("report 1.pdf", "x");
    CHECK(liftoff::plan_open_path(doc).description == "ShellExecuteExW(open, '" + doc + "')");

    // reveal: explorer.exe from the Windows directory, its own syntax quoted exactly.
    const std::string odd = dir.write("a,b & %c%.txt", "x");
    wchar_t windir[MAX_PATH];
    const UINT n = ::GetSystemWindowsDirectoryW(windir, MAX_PATH);
    const std::string explorer = liftoff::detail::utf16_to_utf8(std::wstring_view(windir, n)) + "\\explorer.exe";
    const auto shown = liftoff::plan_reveal(odd);
    CHECK_FALSE(shown.launch);
    CHECK(shown.description == "ShellExecuteExW(open, '" + explorer + "', '/select,\"" + odd + "\"')");
    std::error_code ec;
    liftoff::plan_reveal(dir.file("absent"), {}, ec);
    CHECK(ec == errc::target_not_found);

    // open_with: app_args, then the targets (paths made absolute, URLs as given), each quoted.
    liftoff::open_options opts;
    opts.app_args = {"--flag", "two words", "quote\"d", "tail\\", ""};
    const auto with = liftoff::plan_open_with(test::helper(), {doc, "https://example.com/?a=1&b=2"}, opts);
    CHECK_FALSE(with.launch);
    CHECK(with.description == "ShellExecuteExW(open, '" + test::helper() +
                                  "', '--flag \"two words\" quote\\\"d tail\\ \"\" \"" + doc +
                                  "\" https://example.com/?a=1&b=2')");

    // diagnose() shows the same for open_url.
    CHECK(liftoff::diagnose().open_url_plan == "ShellExecuteExW(open, 'https://example.com/')");
}

TEST_CASE("open_with a program path: it gets app_args then the targets, exactly, and the child owns it") {
    test::scratch_dir dir;
    const std::string rec = dir.file("rec");
    const std::string doc = dir.write("notes \xc3\xa9.txt", "x");
    auto opts = recorder_args(rec);
    const strings tricky = {"", " ", "a\"b", "\\\\server\\share\\", "x & y | z", "%PATH%", "\xe2\x9c\x93"};
    opts.app_args.insert(opts.app_args.end(), tricky.begin(), tricky.end());
    auto c = liftoff::open_with(test::helper(), {doc, "https://example.com/?q=a&b=c"}, opts);
    REQUIRE(c.valid());
    CHECK(c.pid() != 0);
    strings expected = tricky;
    expected.push_back(doc);
    expected.push_back("https://example.com/?q=a&b=c");
    CHECK(recorded(rec) == expected);
    CHECK(c.wait().success());
}

TEST_CASE("open_with: confirm catches an application that fails at once; wait waits for it") {
    liftoff::open_options opts;
    opts.app_args = {"exit", "3"};
    expect_open_failure([&](auto&&... ec) { return liftoff::open_with(test::helper(), {}, opts, ec...); },
                        errc::opener_failed, {"exited with code 3 at once", test::helper()});

    opts.app_args = {"sleep", "300", "exit", "4"};
    opts.confirm = 0ms;  // not watched: it counts as opened
    auto c = liftoff::open_with(test::helper(), {}, opts);
    REQUIRE(c.valid());
    CHECK(c.wait().code() == 4);

    opts.app_args = {"sleep", "300"};
    opts.wait = true;
    const auto t0 = clock_type::now();
    auto waited = liftoff::open_with(test::helper(), {}, opts);
    CHECK(clock_type::now() - t0 >= 300ms);
    REQUIRE(waited.valid());
    CHECK_FALSE(waited.running());
    CHECK(waited.wait().success());
}

TEST_CASE("open_with a bare name: App Paths under HKEY_CURRENT_USER, then HKEY_LOCAL_MACHINE, then PATH") {
    test::scratch_dir dir;
    const std::string rec = dir.file("rec");
    const std::string copy = dir.copy_helper("recorder copy");
    const auto opts = recorder_args(rec);
    {
        registry reg;
        // HKEY_CURRENT_USER wins: HKEY_LOCAL_MACHINE names cmd.exe, which would record nothing.
        REQUIRE(reg.set(HKEY_CURRENT_USER, app_paths + "liftoff-recorder.exe", "\"" + copy + "\""));
        const bool machine =
            reg.set(HKEY_LOCAL_MACHINE, app_paths + "liftoff-recorder.exe", liftoff::detail::windows_system::cmd_exe());
        if (!machine) MESSAGE("this user cannot write HKEY_LOCAL_MACHINE: its part is not checked");
        CHECK(liftoff::plan_open_with("liftoff-recorder", {}, opts).description ==
              "ShellExecuteExW(open, '" + copy + "', '" + liftoff::detail::shell_parameters(opts.app_args) + "')");
        liftoff::open_with("liftoff-recorder", {"https://example.com/"}, opts).wait();
        CHECK(recorded(rec) == strings{"https://example.com/"});
        std::filesystem::remove(test::fs_path(rec));

        // A stale HKEY_CURRENT_USER entry (its file is gone) gives way to HKEY_LOCAL_MACHINE's,
        // here a REG_EXPAND_SZ value.
        if (machine) {
            REQUIRE(reg.set(HKEY_CURRENT_USER, app_paths + "liftoff-recorder.exe", dir.file("gone.exe")));
            test::set_env("LIFTOFF_TEST_DIR", dir.path());
            REQUIRE(reg.set(HKEY_LOCAL_MACHINE, app_paths + "liftoff-recorder.exe",
                            "%LIFTOFF_TEST_DIR%\\recorder copy.exe", {}, REG_EXPAND_SZ));
            liftoff::open_with("liftoff-recorder.exe", {"https://example.com/2"}, opts).wait();
            CHECK(recorded(rec) == strings{"https://example.com/2"});
            std::filesystem::remove(test::fs_path(rec));
        }
    }

    // Not registered: PATH (with PATHEXT), this process's.
    const auto path = liftoff::detail::native_platform::get_env("PATH");
    test::set_env("PATH", dir.path() + ";" + path.value_or(""));
    auto c = liftoff::open_with("recorder copy", {"https://example.com/3"}, opts);
    test::set_env("PATH", path.value_or(""));
    c.wait();
    CHECK(recorded(rec) == strings{"https://example.com/3"});

    expect_open_failure(
        [&](auto&&... ec) { return liftoff::open_with("liftoff-nowhere", {"https://example.com/"}, opts, ec...); },
        errc::application_not_found,
        {"with 'liftoff-nowhere'", "neither registered in App Paths (no liftoff-nowhere.exe under HKEY_CURRENT_USER",
         "nor a program in PATH (searched ", "give the full path of its .exe"});
    const std::string text = dir.write("not a program.txt", "x");
    expect_open_failure([&](auto&&... ec) { return liftoff::open_with(text, {}, opts, ec...); },
                        errc::application_not_found, {"is not a program", "PATHEXT"});
    expect_open_failure([&](auto&&... ec) { return liftoff::open_with(dir.file("absent.exe"), {}, opts, ec...); },
                        errc::application_not_found, {"does not exist"});
}

TEST_CASE("open_with a .bat script: launched with cmd.exe-safe escaping, never through ShellExecuteExW") {
    test::scratch_dir dir;
    const std::string rec = dir.file("rec");
    const std::string script = dir.write("Rec.Bat", "@echo off\r\n\"" + test::helper() + "\" %*\r\n");
    const auto opts = recorder_args(rec);
    const auto plan = liftoff::plan_open_with(script, {"https://example.com/?a=1&b=2"}, opts);
    REQUIRE(plan.launch);
    CHECK(plan.opener == "program");
    const std::string injected = dir.file("INJECTED");
    liftoff::open_with(script, {"https://example.com/?a=1&b=2"}, opts);
    CHECK(recorded(rec) == strings{"https://example.com/?a=1&b=2"});
    CHECK_FALSE(std::filesystem::exists(test::fs_path(injected)));
}

TEST_CASE("open_path of a program runs it only with allow_executables") {
    test::scratch_dir dir;
    const std::string prog = dir.copy_helper("tool");
    expect_open_failure([&](auto&&... ec) { return liftoff::open_path(prog, {}, ec...); }, errc::refused_executable,
                        {"is a program", "allow_executables"});
    liftoff::open_options opts;
    opts.allow_executables = true;
    auto c = liftoff::open_path(prog, opts);
    REQUIRE(c.valid());
    CHECK(c.wait().success());
}

TEST_CASE("fallback_apps: with no association, each in order as open_with runs it; all failing, each named") {
    // Counterparts: Python webbrowser.open() trying each browser of _tryorder; npm open's
    // app: {name: [...]} ("the first that works is used").
    test::scratch_dir dir;
    const std::string rec = dir.file("rec");
    const std::string orphan = dir.write("data.liftoffnoassoc", "x");
    auto opts = recorder_args(rec);  // app_args go to a fallback as to open_with's application
    opts.fallback_apps = {"liftoff-nowhere", test::helper()};
    auto c = liftoff::open_path(orphan, opts);
    if (c.valid()) c.wait();
    CHECK(recorded(rec) == strings{orphan});
    std::filesystem::remove(test::fs_path(rec));
    const auto plan = liftoff::plan_open_path(orphan, opts);
    CHECK(test::contains(plan.description, "ShellExecuteExW(open, '" + orphan +
                                               "'); if that fails, fallback_apps in order: 'liftoff-nowhere' "
                                               "(not usable: 'liftoff-nowhere' is neither registered in App Paths"));
    CHECK(test::contains(plan.description,
                         ", else '" + test::helper() + "' (ShellExecuteExW(open, '" + test::helper() + "', '"));

    const std::string absent = dir.file("absent.exe");
    opts.fallback_apps = {"liftoff-nowhere-1", absent};
    expect_open_failure([&](auto&&... ec) { return liftoff::open_path(orphan, opts, ec...); }, errc::no_handler,
                        {"liftoff: cannot open '" + orphan + "': no application is associated with it",
                         "; and every fallback application failed: 'liftoff-nowhere-1': 'liftoff-nowhere-1' is "
                         "neither registered in App Paths",
                         "; '" + absent + "': '" + absent + "' does not exist"});

    // Never for a refused target or name: nothing runs.
    opts.fallback_apps = {test::helper()};
    expect_open_failure([&](auto&&... ec) { return liftoff::open_path(dir.file("absent.txt"), opts, ec...); },
                        errc::target_not_found, {"does not exist"});
    opts.allowed_schemes = {"liftoff-nothing"};
    expect_open_failure([&](auto&&... ec) { return liftoff::open_url("liftoff-nothing:a b", opts, ec...); },
                        errc::unsafe_url, {"a space"});
    opts.fallback_apps = {"%COMSPEC%"};
    expect_open_failure([&](auto&&... ec) { return liftoff::open_path(orphan, opts, ec...); }, errc::invalid_argument,
                        {"a fallback_apps entry '%COMSPEC%' holds '%'"});
    std::this_thread::sleep_for(100ms);
    CHECK_FALSE(std::filesystem::exists(test::fs_path(rec)));
}

TEST_CASE("fallback_apps: a default handler that works touches none") {
    test::scratch_dir dir;
    registry reg;
    const std::string rec = dir.file("rec"), fallback_rec = dir.file("fallback-rec");
    reg.associate_recorder(rec);
    const std::string doc = dir.write("a.liftofftest", "x");
    auto opts = recorder_args(fallback_rec);
    opts.fallback_apps = {test::helper()};
    auto c = liftoff::open_path(doc, opts);
    if (c.valid()) c.wait();
    CHECK(recorded(rec) == strings{doc});
    CHECK_FALSE(std::filesystem::exists(test::fs_path(fallback_rec)));
}

TEST_CASE("ShellExecuteExW from a thread in the multithreaded apartment: made on a thread of its own") {
    using co_initialize_ex = HRESULT(WINAPI*)(LPVOID, DWORD);
    using co_uninitialize = void(WINAPI*)();
    HMODULE ole32 = ::LoadLibraryW(L"ole32.dll");
    REQUIRE(ole32 != nullptr);
    const auto init =
        reinterpret_cast<co_initialize_ex>(reinterpret_cast<void*>(::GetProcAddress(ole32, "CoInitializeEx")));
    const auto uninit =
        reinterpret_cast<co_uninitialize>(reinterpret_cast<void*>(::GetProcAddress(ole32, "CoUninitialize")));
    const bool loaded = init != nullptr && uninit != nullptr;
    REQUIRE(loaded);
    test::scratch_dir dir;
    const std::string rec = dir.file("rec");
    bool mta = false, opened = false, apartment_kept = false;
    std::thread([&] {
        mta = SUCCEEDED(init(nullptr, 0 /* COINIT_MULTITHREADED */));
        std::error_code ec;
        auto c = liftoff::open_with(test::helper(), {"https://example.com/"}, recorder_args(rec), ec);
        opened = !ec && c.valid();
        // The thread's apartment is as it was: asking for the STA again still says it is the MTA.
        apartment_kept = init(nullptr, 0x2 /* COINIT_APARTMENTTHREADED */) == RPC_E_CHANGED_MODE;
        if (mta) uninit();
    }).join();
    CHECK(mta);
    CHECK(opened);
    CHECK(apartment_kept);
    CHECK(recorded(rec) == strings{"https://example.com/"});
}

TEST_CASE("from_system_encoding: the ANSI code page to UTF-8; encoding_error where it does not convert") {
    const UINT acp = ::GetACP();
    const std::string latin = "caf\xe9 \x80";  // "café €" in Windows-1252
    if (acp == 1252) {
        CHECK(liftoff::from_system_encoding(latin) == "caf\xc3\xa9 \xe2\x82\xac");
    } else {
        MESSAGE("the ANSI code page here is " << acp << ", not 1252: the Windows-1252 case is not checked");
    }
    CHECK(liftoff::from_system_encoding("plain ASCII") == "plain ASCII");
    CHECK(liftoff::from_system_encoding("").empty());

    // Shift-JIS (code page 932): U+3042 is 82 A0; a lead byte with nothing after it is not text.
    // The code page is a system setting (wine takes it from LANG when it starts), so a platform
    // whose ANSI code page is 932 stands in for such a system.
    struct shift_jis_system : liftoff::detail::native_platform {
        static std::optional<std::string> decode_system_text(std::string_view text) {
            return decode_code_page(text, 932);
        }
        static std::string system_encoding_name() { return "the ANSI code page (932)"; }
    };
    CHECK(test::on<shift_jis_system>::from_system_encoding("\x82\xa0") == "\xe3\x81\x82");
    std::error_code ec;
    CHECK(test::on<shift_jis_system>::from_system_encoding("A\x82", ec).empty());
    CHECK(ec == errc::encoding_error);
    try {
        test::on<shift_jis_system>::from_system_encoding("A\x82");
        FAIL("no launch_error");
    } catch (const liftoff::launch_error& e) {
        CHECK(e.code() == errc::encoding_error);
        const std::string msg = e.what();
        CHECK_MESSAGE(test::contains(msg, "liftoff: cannot convert 'A\\x82' to UTF-8"), msg);
        CHECK_MESSAGE(test::contains(msg, "not valid text in the ANSI code page (932)"), msg);
        CHECK_MESSAGE(test::contains(msg, "it may be UTF-8 already"), msg);
    }
    // The same through the real code page, where it is a double-byte one.
    if (acp == 932 || acp == 936 || acp == 949 || acp == 950) {
        CHECK_THROWS_AS(liftoff::from_system_encoding("A\x82"), liftoff::launch_error);
    }
}
