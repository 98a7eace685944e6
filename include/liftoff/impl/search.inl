// liftoff/impl/search.inl: find_program() (declared in search.hpp).
// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

#include "../detail/config.hpp"
#include "../detail/search.hpp"
#include "../platform/select.hpp"
#include "../search.hpp"

namespace liftoff {
inline namespace v0 {

LIFTOFF_API std::optional<std::filesystem::path> find_program(std::string_view name) {
    using P = detail::native_platform;
    const auto path = P::get_env("PATH");
    return detail::find_program_in<P>(name, path ? *path : P::default_path());
}

LIFTOFF_API std::optional<std::filesystem::path> find_program(std::string_view name, std::string_view path_list) {
    return detail::find_program_in<detail::native_platform>(name, path_list);
}

}  // namespace v0
}  // namespace liftoff
