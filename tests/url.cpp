// tests/url.cpp: the URL check of open_url() and the plans, the launcher-name check of
// open_path(), and file: URIs. Pure functions: nothing is launched.
// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include "support.hpp"

using liftoff::errc;
namespace d = liftoff::detail;

namespace {

const std::vector<std::string> web{"http", "https", "mailto"};

/// The failure for `url`, checking it is unsafe_url and names the URL.
liftoff::failure refused(const std::string& url, const std::vector<std::string>& allowed = web) {
    liftoff::failure f = d::check_url(url, allowed);
    CHECK_MESSAGE(f.code == errc::unsafe_url, url);
    CHECK_MESSAGE(test::contains(f.message, "liftoff: cannot open '"), f.message);
    return f;
}

}  // namespace

TEST_CASE("well-formed URLs of an allowed scheme pass, whatever RFC 3986 characters they hold") {
    for (const char* ok : {"https://example.com/", "http://example.com", "HTTPS://EXAMPLE.COM/A?b=c&d=e#f",
                           "https://example.com/?q=a&b=c", "https://user:pw@example.com:8443/p;x=1/%7Euser?a[]=1",
                           "mailto:someone@example.com?subject=hi%20there", "https://[::1]:8080/",
                           "https://example.com/it's(fine)!*+,;=$", "https://x.y/%C3%A9"})
        CHECK_MESSAGE(!d::check_url(ok, web), ok);
}

TEST_CASE("each character RFC 3986 does not allow is refused with its position and its encoding") {
    struct row {
        std::string url, named, encoding;
    };
    const std::vector<row> rows{
        {"https://a.b/x y", "a space at position 14", "%20"},
        {"https://a.b/\"q\"", "'\"' at position 13", "%22"},
        {"https://a.b/<script>", "'<' at position 13", "%3C"},
        {"https://a.b/>", "'>' at position 13", "%3E"},
        {"https://a.b/\\", "'\\' at position 13", "%5C"},
        {"https://a.b/^", "'^' at position 13", "%5E"},
        {"https://a.b/`id`", "'`' at position 13", "%60"},
        {"https://a.b/{", "'{' at position 13", "%7B"},
        {"https://a.b/|", "'|' at position 13", "%7C"},
        {"https://a.b/}", "'}' at position 13", "%7D"},
        {"https://a.b/\x01", "a control character (\\x01) at position 13", "%01"},
        {"https://a.b/\n", "a newline at position 13", "%0A"},
        {"https://a.b/\x7f", "a control character (\\x7f) at position 13", "%7F"},
        {"https://a.b/caf\xc3\xa9", "the non-ASCII character '\xc3\xa9' at position 16", "%C3%A9"},
        {"https://a.b/\xff", "the byte 0xFF (not UTF-8) at position 13", "%FF"},
    };
    for (const auto& r : rows) {
        const auto f = refused(r.url);
        CHECK_MESSAGE(test::contains(f.message, r.named), f.message);
        CHECK_MESSAGE(test::contains(f.message, "percent-encode it as " + r.encoding), f.message);
        CHECK_MESSAGE(test::contains(f.message, "nothing was run"), f.message);
    }
}

TEST_CASE("a '%' that does not begin a %XX escape is refused") {
    for (const char* bad : {"https://a.b/%", "https://a.b/%4", "https://a.b/%zz", "https://a.b/100%"})
        CHECK(test::contains(refused(bad).message, "write a literal '%' as %25"));
}

TEST_CASE("a URL that could read as an option, or begins with whitespace, is refused") {
    CHECK(test::contains(refused("-https://a.b/").message, "begins with '-'"));
    CHECK(test::contains(refused("--help").message, "could read it as an option"));
    CHECK(test::contains(refused(" https://a.b/").message, "begins with whitespace"));
    CHECK(test::contains(refused("\thttps://a.b/").message, "begins with whitespace"));
}

