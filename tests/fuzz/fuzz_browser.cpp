// tests/fuzz/fuzz_browser.cpp: libFuzzer harness for $BROWSER: splitting the list into entries
// and words, and putting a URL in. No crash, and no URL can add, remove or split a word.
// SPDX-License-Identifier: MIT
#include "fuzz.hpp"

namespace d = liftoff::detail;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string input(reinterpret_cast<const char*>(data), size);
    // The first NUL-separated part is $BROWSER, the second (if any) the URL.
    const auto parts = fuzz::split_nul(input);
    const std::string& value = parts[0];
    const std::string url = parts.size() > 1 ? parts[1] : "https://a.b/x y:z\t%s %% -flag";
    for (const auto& entry : d::parse_browser_list(value)) {
        FUZZ_CHECK(!entry.words.empty(), input);
        bool templated = false;
        for (const auto& w : entry.words) {
            FUZZ_CHECK(!w.empty(), input);
            FUZZ_CHECK(w.find_first_of(": \t") == std::string::npos, input);
            templated = templated || w.find("%s") != std::string::npos;
        }
        FUZZ_CHECK(templated == entry.templated, input);
        const auto argv = d::browser_argv(entry, url);
        FUZZ_CHECK(argv.size() == entry.words.size() + (entry.templated ? 0 : 1), input);
        if (!entry.templated) FUZZ_CHECK(argv.back() == url, input);
        // The program word never takes the URL in a way that changes which program runs,
        // unless the entry itself put %s there.
        if (entry.words.front().find('%') == std::string::npos) FUZZ_CHECK(argv.front() == entry.words.front(), input);
        (void)d::is_powershell_front(entry.words.front());
    }
    return 0;
}
