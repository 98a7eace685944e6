// liftoff/platform/select.hpp: the one place that picks native_platform at compile time.
// Each platform header is included in exactly one branch, so the generated single header
// (tools/amalgamate inlines each file once) keeps every branch whole.
// SPDX-License-Identifier: MIT
#pragma once

// The portable headers the platforms build on, included before the branches so that the single
// header holds them outside any #if, whichever branch comes first.
#include "../detail/binary_format.hpp"
#include "../detail/facts.hpp"
#include "../detail/launch_spec.hpp"
#include "../detail/prepare.hpp"
#include "../detail/sink.hpp"
#include "../detail/text.hpp"
#include "../detail/utf.hpp"
#include "../detail/windows_command_line.hpp"
#include "../detail/windows_env.hpp"
#include "../detail/windows_shell.hpp"
#include "../error.hpp"
#include "../exit_status.hpp"

#if defined(_WIN32)
#include "windows/platform.hpp"
namespace liftoff {
inline namespace v0 {
/// The platform launch(), child and the openers use.
using native_platform = detail::windows_platform;
}  // namespace v0
}  // namespace liftoff
#elif defined(__unix__) || defined(__APPLE__)
#include "posix/platform.hpp"
#if defined(__linux__) && !defined(LIFTOFF_FORCE_POSIX_SPAWN)
#include "linux/spawn_clone.hpp"
namespace liftoff {
inline namespace v0 {
namespace detail {
using linux_platform = posix_family<clone_spawner>;
}  // namespace detail
/// The platform launch(), child and the openers use.
using native_platform = detail::linux_platform;
}  // namespace v0
}  // namespace liftoff
#else
// macOS, the BSDs, and Linux with LIFTOFF_FORCE_POSIX_SPAWN (a test build of this path).
#include "posix/spawn_posix.hpp"
namespace liftoff {
inline namespace v0 {
namespace detail {
using posix_spawn_platform = posix_family<posix_spawn_spawner>;
}  // namespace detail
/// The platform launch(), child and the openers use.
using native_platform = detail::posix_spawn_platform;
}  // namespace v0
}  // namespace liftoff
#endif  // __linux__ && !LIFTOFF_FORCE_POSIX_SPAWN
#else
#error "liftoff: unknown operating system"
#endif  // _WIN32
