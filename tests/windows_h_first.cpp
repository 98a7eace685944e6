// tests/windows_h_first.cpp: liftoff compiles where the user included <windows.h> first without
// NOMINMAX, so min and max are function-like macros (as with MSVC), and leaves them as they were.
// mingw-w64's libstdc++ defines NOMINMAX and #undefs min and max in every standard header, so the
// standard headers come first here and the macros are defined by hand, as MSVC's windows.h would.
// SPDX-License-Identifier: MIT
// Every standard header liftoff includes.
#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include <windows.h>
#if !defined(min)
#define min(a, b) (((a) < (b)) ? (a) : (b))
#endif
#if !defined(max)
#define max(a, b) (((a) > (b)) ? (a) : (b))
#endif

#include <liftoff/liftoff.hpp>

#include <doctest/doctest.h>

#if !defined(min) || !defined(max)
#error "liftoff removed the user's min or max macro"
#endif

TEST_CASE("liftoff after <windows.h> with min and max macros: it compiles and leaves them as they were") {
    CHECK(min(1, 2) == 1);
    CHECK(max(1, 2) == 2);
    CHECK(liftoff::find_program("cmd"));
}
