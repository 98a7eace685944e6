// tests/windows_rules.cpp: the pure Windows rules, run on every OS: UTF-8 <-> UTF-16, command-line
// quoting (a fixed and a generated corpus checked against an independent parser written here,
// and under Windows/wine against CommandLineToArgvW itself), cmd.exe escaping for .bat/.cmd and
// its refusals, environment blocks, PATHEXT candidates, and the openers' error mapping.
// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include <liftoff/liftoff.hpp>  // the pure rules are in every build, the single header's too

#include <random>
#include <string>
#include <vector>

#if defined(_WIN32)
#include <windows.h>
#include <shellapi.h>  // CommandLineToArgvW
#endif                 // _WIN32

namespace d = liftoff::detail;
using strings = std::vector<std::string>;

namespace {

/// An independent reading of a command line by the documented rules ("Parsing C command-line
/// arguments"; CommandLineToArgvW): the first word up to the next quote or blank with no
/// escapes; after it, 2n backslashes + '"' give n backslashes and toggle quoting, 2n+1 give n
/// and a literal '"', other backslashes are literal, and "" inside quotes gives a '"'.
strings parse_command_line(const std::string& line) {
    strings out;
    std::size_t i = 0;
    std::string word;
    if (i < line.size() && line[i] == '"') {
        const auto end = line.find('"', i + 1);
        word = line.substr(i + 1, end == std::string::npos ? std::string::npos : end - i - 1);
        i = end == std::string::npos ? line.size() : end + 1;
    } else {
        while (i < line.size() && line[i] != ' ' && line[i] != '\t')
            word += line[i++];
    }
    out.push_back(word);
    for (;;) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
            ++i;
        if (i >= line.size()) break;
        std::string arg;
        bool quoted = false;
        while (i < line.size()) {
            const char c = line[i];
            if (!quoted && (c == ' ' || c == '\t')) break;
            if (c == '\\') {
                std::size_t n = 0;
                while (i < line.size() && line[i] == '\\')
                    ++n, ++i;
                if (i < line.size() && line[i] == '"') {
                    arg.append(n / 2, '\\');
                    if (n % 2 == 1) {
                        arg += '"';
                        ++i;
                    }
                } else {
                    arg.append(n, '\\');
                }
                continue;
            }
            if (c == '"') {
                if (quoted && i + 1 < line.size() && line[i + 1] == '"') {
                    arg += '"';
                    i += 2;
                    continue;
                }
                quoted = !quoted;
                ++i;
                continue;
            }
            arg += c;
            ++i;
        }
        out.push_back(arg);
    }
    return out;
}

#if defined(_WIN32)
strings parse_with_windows(const std::string& line) {
    std::wstring wide;
    REQUIRE(d::utf8_to_utf16(line, wide));
    int n = 0;
    wchar_t** argv = ::CommandLineToArgvW(wide.c_str(), &n);
    REQUIRE(argv != nullptr);
    strings out;
    for (int k = 0; k < n; ++k)
        out.push_back(d::utf16_to_utf8(std::wstring_view(argv[k])));
    ::LocalFree(argv);
    return out;
}
#endif  // _WIN32

void check_round_trip(const strings& args) {
    const auto line = d::make_windows_command_line("C:\\Program Files\\x y\\prog.exe", args);
    REQUIRE(line);
    strings want{"C:\\Program Files\\x y\\prog.exe"};
    want.insert(want.end(), args.begin(), args.end());
    CHECK_MESSAGE(parse_command_line(line.text) == want, line.text);
#if defined(_WIN32)
    CHECK_MESSAGE(parse_with_windows(line.text) == want, line.text);
#endif  // _WIN32
}

/// cmd.exe's first pass over a /c command line ("command-line mode"): %NAME% is replaced when
/// NAME is set; otherwise the '%' stays and the scan goes on after it. %cd:~,% (an empty
/// substring of the current directory) expands to nothing.
std::string cmd_expand(const std::string& s) {
    std::string out;
    std::size_t i = 0;
    while (i < s.size()) {
        if (s[i] != '%') {
            out += s[i++];
            continue;
        }
        const auto close = s.find('%', i + 1);
        if (close == std::string::npos) {
            out += s.substr(i);
            break;
        }
        const std::string name = s.substr(i + 1, close - i - 1);
        if (name == "cd:~,") {
            i = close + 1;
        } else if (d::iequals(name, "PATH") || d::iequals(name, "cd") || d::iequals(name, "USERNAME")) {
            out += "<EXPANDED>";
            i = close + 1;
        } else {
            out += '%';
            ++i;
        }
    }
    return out;
}