TEST_CASE("only absolute URLs of an allowed scheme pass; schemes compare ignoring case") {
    CHECK(test::contains(refused("").message, "empty"));
    CHECK(test::contains(refused("example.com").message, "not an absolute URL"));
    CHECK(test::contains(refused("/etc/passwd").message, "use open_path()"));
    const auto f = refused("file:///etc/passwd");
    CHECK(test::contains(f.message, "the scheme 'file' is not allowed (allowed: http, https, mailto)"));
    CHECK(test::contains(f.message, "allowed_schemes"));
    CHECK(test::contains(refused("javascript:alert(1)").message, "'javascript' is not allowed"));
    CHECK(test::contains(refused("https://a.b/", {}).message, "allowed: none"));
    CHECK_FALSE(d::check_url("file:///etc/passwd", {"FILE"}));
    CHECK_FALSE(d::check_url("MailTo:x@y", web));
}

TEST_CASE("http and https URLs need a host") {
    for (const char* bad : {"https:", "https:example.com", "https:/example.com", "https://", "https:///x", "http://?q"})
        CHECK_MESSAGE(d::check_url(bad, web).code == errc::unsafe_url, bad);
}

TEST_CASE("an empty host behind a port or userinfo is no host") {
    for (const char* bad : {"http://:80/", "http://@/", "https://user@:443/x", "http://user:pw@", "https://@:1#f",
                            "HTTP://:80", "https://[]:443/", "http://a@b@:8/"}) {
        const auto f = refused(bad);
        CHECK_MESSAGE(test::contains(f.message, "URL needs a host after '//'"), f.message);
        CHECK_MESSAGE(test::contains(f.message, "://host/path (nothing was run)"), f.message);
    }
    for (const char* ok :
         {"http://h:80/", "http://u@h/", "https://u:p@h:443/x", "http://[::1]:80/", "http://h?q", "http://a@b@c/"})
        CHECK_MESSAGE(!d::check_url(ok, web), ok);
    CHECK(d::url_host("//u:p@Host:8/x") == "Host");
    CHECK(d::url_host("//[fe80::1%25eth0]:8/") == "fe80::1%25eth0");
}

TEST_CASE("mailto: an attach or attachment field is refused unless allowed, however it is spelled") {
    for (const char* bad :
         {"mailto:a@b?attach=/etc/passwd", "mailto:a@b?subject=x&attachment=~/.ssh/id_rsa", "mailto:?ATTACH=x",
          "MAILTO:a@b?Attachment=file:///etc/passwd", "mailto:a@b?%61ttach=/etc/passwd",
          "mailto:a@b?%41%54%54%41%43%48%4D%45%4E%54=x", "mailto:a@b?body=x;attach=/y", "mailto:a@b?x=1?attach=/y",
          "mailto:a@b?%20attach%20=/y", "mailto:a@b?body=1%26attach%3D/etc/passwd", "mailto:a@b?attach",
          "mailto:a@b%3Fattach=/etc/passwd", "mailto:a@b?%2561ttach=/etc/passwd"}) {
        const auto f = refused(bad);
        CHECK_MESSAGE(test::contains(f.message, "it asks the mail client to attach a file"), f.message);
        CHECK_MESSAGE(test::contains(f.message, "open_options::allow_mail_attachments"), f.message);
        CHECK_MESSAGE(test::contains(f.message, "nothing was run"), f.message);
        CHECK_MESSAGE(!d::check_url(bad, web, true), bad);
    }
    for (const char* ok : {"mailto:attach@example.com", "mailto:a@b?subject=attach", "mailto:a@b?subject=x&body=y",
                           "mailto:a@b?attachments=x", "mailto:a@b?x-attach=y", "https://a.b/?attach=/etc/passwd"})
        CHECK_MESSAGE(!d::check_url(ok, web), ok);
    // open_url() and open_with()'s URL targets go through the same check, and the same option.
    CHECK_THROWS_AS(liftoff::plan_open_url("mailto:a@b?attach=/etc/passwd"), liftoff::launch_error);
    std::error_code ec;
    liftoff::plan_open_with("liftoff-no-such-mailer", {"mailto:a@b?attach=/etc/passwd"}, {}, ec);
    CHECK(ec == errc::unsafe_url);
    liftoff::open_options allow;
    allow.allow_mail_attachments = true;
    liftoff::plan_open_with("liftoff-no-such-mailer", {"mailto:a@b?attach=/etc/passwd"}, allow, ec);
    CHECK(ec != errc::unsafe_url);
}

