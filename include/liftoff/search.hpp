// liftoff/search.hpp: find_program(), where launch() would find a program.
// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>  // find_program's result
#include <optional>
#include <string_view>

namespace liftoff {
inline namespace v0 {

/// Where launch() would find `name`, using this process's PATH (and PATHEXT on Windows); a name
/// with a directory part is checked as given. nullopt when nothing runnable is found.
std::optional<std::filesystem::path> find_program(std::string_view name);

/// The same, searching an explicit PATH-style list (':'-separated; ';' on Windows).
std::optional<std::filesystem::path> find_program(std::string_view name, std::string_view path_list);

}  // namespace v0
}  // namespace liftoff