/// Splits what a batch script sees after cmd's expansion into %0 %1 ...: delimiters outside
/// quotes are blanks, ',', ';' and '='; quotes stay in the words. Fails the test when one of
/// cmd's operators stands outside quotes.
strings batch_words(const std::string& after_c) {
    strings words;
    std::string w;
    bool quoted = false;
    for (const char c : after_c) {
        if (c == '"') quoted = !quoted;
        if (!quoted && std::string_view("&|<>()^\n\r").find(c) != std::string_view::npos) {
            FAIL_CHECK("cmd operator '" << c << "' outside quotes in: " << after_c);
        }
        if (!quoted && std::string_view(" \t,;=").find(c) != std::string_view::npos) {
            if (!w.empty()) words.push_back(w);
            w.clear();
            continue;
        }
        w += c;
    }
    if (!w.empty()) words.push_back(w);
    CHECK_MESSAGE(!quoted, "unbalanced quotes: " << after_c);
    return words;
}

/// What %~n gives: the word with one pair of surrounding quotes removed.
std::string tilde(const std::string& word) {
    if (word.size() >= 2 && word.front() == '"' && word.back() == '"') return word.substr(1, word.size() - 2);
    return word;
}

/// Runs the batch command line through the model of cmd above and returns the words the script
/// sees, checking on the way that the switches are the ones intended.
strings batch_sees(const d::windows_command_line& line) {
    const std::string head = "\"C:\\Windows\\system32\\cmd.exe\" /d /e:on /v:off /s /c \"";
    REQUIRE(line.text.compare(0, head.size(), head) == 0);
    REQUIRE(line.text.back() == '"');
    // /s: the first and the last quote of what follows /c are removed, the rest is the command.
    const std::string command = line.text.substr(head.size(), line.text.size() - head.size() - 1);
    return batch_words(cmd_expand(command));
}

const std::string cmd_exe = "C:\\Windows\\system32\\cmd.exe";

}  // namespace

