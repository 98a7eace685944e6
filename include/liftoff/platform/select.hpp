// liftoff/platform/select.hpp: the one place that picks native_platform at compile time.
// SPDX-License-Identifier: MIT
#pragma once

#if defined(_WIN32)
#error "liftoff: the Windows backend is not there yet"
#elif defined(__linux__) && !defined(LIFTOFF_FORCE_POSIX_SPAWN)
#include "linux/spawn_clone.hpp"
#include "posix/platform.hpp"
namespace liftoff {
inline namespace v0 {
namespace detail {
using linux_platform = posix_family<clone_spawner>;
}  // namespace detail
/// The platform launch(), child and the openers use unless told otherwise.
using native_platform = detail::linux_platform;
}  // namespace v0
}  // namespace liftoff
#elif defined(__unix__) || defined(__APPLE__)
// macOS, the BSDs, and Linux with LIFTOFF_FORCE_POSIX_SPAWN (a test build of this path).
#include "posix/platform.hpp"
#include "posix/spawn_posix.hpp"
namespace liftoff {
inline namespace v0 {
namespace detail {
using posix_spawn_platform = posix_family<posix_spawn_spawner>;
}  // namespace detail
using native_platform = detail::posix_spawn_platform;
}  // namespace v0
}  // namespace liftoff
#else
#error "liftoff: unknown operating system"
#endif
