// bench/compile/baseline.cpp: the floor for compile cost: exactly the standard headers that
// liftoff's public headers (include/liftoff/*.hpp) include, and a trivial use of a few of them.
// bench/run warns when that list and the headers' includes drift apart.
// SPDX-License-Identifier: MIT
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

int main() {
    std::vector<std::string> args{"/bin/true"};
    const std::optional<std::filesystem::path> program = std::filesystem::path(args.front());
    const std::function<void(std::string_view)> add = [&](std::string_view s) { args.emplace_back(s); };
    add("x");
    return static_cast<int>(args.size()) + (program ? 0 : 1);
}
