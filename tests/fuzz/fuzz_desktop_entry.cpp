// tests/fuzz/fuzz_desktop_entry.cpp: libFuzzer harness for Desktop Entry files and their Exec
// lines: reading the [Desktop Entry] group, splitting Exec, expanding the field codes. No
// crash, and every argv that comes out has the entry's own program first, never a target.
// SPDX-License-Identifier: MIT
#include "fuzz.hpp"

namespace d = liftoff::detail;

namespace {

void exec_line(const std::string& exec, const std::string& input) {
    const d::exec_split s = d::split_exec(exec);
    if (!s.error.empty()) {
        FUZZ_CHECK(s.words.empty(), input);
        return;
    }
    FUZZ_CHECK(!s.words.empty(), input);
    for (const auto& w : s.words)
        FUZZ_CHECK(w.quoted_mask.size() == w.text.size() || (w.text.empty() && w.quoted_mask.empty()), input);
    const std::string& program = s.words.front().text;
    FUZZ_CHECK(!program.empty(), input);
    FUZZ_CHECK(d::find_field_code(s.words.front(), false) == std::string_view::npos, input);

    // Targets that look like field codes, quotes and options must still land as themselves.
    static const std::vector<std::vector<d::exec_target>> target_sets = {
        {},
        {{"/tmp/%F \"q\" 'x' $(id)", false}},
        {{"https://a.b/?%u", true}},
        {{"/a", false}, {"/b", false}},
        {{"-x", false}, {"https://c.d/", true}, {"%%", false}},
    };
    const d::exec_context ctx{"Na%fme", "", "/usr/share/applications/x.desktop"};
    for (const auto& targets : target_sets) {
        const d::exec_expansion x = d::expand_exec(s.words, ctx, targets, {"--app-arg"});
        if (!x.error.empty()) continue;
        FUZZ_CHECK(!x.argvs.empty(), input);
        for (const auto& argv : x.argvs) {
            FUZZ_CHECK(!argv.empty() && !argv.front().empty(), input);
            // The program is the entry's first word (an unquoted %% undone), never a target.
            const auto& mask = s.words.front().quoted_mask;
            std::string want;
            for (std::size_t i = 0; i < program.size(); ++i) {
                want += program[i];
                if (program[i] == '%' && mask[i] == ' ' && i + 1 < program.size() && program[i + 1] == '%') ++i;
            }
            FUZZ_CHECK(argv.front() == want, input);
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string input(reinterpret_cast<const char*>(data), size);
    // The input as a whole file, and as an Exec value on its own.
    const d::desktop_entry e = d::parse_desktop_entry(input);
    for (const auto& kv : e.keys) {
        FUZZ_CHECK(kv.first.find('\n') == std::string::npos && kv.second.find('\n') == std::string::npos, input);
        (void)e.get(kv.first);
    }
    (void)e.flag("Terminal");
    if (const auto exec = e.get("Exec")) exec_line(*exec, input);
    exec_line(d::unescape_desktop_string(input), input);
    return 0;
}
