// liftoff/separate.hpp: the optional separate compilation of liftoff. Header-only by default,
// every translation unit that calls launch() or run() compiles the whole implementation. With
// LIFTOFF_SEPARATE_COMPILATION defined in every translation unit, they only declare it, and
// the one translation unit that also defines LIFTOFF_IMPLEMENTATION before including liftoff
// compiles it, once:
//
//     // liftoff.cpp, in your build:
//     #define LIFTOFF_IMPLEMENTATION
//     #include <liftoff/liftoff.hpp>
//
// The other units see only the public types and declarations (detail/config.hpp): neither the
// platform headers nor the implementation are parsed there, which is where the time goes.
// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "child.hpp"
#include "command.hpp"
#include "detail/config.hpp"
#include "diagnose.hpp"
#include "encoding.hpp"
#include "launch.hpp"
#include "open.hpp"
#include "platform/select.hpp"
#include "search.hpp"

#if defined(LIFTOFF_SEPARATE_COMPILATION)

// Every template the public functions instantiate for the native platform. EXTERN is `extern`
// (a declaration: not here) or nothing (the definitions, in the implementation unit).
#define LIFTOFF_DETAIL_INSTANTIATIONS(EXTERN, P)                                                                    \
    EXTERN template class basic_child<P>;                                                                           \
    EXTERN template basic_child<P> basic_launch<P>(const command&);                                                 \
    EXTERN template result basic_run<P>(const command&);                                                            \
    EXTERN template basic_child<P> detail::launch_or_report<P>(const command&, detail::stream_defaults,             \
                                                               std::error_code&, std::exception_ptr*) noexcept;     \
    EXTERN template result detail::collect<P>(basic_child<P>&);                                                     \
    EXTERN template std::optional<std::filesystem::path> basic_find_program<P>(std::string_view);                   \
    EXTERN template std::optional<std::filesystem::path> basic_find_program<P>(std::string_view, std::string_view); \
    EXTERN template std::string basic_from_system_encoding<P>(const std::string&);                                  \
    EXTERN template std::string basic_from_system_encoding<P>(const std::string&, std::error_code&) noexcept;       \
    EXTERN template report basic_diagnose<P>(const diagnose_options&);                                              \
    EXTERN template report basic_preflight<P>(const command&, const diagnose_options&);                             \
    EXTERN template basic_child<P> basic_open_url<P>(const std::string&, const open_options&);                      \
    EXTERN template basic_child<P> basic_open_url<P>(const std::string&, const open_options&,                       \
                                                     std::error_code&) noexcept;                                    \
    EXTERN template open_plan basic_plan_open_url<P>(const std::string&, const open_options&);                      \
    EXTERN template open_plan basic_plan_open_url<P>(const std::string&, const open_options&,                       \
                                                     std::error_code&) noexcept;                                    \
    EXTERN template basic_child<P> basic_open_path<P>(const std::string&, const open_options&);                     \
    EXTERN template basic_child<P> basic_open_path<P>(const std::string&, const open_options&,                      \
                                                      std::error_code&) noexcept;                                   \
    EXTERN template open_plan basic_plan_open_path<P>(const std::string&, const open_options&);                     \
    EXTERN template open_plan basic_plan_open_path<P>(const std::string&, const open_options&,                      \
                                                      std::error_code&) noexcept;                                   \
    EXTERN template basic_child<P> basic_open_with<P>(const std::string&, const std::vector<std::string>&,          \
                                                      const open_options&);                                         \
    EXTERN template basic_child<P> basic_open_with<P>(const std::string&, const std::vector<std::string>&,          \
                                                      const open_options&, std::error_code&) noexcept;              \
    EXTERN template open_plan basic_plan_open_with<P>(const std::string&, const std::vector<std::string>&,          \
                                                      const open_options&);                                         \
    EXTERN template open_plan basic_plan_open_with<P>(const std::string&, const std::vector<std::string>&,          \
                                                      const open_options&, std::error_code&) noexcept;              \
    EXTERN template basic_child<P> basic_reveal<P>(const std::string&, const open_options&);                        \
    EXTERN template basic_child<P> basic_reveal<P>(const std::string&, const open_options&,                         \
                                                   std::error_code&) noexcept;                                      \
    EXTERN template open_plan basic_plan_reveal<P>(const std::string&, const open_options&);                        \
    EXTERN template open_plan basic_plan_reveal<P>(const std::string&, const open_options&, std::error_code&) noexcept;

namespace liftoff {
inline namespace v0 {
#if defined(LIFTOFF_IMPLEMENTATION)
LIFTOFF_DETAIL_INSTANTIATIONS(, native_platform)
template struct detail::child_state<native_platform>;
template struct detail::child_state_deleter<native_platform>;
#else
LIFTOFF_DETAIL_INSTANTIATIONS(extern, native_platform)
#if LIFTOFF_DETAIL_DEFINITIONS
extern template struct detail::child_state<native_platform>;
#endif
extern template struct detail::child_state_deleter<native_platform>;
#endif  // LIFTOFF_IMPLEMENTATION
}  // namespace v0
}  // namespace liftoff

#endif  // LIFTOFF_SEPARATE_COMPILATION
