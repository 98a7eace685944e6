// tests/fuzz/fuzz_utf.cpp: libFuzzer harness for UTF-8 / UTF-16 / WTF-8: whatever is accepted
// comes back byte for byte, every UTF-16 string (ill-formed too) survives WTF-8, and strict
// UTF-8 is exactly what valid_utf8() says.
// SPDX-License-Identifier: MIT
#include "fuzz.hpp"

namespace d = liftoff::detail;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);

    // The input as UTF-8, strict and WTF-8.
    std::u16string wide;
    const bool strict = d::utf8_to_utf16(bytes, wide);
    FUZZ_CHECK(strict == d::valid_utf8(bytes), bytes);
    if (strict) {
        FUZZ_CHECK(d::utf16_to_utf8(wide) == bytes, bytes);
        FUZZ_CHECK(d::utf16_length(bytes) == wide.size(), bytes);
    }
    std::u16string wtf;
    if (d::utf8_to_utf16(bytes, wtf, d::surrogates::wtf8)) {
        FUZZ_CHECK(d::utf16_to_utf8(wtf) == bytes, bytes);
        if (strict) FUZZ_CHECK(wtf == wide, bytes);
    } else {
        FUZZ_CHECK(!strict, bytes);
    }

    // The input as UTF-16 (little-endian units): WTF-8 always takes it back exactly; strict
    // UTF-8 takes it when it has no lone surrogate.
    std::u16string units;
    for (std::size_t i = 0; i + 1 < size; i += 2)
        units.push_back(static_cast<char16_t>(data[i] | (data[i + 1] << 8)));
    const std::string text = d::utf16_to_utf8(units);
    std::u16string back;
    FUZZ_CHECK(d::utf8_to_utf16(text, back, d::surrogates::wtf8), bytes);
    FUZZ_CHECK(back == units, bytes);
    bool lone = false;
    for (std::size_t i = 0; i < units.size(); ++i) {
        const char16_t u = units[i];
        if (u >= 0xd800 && u <= 0xdbff && i + 1 < units.size() && units[i + 1] >= 0xdc00 && units[i + 1] <= 0xdfff) {
            ++i;
            continue;
        }
        lone = lone || (u >= 0xd800 && u <= 0xdfff);
    }
    FUZZ_CHECK(d::valid_utf8(text) == !lone, bytes);
    return 0;
}