TEST_CASE("UTF-8 is validated strictly: overlong forms, surrogates, truncation and stray bytes are refused") {
    CHECK(d::valid_utf8(""));
    CHECK(d::valid_utf8("plain ascii"));
    CHECK(d::valid_utf8("\xc3\xbc \xe2\x9c\x93 \xf0\x9f\x9a\x80"));  // ü ✓ 🚀
    CHECK(d::valid_utf8("\xf4\x8f\xbf\xbf"));                        // U+10FFFF
    CHECK_FALSE(d::valid_utf8("\xff\xfe not utf-8"));
    CHECK_FALSE(d::valid_utf8("\x80"));              // a stray continuation byte
    CHECK_FALSE(d::valid_utf8("\xc3"));              // truncated
    CHECK_FALSE(d::valid_utf8("\xe2\x9c"));          // truncated
    CHECK_FALSE(d::valid_utf8("\xc0\xaf"));          // overlong '/'
    CHECK_FALSE(d::valid_utf8("\xe0\x80\xaf"));      // overlong '/'
    CHECK_FALSE(d::valid_utf8("\xf0\x80\x80\xaf"));  // overlong '/'
    CHECK_FALSE(d::valid_utf8("\xed\xa0\x80"));      // U+D800, a surrogate
    CHECK_FALSE(d::valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
    CHECK_FALSE(d::valid_utf8("\xf8\x88\x80\x80\x80"));
}

TEST_CASE("UTF-8 and UTF-16 convert both ways, surrogate pairs included") {
    std::u16string wide;
    REQUIRE(d::utf8_to_utf16(std::string("a\xc3\xbc\xe2\x9c\x93\xf0\x9f\x9a\x80"), wide));
    CHECK(wide == u"a\u00fc\u2713\U0001F680");
    CHECK(d::utf16_to_utf8(wide) == "a\xc3\xbc\xe2\x9c\x93\xf0\x9f\x9a\x80");
    CHECK_FALSE(d::utf8_to_utf16(std::string("bad \xff"), wide));
    // Every code point (but surrogates) survives the trip.
    std::string all;
    for (std::uint32_t cp = 1; cp <= 0x10ffff; cp += (cp < 0x3000 ? 1 : 97))
        if (cp < 0xd800 || cp > 0xdfff) d::append_utf8(all, cp);
    REQUIRE(d::valid_utf8(all));
    REQUIRE(d::utf8_to_utf16(all, wide));
    CHECK(d::utf16_to_utf8(wide) == all);
}

TEST_CASE("ill-formed UTF-16 from the OS round-trips through WTF-8, and strict UTF-8 refuses it") {
    const std::u16string lone = {u'a', char16_t(0xd800), u'b', char16_t(0xdc00)};
    const std::string wtf8 = d::utf16_to_utf8(lone);
    CHECK(wtf8 ==
          "a\xed\xa0\x80"
          "b\xed\xb0\x80");
    std::u16string back;
    CHECK_FALSE(d::utf8_to_utf16(wtf8, back));
    REQUIRE(d::utf8_to_utf16(wtf8, back, d::surrogates::wtf8));
    CHECK(back == lone);
}

TEST_CASE("WTF-8 refuses a surrogate pair written as two 3-byte sequences: it would not round-trip") {
    // U+10000 is D800 DC00 in UTF-16, which comes back as F0 90 80 80, never as these six bytes.
    const std::string split_pair = "\xed\xa0\x80\xed\xb0\x80";
    std::u16string wide;
    CHECK_FALSE(d::utf8_to_utf16(split_pair, wide, d::surrogates::wtf8));
    CHECK_FALSE(d::utf8_to_utf16("x" + split_pair + "y", wide, d::surrogates::wtf8));
    // The lone halves, apart or the other way round, are what WTF-8 is for.
    for (const std::string& ok : {std::string("\xed\xa0\x80"), std::string("\xed\xb0\x80\xed\xa0\x80"),
                                  std::string("\xed\xa0\x80 \xed\xb0\x80"), std::string("\xed\xaf\xbf\xed\xaf\xbf")}) {
        REQUIRE_MESSAGE(d::utf8_to_utf16(ok, wide, d::surrogates::wtf8), d::printable(ok));
        CHECK(d::utf16_to_utf8(wide) == ok);
    }
}

TEST_CASE("command-line quoting: the fixed corpus reads back exactly") {
    const std::vector<strings> corpus = {
        {},
        {""},
        {"", ""},
        {"plain"},
        {"two words"},
        {"tab\there"},
        {"\"quoted\""},
        {"a\"b"},
        {"\\"},
        {"\\\\"},
        {"trailing\\"},
        {"trailing two\\\\"},
        {"with space\\"},
        {"with space\\\\"},
        {"\\\"", "\\\\\"", "\\\\\\\""},
        {"a\\\\b", "a\\\\ b", "C:\\Program Files\\", "\\\\server\\share\\"},
        {"\"", "\"\"", "\" \"", " \" "},
        {" ", "  ", "\t"},
        {"line\nbreak", "v\vtab"},
        {"&|<>^()%!'`$;,="},
        {"\xc3\xbcnic\xc3\xb8"
         "d\xc3\xa9 \xe2\x9c\x93",
         "\xf0\x9f\x9a\x80"},
        {"-rf", "--", "/c", "*", "?"},
    };
    for (const auto& args : corpus)
        check_round_trip(args);
}

TEST_CASE("command-line quoting: a generated corpus reads back exactly") {
    // The characters quoting is about, in every order and run length.
    const std::vector<std::string> alphabet = {"a", " ", "\t", "\"", "\\", "\\\\", "b c", "\xc3\xa9", "%", "^"};
    std::mt19937 rng(20261127);
    for (int round = 0; round < 3000; ++round) {
        strings args(rng() % 4 + 1);
        for (auto& a : args) {
            const int len = static_cast<int>(rng() % 9);
            for (int k = 0; k < len; ++k)
                a += alphabet[rng() % alphabet.size()];
        }
        check_round_trip(args);
    }
}

TEST_CASE("command-line quoting: the program is always quoted; a quote in it is refused") {
    CHECK(d::make_windows_command_line("C:\\a b\\p.exe", {"x"}).text == "\"C:\\a b\\p.exe\" x");
    CHECK(d::make_windows_command_line("git", {}).text == "\"git\"");
    const auto bad = d::make_windows_command_line("C:\\a\"b.exe", {});
    CHECK_FALSE(bad);
    CHECK(bad.refusal.find("contains '\"'") != std::string::npos);
}

TEST_CASE("command-line quoting: longer than Windows allows is refused") {
    CHECK(d::make_windows_command_line("p", {std::string(32000, 'x')}));
    const auto too_long = d::make_windows_command_line("p", {std::string(33000, 'x')});
    CHECK_FALSE(too_long);
    CHECK(too_long.refusal.find("32,767") != std::string::npos);
    // The limit counts UTF-16 units: 4-byte UTF-8 sequences are two, others one.
    CHECK(d::utf16_length("a\xc3\xbc\xe2\x9c\x93\xf0\x9f\x9a\x80") == 5);
}

TEST_CASE("batch scripts are recognised by extension in any case, trailing dots and spaces included") {
    for (const char* yes : {"C:\\x\\a.bat", "a.BAT", "a.Cmd", "a.bat.", "a.bat ", "a.cmd. . .", "C:\\dir.d\\run.CMD  "})
        CHECK_MESSAGE(d::is_batch_file(yes), yes);
    for (const char* no : {"a.exe", "a.bat.exe", "a.batx", "bat", ".ba", "a.cm d", "a.bat\\x.exe", ""})
        CHECK_MESSAGE(!d::is_batch_file(no), no);
}

TEST_CASE("batch arguments: cmd's operators, quotes and %VAR% cannot escape their argument") {
    const strings hostile = {"plain",
                             "",
                             "two words",
                             "a&calc.exe",
                             "\"&calc.exe",
                             "\"\"&calc.exe&\"",
                             "a|b",
                             "<in>out",
                             "(x)",
                             "^&",
                             "%PATH%",
                             "%path%",
                             "100%",
                             "%%PATH%%",
                             "%USERNAME%%PATH%",
                             "%cd:~,%",
                             "!PATH!",
                             "a,b;c=d",
                             "trailing\\",
                             "\\\\server\\share\\",
                             "\"",
                             "a\\\"b",
                             "\xc3\xbcnic\xc3\xb8"
                             "de",
                             "tab\tin",
                             "-flag=value"};
    const auto line = d::make_batch_command_line(cmd_exe, "C:\\scripts\\run.bat", hostile);
    REQUIRE_MESSAGE(line, line.refusal);
    const strings words = batch_sees(line);
    REQUIRE(words.size() == hostile.size() + 1);
    CHECK(words[0] == "\"C:\\scripts\\run.bat\"");
    for (std::size_t i = 0; i < hostile.size(); ++i) {
        // %~n gives the argument back, with '"' doubled and backslashes before quotes and at the
        // end doubled (what a program called with %* reads back as the original).
        std::string seen = tilde(words[i + 1]);
        CHECK_MESSAGE(seen.find("<EXPANDED>") == std::string::npos, "expanded: " << hostile[i]);
        const bool quoted = words[i + 1].size() >= 2 && words[i + 1].front() == '"';
        if (hostile[i].find_first_of("\"\\") == std::string::npos) {
            CHECK(seen == hostile[i]);
        } else {
            const strings reread = parse_command_line("p " + (quoted ? words[i + 1] : seen));
            REQUIRE(reread.size() == 2);
            CHECK_MESSAGE(reread[1] == hostile[i], words[i + 1]);
        }
    }
}

TEST_CASE("batch arguments: a generated corpus never lets an operator or a variable out") {
    const std::vector<std::string> alphabet = {"a", " ", "\"",   "\\", "%", "&", "|",
                                               "^", "!", "PATH", "(",  ">", ",", "="};
    std::mt19937 rng(4242);
    for (int round = 0; round < 2000; ++round) {
        strings args(rng() % 3 + 1);
        for (auto& a : args) {
            const int len = static_cast<int>(rng() % 8);
            for (int k = 0; k < len; ++k)
                a += alphabet[rng() % alphabet.size()];
        }
        const auto line = d::make_batch_command_line(cmd_exe, "C:\\s\\t.cmd", args);
        REQUIRE(line);
        const strings words = batch_sees(line);
        CHECK_MESSAGE(words.size() == args.size() + 1, line.text);
        for (const auto& w : words)
            CHECK_MESSAGE(w.find("<EXPANDED>") == std::string::npos, line.text);
    }
}

TEST_CASE("batch arguments that cannot be made safe are refused, naming the argument") {
    for (const std::string& bad : strings{"line\nbreak", "cr\rhere", "bell\x07", "esc\x1b[0m", "del\x7f"}) {
        const auto line = d::make_batch_command_line(cmd_exe, "C:\\s\\t.bat", {"ok", bad});
        CHECK_FALSE(line);
        CHECK_MESSAGE(line.refusal.find("argument 2 ('") != std::string::npos, line.refusal);
    }
    CHECK(d::make_batch_command_line(cmd_exe, "C:\\s\\t.bat", {"line\nbreak"}).refusal.find("line break") !=
          std::string::npos);
    CHECK_FALSE(d::make_batch_command_line(cmd_exe, "C:\\s\\t\"x.bat", {}));
    CHECK_FALSE(d::make_batch_command_line(cmd_exe, "C:\\s\\", {}));
    const auto too_long = d::make_batch_command_line(cmd_exe, "C:\\s\\t.bat", {std::string(9000, 'x')});
    CHECK_FALSE(too_long);
    CHECK(too_long.refusal.find("8,191") != std::string::npos);
}

TEST_CASE("a script path with '%' or operators in it reaches cmd intact") {
    const auto line = d::make_batch_command_line(cmd_exe, "C:\\100%PATH%\\a&b (x)\\run.bat", {"1"});
    REQUIRE(line);
    const strings words = batch_sees(line);
    REQUIRE(words.size() == 2);
    CHECK(words[0] == "\"C:\\100%PATH%\\a&b (x)\\run.bat\"");
}

TEST_CASE("environment blocks are sorted without regard to case, one entry per name, the last winning") {
    const auto env = d::windows_environment(
        {"b=1", "Path=C:\\x", "a=2", "=C:=C:\\work", "PATH=C:\\y", "_u=3", "noequals", "B=4", "\xc3\xa9=5"});
    CHECK(env == strings{"=C:=C:\\work", "a=2", "B=4", "PATH=C:\\y", "_u=3", "\xc3\xa9=5"});
    CHECK(d::windows_env_name("=C:=C:\\work") == "=C:");
    CHECK(d::windows_env_name("A=b=c") == "A");
    CHECK(d::compare_env_names("path", "PATH") == 0);
    CHECK(d::compare_env_names("PATH", "PATHEXT") < 0);
    CHECK(d::compare_env_names("Z", "_") < 0);  // '_' sorts after the letters, as on Windows
}

TEST_CASE("PATHEXT candidates: each extension in order, or the name alone when it has one") {
    CHECK(d::pathext_candidates("C:\\bin", "git", ".COM;.EXE") == strings{"C:\\bin\\git.com", "C:\\bin\\git.exe"});
    CHECK(d::pathext_candidates("C:\\bin\\", "git.exe", ".COM;.EXE") == strings{"C:\\bin\\git.exe"});
    CHECK(d::pathext_candidates("C:\\bin", "Run.Bat", "") == strings{"C:\\bin\\Run.Bat"});
    CHECK(d::pathext_candidates("C:\\bin", "x", "") ==
          strings{"C:\\bin\\x.com", "C:\\bin\\x.exe", "C:\\bin\\x.bat", "C:\\bin\\x.cmd"});
    CHECK(d::pathext_candidates("C:\\bin", "notes.txt", ".EXE;;bad;.PY") ==
          strings{"C:\\bin\\notes.txt.exe", "C:\\bin\\notes.txt.py"});
}

TEST_CASE("ShellExecuteExW failures map to liftoff's codes, hInstApp first") {
    using liftoff::errc;
    using v = d::shell_verb;
    // wine 8: a missing file gives GetLastError 2 / hInstApp 2; no association gives 193 / 31.
    CHECK(d::map_shell_error(v::open_path, 2, 2).code == errc::target_not_found);
    CHECK(d::map_shell_error(v::open_path, 193, 31).code == errc::no_handler);
    CHECK(d::map_shell_error(v::open_path, 1155, 42).code == errc::no_handler);
    CHECK(d::map_shell_error(v::open_path, 0, 27).code == errc::no_handler);
    CHECK(d::map_shell_error(v::open_path, 3, 42).code == errc::target_not_found);
    CHECK(d::map_shell_error(v::open_url, 67, 42).code == errc::target_not_found);
    CHECK(d::map_shell_error(v::open_with, 2, 2).code == errc::application_not_found);
    CHECK(d::map_shell_error(v::open_with, 2, 2).what.find("application") != std::string::npos);
    CHECK(d::map_shell_error(v::open_path, 1223, 42).code == errc::opener_failed);
    CHECK(d::map_shell_error(v::open_path, 14, 42).code == errc::resource_exhausted);
    CHECK(d::map_shell_error(v::open_path, 193, 42).code == errc::exec_format_error);
    const auto other = d::map_shell_error(v::reveal, 9999, 42);
    CHECK(other.code == errc::opener_failed);
    CHECK(other.what.find("9999") != std::string::npos);
    CHECK_FALSE(d::map_shell_error(v::open_path, 1155, 31).remedy.empty());
}

TEST_CASE("explorer /select, takes the path in one pair of quotes, or nothing") {
    CHECK(d::explorer_select_arguments("C:\\dir\\file name,1.txt") == "/select,\"C:\\dir\\file name,1.txt\"");
    CHECK(d::explorer_select_arguments("C:\\dir\\sub\\\\") == "/select,\"C:\\dir\\sub\"");
    CHECK(d::explorer_select_arguments("\\\\server\\share\\a&b %x%.txt") ==
          "/select,\"\\\\server\\share\\a&b %x%.txt\"");
    CHECK(d::explorer_select_arguments("C:\\a\"b").empty());
    CHECK(d::explorer_select_arguments("C:\\a\nb").empty());
    CHECK(d::explorer_select_arguments("").empty());
}

TEST_CASE("open_with's ShellExecuteExW parameters read back as the arguments; plans show the call") {
    const strings args = {"--flag", "two words", "", "q\"uote", "tail\\", "C:\\a b\\", "https://x.y/?a=1&b=2"};
    const std::string params = d::shell_parameters(args);
    CHECK(params == "--flag \"two words\" \"\" q\\\"uote tail\\ \"C:\\a b\\\\\" https://x.y/?a=1&b=2");
    strings back = parse_command_line("\"C:\\app.exe\" " + params);
    back.erase(back.begin());
    CHECK(back == args);
    CHECK(d::shell_parameters({}).empty());

    d::shell_call call;
    call.file = "https://example.com/?q=a&b=c";
    CHECK(d::describe_shell_call(call) == "ShellExecuteExW(open, 'https://example.com/?q=a&b=c')");
    call.file = "C:\\Windows\\explorer.exe";
    call.parameters = d::explorer_select_arguments("C:\\x\\a b.txt");
    CHECK(d::describe_shell_call(call) ==
          "ShellExecuteExW(open, 'C:\\Windows\\explorer.exe', '/select,\"C:\\x\\a b.txt\"')");
}

TEST_CASE("App Paths: the key is the name with .exe; the value loses its quotes and blanks") {
    CHECK(d::app_paths_key("firefox") == "firefox.exe");
    CHECK(d::app_paths_key("Chrome.EXE") == "Chrome.EXE");
    CHECK(d::app_paths_key("notepad++") == "notepad++.exe");
    CHECK(d::app_paths_key(".exe") == ".exe.exe");
    CHECK(d::app_paths_value("C:\\Program Files\\App\\app.exe") == "C:\\Program Files\\App\\app.exe");
    CHECK(d::app_paths_value(" \"C:\\Program Files\\App\\app.exe\" ") == "C:\\Program Files\\App\\app.exe");
    CHECK(d::app_paths_value("\"C:\\App\\app.exe\" --extra") == "C:\\App\\app.exe");
    CHECK(d::app_paths_value("\"unterminated") == "\"unterminated");
    CHECK(d::app_paths_value("").empty());
}
