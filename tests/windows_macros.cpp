// tests/windows_macros.cpp: liftoff leaks no min, max or ERROR macro into user code: this file
// includes <windows.h> after liftoff and uses std::min, std::max and a variable named ERROR.
// SPDX-License-Identifier: MIT
#include <liftoff/liftoff.hpp>

#include <windows.h>

#include <algorithm>

#include <doctest/doctest.h>

#if defined(min) || defined(max) || defined(ERROR)
#error "liftoff leaked a min, max or ERROR macro from <windows.h>"
#endif

TEST_CASE("<windows.h> after liftoff: std::min, std::max and a name ERROR work") {
    CHECK(std::min(1, 2) == 1);
    CHECK(std::max(1, 2) == 2);
    const int ERROR = 3;
    CHECK(ERROR == 3);
    CHECK(liftoff::find_program("cmd"));
}
