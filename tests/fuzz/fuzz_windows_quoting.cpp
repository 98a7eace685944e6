// tests/fuzz/fuzz_windows_quoting.cpp: libFuzzer harness for the Windows command line: argv
// quoted by liftoff and read back by an independent parser written here (the post-2008 C
// runtime's rules, and CommandLineToArgvW's, which differ only on "" inside quotes) must give
// back the argv exactly; the .bat line never lets a line break or control character through.
// SPDX-License-Identifier: MIT
#include "fuzz.hpp"

namespace d = liftoff::detail;

namespace {

/// Everything after the program: `doubled_quote_stays` is the post-2008 CRT ("" inside quotes
/// is a '"' and the quoted part goes on); CommandLineToArgvW ends the quoted part there.
std::vector<std::string> parse_arguments(std::string_view line, bool doubled_quote_stays) {
    std::vector<std::string> args;
    std::size_t i = 0;
    for (;;) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
            ++i;
        if (i >= line.size()) return args;
        std::string arg;
        bool quoted = false;
        while (i < line.size()) {
            const char c = line[i];
            if (!quoted && (c == ' ' || c == '\t')) break;
            if (c == '\\') {
                std::size_t n = 0;
                while (i < line.size() && line[i] == '\\') {
                    ++n;
                    ++i;
                }
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
                    if (!doubled_quote_stays) quoted = false;
                    continue;
                }
                quoted = !quoted;
                ++i;
                continue;
            }
            arg += c;
            ++i;
        }
        args.push_back(std::move(arg));
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string input(reinterpret_cast<const char*>(data), size);
    std::vector<std::string> argv = fuzz::split_nul(input);
    if (argv.size() > 64) argv.resize(64);
    const std::string program = argv.front();
    const std::vector<std::string> args(argv.begin() + 1, argv.end());

    const d::windows_command_line line = d::make_windows_command_line(program, args);
    if (program.find('"') != std::string::npos || !line.refusal.empty()) {
        FUZZ_CHECK(!line.refusal.empty(), input);
    } else {
        // The program: always quoted, read up to the next quote.
        const std::string head = "\"" + program + "\"";
        FUZZ_CHECK(line.text.compare(0, head.size(), head) == 0, input);
        const std::string_view rest = std::string_view(line.text).substr(head.size());
        FUZZ_CHECK(rest.empty() || rest.front() == ' ', input);
        FUZZ_CHECK(parse_arguments(rest, true) == args, input);
        FUZZ_CHECK(parse_arguments(rest, false) == args, input);
    }

    // The .bat line: refused, or free of line breaks and control characters, and never longer
    // than cmd.exe takes.
    const d::windows_command_line bat =
        d::make_batch_command_line("C:\\Windows\\System32\\cmd.exe", "C:\\x\\run.bat", args);
    if (bat.refusal.empty()) {
        for (const char c : bat.text) {
            const auto u = static_cast<unsigned char>(c);
            FUZZ_CHECK((u >= 0x20 || c == '\t') && u != 0x7f, input);
        }
        FUZZ_CHECK(d::utf16_length(bat.text) <= d::cmd_command_line_limit, input);
    }
    (void)d::is_batch_file(program);
    return 0;
}