TEST_CASE("the scheme is handed over in lowercase, the rest as given") {
    CHECK(d::with_lowercase_scheme("HTTPS://EXAMPLE.COM/A?B=C#D") == "https://EXAMPLE.COM/A?B=C#D");
    CHECK(d::with_lowercase_scheme("MailTo:Someone@X") == "mailto:Someone@X");
    CHECK(d::with_lowercase_scheme("Web+Foo.Bar:X") == "web+foo.bar:X");
    CHECK(d::with_lowercase_scheme("no scheme/X:Y") == "no scheme/X:Y");
}

TEST_CASE("url_scheme finds a scheme only at the start and only if well formed") {
    CHECK(d::url_scheme("https://x") == "https");
    CHECK(d::url_scheme("web+foo.bar-x:1") == "web+foo.bar-x");
    CHECK(d::url_scheme("C:\\x") == "C");
    CHECK(d::url_scheme("1http://x").empty());
    CHECK(d::url_scheme("/a:b").empty());
    CHECK(d::url_scheme("no-colon").empty());
}

TEST_CASE("file_uri percent-encodes everything but unreserved characters and '/'") {
    CHECK(d::file_uri("/tmp/a b/it's,\"x\"\\y") == "file:///tmp/a%20b/it%27s%2C%22x%22%5Cy");
    CHECK(d::file_uri("/tmp/caf\xc3\xa9~_-.") == "file:///tmp/caf%C3%A9~_-.");
}

TEST_CASE("launcher names are known whatever their case and trailing dots or spaces") {
    for (const char* n : {"x.desktop", "SETUP.EXE", "run.bat", "run.BAT.", "run.cmd . .", "x.lnk", "x.url", "X.app",
                          "x.command", "x.jar", "x.ps1", "x.vbs", "x.AppImage", "x.msi", "x.scr", "x.hta", "x.js"})
        CHECK_MESSAGE(d::is_launcher_name(n), n);
    for (const char* n : {"report.pdf", "notes.txt", "photo.jpeg", "archive.tar.gz", "desktop", "x.exe.txt", ".bashrc",
                          ".", "..", "exe", ""})
        CHECK_MESSAGE(!d::is_launcher_name(n), n);
}

TEST_CASE("a name that is only an extension is that kind of file: .exe, .exe., .bat, .lnk, .desktop") {
    for (const char* n : {".exe", ".exe.", ".EXE . ", ".bat", ".lnk", ".desktop", ".cmd", ".url"})
        CHECK_MESSAGE(d::is_launcher_name(n), n);
    // open_path() refuses such a file before any opener is asked (the rule Windows relies on alone).
    test::scratch_dir dir;
    for (const char* n : {".exe", ".bat", ".lnk", ".desktop"}) {
        const std::string file = dir.write(n, "MZ\n");
        std::error_code ec;
        const auto p = liftoff::plan_open_path(file, {}, ec);
        CHECK_MESSAGE(ec == errc::refused_executable, n);
        CHECK_FALSE(p.launch);
        try {
            liftoff::plan_open_path(file);
            FAIL("no launch_error for " << std::string(n));
        } catch (const liftoff::launch_error& e) {
            CHECK(e.code() == errc::refused_executable);
            CHECK(test::contains(e.what(), "is a program or launcher ('" + std::string(n) + "'"));
            CHECK(test::contains(e.what(), "allow_executables"));
        }
    }
}
