// tests/desktop_entry.cpp: Desktop Entry files (groups, escapes, Exec quoting, field codes) and
// $BROWSER lists and templates, as open_with() and the URL openers read them. Pure functions.
// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include "support.hpp"

namespace d = liftoff::detail;
using strings = std::vector<std::string>;

namespace {

/// The Exec value as written in a file, split the way open_with() splits it.
strings split(const std::string& written) {
    const auto s = d::split_exec(d::unescape_desktop_string(written));
    REQUIRE_MESSAGE(s.error.empty(), written << ": " << s.error);
    strings out;
    for (const auto& w : s.words)
        out.push_back(w.text);
    return out;
}

d::exec_expansion expand(const std::string& written, const std::vector<d::exec_target>& targets,
                         const strings& app_args = {}) {
    const auto s = d::split_exec(d::unescape_desktop_string(written));
    REQUIRE(s.error.empty());
    d::exec_context ctx{"Text Editor", "accessories-text-editor", "/usr/share/applications/editor.desktop"};
    return d::expand_exec(s.words, ctx, targets, app_args);
}

d::exec_target file(std::string p) {
    return {std::move(p), false};
}
d::exec_target url(std::string u) {
    return {std::move(u), true};
}

}  // namespace

TEST_CASE("only the [Desktop Entry] group is read; comments, other groups and localised keys are skipped") {
    const auto e = d::parse_desktop_entry(
        "# a comment\r\n[Desktop Entry]\r\nName=Editor\r\nName[de]=Bearbeiter\r\n  Exec = editor %U\r\n"
        "Name=Second\r\n\r\n[Desktop Action new]\r\nExec=editor --new\r\nTerminal=true\r\n");
    CHECK(e.get("Name") == std::optional<std::string>("Editor"));
    CHECK(e.get("Exec") == std::optional<std::string>("editor %U"));
    CHECK_FALSE(e.get("Terminal"));
    CHECK_FALSE(e.flag("Terminal"));
    CHECK_FALSE(e.get("Name[de]"));
}

TEST_CASE("string escapes are undone first, other backslash pairs are left for the quoting rules") {
    CHECK(d::unescape_desktop_string(R"(a\sb\tc\nd\re\\f)") == "a b\tc\nd\re\\f");
    CHECK(d::unescape_desktop_string(R"(\"x\$)") == R"(\"x\$)");
    CHECK(d::unescape_desktop_string("trailing\\") == "trailing\\");
}

TEST_CASE("Exec: the specification's quoting: spaces separate, double quotes group, \\ escapes in quotes") {
    CHECK(split("editor --new-window %U") == strings{"editor", "--new-window", "%U"});
    CHECK(split(R"("/opt/My Editor/bin/editor" %f)") == strings{"/opt/My Editor/bin/editor", "%f"});
    // A literal backslash in a quoted argument takes four in the file; a dollar sign two.
    CHECK(split(R"(sh -c "echo \\\\ \\$HOME \"q\" \`x\`")") == strings{"sh", "-c", R"(echo \ $HOME "q" `x`)"});
    CHECK(split(R"(app "" x)") == strings{"app", "", "x"});
    CHECK(split("app\\sone two") == strings{"app", "one", "two"});  // \s is a space, and spaces separate
    CHECK(split("a  \t b") == strings{"a", "b"});
    CHECK(split(R"(app --opt="a b"c)") == strings{"app", "--opt=a bc"});
}

TEST_CASE("Exec: an unclosed quote or an empty line is an error") {
    CHECK_FALSE(d::split_exec(R"(app "unclosed)").error.empty());
    CHECK_FALSE(d::split_exec("   ").error.empty());
}

TEST_CASE("%u and %f take one target as one argument, whatever it holds") {
    const std::string hostile = "/tmp/-x $(id); rm -rf ~ & \"q\" 'q' `id` *";
    auto x = expand("editor %f", {file(hostile)});
    REQUIRE(x.error.empty());
    REQUIRE(x.argvs.size() == 1);
    CHECK(x.argvs[0] == strings{"editor", hostile});
    x = expand("browser %u", {url("https://a.b/?q=$(id)&x=;")});
    CHECK(x.argvs[0] == strings{"browser", "https://a.b/?q=$(id)&x=;"});
}

TEST_CASE("%f or %u with several targets launches once per target (the specification's rule)") {
    const auto x = expand("editor %f", {file("/a"), file("/b")});
    REQUIRE(x.argvs.size() == 2);
    CHECK(x.argvs[0] == strings{"editor", "/a"});
    CHECK(x.argvs[1] == strings{"editor", "/b"});
}

TEST_CASE("%F and %U take every target, each one argument") {
    const auto x = expand("editor --x %F --y", {file("/a b"), file("/c")});
    REQUIRE(x.argvs.size() == 1);
    CHECK(x.argvs[0] == strings{"editor", "--x", "/a b", "/c", "--y"});
    CHECK(expand("editor %U", {}).argvs[0] == strings{"editor"});
}

TEST_CASE("app_args go before the targets; without a target code the targets are appended") {
    CHECK(expand("editor %U", {url("https://a.b/")}, {"--new", "-p"}).argvs[0] ==
          strings{"editor", "--new", "-p", "https://a.b/"});
    CHECK(expand("editor --flag", {file("/a")}, {"--new"}).argvs[0] == strings{"editor", "--flag", "--new", "/a"});
    CHECK(expand("editor --file=%f", {file("/a")}, {"--new"}).argvs[0] == strings{"editor", "--new", "--file=/a"});
}

TEST_CASE("%i %c %k %% expand; deprecated and unknown codes are dropped") {
    const auto x = expand("editor %i --name=%c %k 100%% %d %D %n %N %v %m %z %f", {file("/a")});
    REQUIRE(x.error.empty());
    CHECK(x.argvs[0] == strings{"editor", "--icon", "accessories-text-editor", "--name=Text Editor",
                                "/usr/share/applications/editor.desktop", "100%", "/a"});
}

TEST_CASE("a field code where the program belongs is an invalid line: no target runs as the program") {
    // Exec=%F would run the user's first file; %f with no target, or %i without an Icon, leave
    // nothing to run (and plan_open_with, noexcept, took argv.front() of an empty argv).
    for (const char* bad :
         {"%F", "%f", "%U %F", "%u --x", "%i %f", "%c", "%k", "%d app", "%z app", "x%cy %f", "%F/bin/app", "\"\" %f"}) {
        const auto s = d::split_exec(bad);
        CHECK_MESSAGE(s.words.empty(), bad);
        CHECK_MESSAGE((test::contains(s.error, "where the program belongs") ||
                       test::contains(s.error, "its program (the first word) is empty")),
                      bad << ": " << s.error);
    }
    CHECK(test::contains(d::split_exec("%F").error, "its first word '%F' holds the field code %F"));
    // expand_exec keeps the rule too, whoever split the words.
    const std::vector<d::exec_word> words{{"%f", "  "}};
    const auto x = d::expand_exec(words, {}, {}, {});
    CHECK(x.argvs.empty());
    CHECK(test::contains(x.error, "where the program belongs"));
    // A literal '%' in the program is written %%.
    CHECK(split("100%%-app %f") == strings{"100%%-app", "%f"});
    CHECK(expand("100%%-app %f", {file("/a")}).argvs[0] == strings{"100%-app", "/a"});
}

TEST_CASE("a field code inside a quoted argument, wholly or partly quoted, is an invalid line") {
    for (const char* bad : {R"(sh -c "echo "%u)", R"(sh -c "open %u")", R"(app "%u")", R"(app "%F")", R"(app %"u")",
                            R"(app x"y"%f)", R"(app "--name=%c")", R"(app "%k")", R"(app "%i")", R"(app "a%%b%f")"}) {
        const auto s = d::split_exec(bad);
        CHECK_MESSAGE(s.words.empty(), bad);
        CHECK_MESSAGE(test::contains(s.error, "is inside a quoted argument"), bad << ": " << s.error);
        CHECK_MESSAGE(test::contains(s.error, "which the Desktop Entry Specification forbids"), s.error);
    }
    // A quoted '%' does not pair with the unquoted code after it (found by libFuzzer).
    for (const char* bad : {R"(sh -c "echo %"%u)", R"(app "x%"%f)", R"(app "%"%U)"}) {
        const auto s = d::split_exec(bad);
        CHECK_MESSAGE(test::contains(s.error, "is inside a quoted argument"), bad << ": " << s.error);
    }
    CHECK(test::contains(d::split_exec(R"(" %"%i)").error, "where the program belongs"));
    CHECK(test::contains(d::split_exec(R"(sh -c "echo "%u)").error,
                         "the field code %u is inside a quoted argument ('echo %u')"));
    // Quoted text with no field code, and codes in unquoted arguments, are fine.
    CHECK(split(R"(sh -c "printf 100%%; date +%Y" %u)") == strings{"sh", "-c", "printf 100%%; date +%Y", "%u"});
    CHECK(expand(R"("/opt/My App/app" --x %u)", {url("https://a.b/")}).argvs[0] ==
          strings{"/opt/My App/app", "--x", "https://a.b/"});
}

TEST_CASE("a URL for an application that takes only files is refused; two target codes are invalid") {
    auto x = expand("editor %F", {url("https://a.b/")});
    CHECK(x.wrong_target);
    CHECK(test::contains(x.error, "takes local files"));
    x = expand("editor %f %u", {file("/a")});
    CHECK(test::contains(x.error, "more than one"));
    x = expand("editor --files=%F", {file("/a")});
    CHECK(test::contains(x.error, "not an argument of its own"));
}

TEST_CASE("$BROWSER: a ':' list, empty entries skipped, each entry split into words") {
    const auto list = d::parse_browser_list("firefox::w3m -dump:chromium --incognito %s:");
    REQUIRE(list.size() == 3);
    CHECK(list[0].words == strings{"firefox"});
    CHECK_FALSE(list[0].templated);
    CHECK(list[1].words == strings{"w3m", "-dump"});
    CHECK(list[2].words == strings{"chromium", "--incognito", "%s"});
    CHECK(list[2].templated);
    CHECK(d::parse_browser_list("").empty());
}

TEST_CASE("$BROWSER: the URL goes in after the split, as one word; %% is a '%'") {
    const std::string hostile = "https://a.b/?x=1%20--remote-debugging-port=9&y=a b";
    auto list = d::parse_browser_list("chromium --app=%s --title=100%%");
    CHECK(d::browser_argv(list[0], hostile) == strings{"chromium", "--app=" + hostile, "--title=100%"});
    list = d::parse_browser_list("w3m -dump");
    CHECK(d::browser_argv(list[0], hostile) == strings{"w3m", "-dump", hostile});
    list = d::parse_browser_list("open %s%s");
    CHECK(d::browser_argv(list[0], "u") == strings{"open", "uu"});
}
