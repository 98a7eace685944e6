// liftoff/platform/select.hpp: the one place that picks native_platform at compile time.
// Each platform header is included in exactly one branch, so the generated single header
// (tools/amalgamate inlines each file once) keeps every branch whole.
// The opener strategies are portable code (included by open.hpp on every OS, so each is tested
// everywhere); only the choice of native_opener is made here.
// SPDX-License-Identifier: MIT
#pragma once

#include "../detail/config.hpp"
#include "../error.hpp"
#include "../exit_status.hpp"

#if LIFTOFF_DETAIL_DEFINITIONS
// The portable headers the platforms build on, included before the branches so that the single
// header holds them outside any #if, whichever branch comes first.
#include "../detail/binary_format.hpp"
#include "../detail/clock.hpp"
#include "../detail/facts.hpp"
#include "../detail/file.hpp"
#include "../detail/launch_spec.hpp"
#include "../detail/prepare.hpp"
#include "../detail/sink.hpp"
#include "../detail/text.hpp"
#include "../detail/utf.hpp"
#include "../detail/windows_command_line.hpp"
#include "../detail/windows_env.hpp"
#include "../detail/windows_shell.hpp"
#endif  // LIFTOFF_DETAIL_DEFINITIONS

namespace liftoff {
inline namespace v0 {
namespace detail {
struct freedesktop_system_root;
template <class Root>
struct freedesktop_opener;  // platform/freedesktop/opener.hpp: xdg-open, gio, kde-open, $BROWSER, WSL
struct darwin_open_tool;
template <class Tool>
struct darwin_opener;         // platform/darwin/opener.hpp: /usr/bin/open
struct windows_shell_opener;  // platform/windows/opener.hpp: ShellExecuteExW
struct windows_platform;
template <class Spawner>
struct posix_family;
struct clone_spawner;
struct posix_spawn_spawner;

/// A platform's process id type, known where its headers are not (LIFTOFF_SEPARATE_COMPILATION).
template <class P>
struct platform_pid {
    using type = typename P::process::pid_type;
};
template <>
struct platform_pid<windows_platform> {
    using type = unsigned long;  // DWORD
};
template <class Spawner>
struct platform_pid<posix_family<Spawner>> {
    using type = int;  // pid_t
};
}  // namespace detail
}  // namespace v0
}  // namespace liftoff

#if defined(_WIN32)
#if LIFTOFF_DETAIL_DEFINITIONS
#include "windows/platform.hpp"
#endif
namespace liftoff {
inline namespace v0 {
/// The platform launch(), child and the openers use.
using native_platform = detail::windows_platform;
/// How open_url() and friends open things here.
using native_opener = detail::windows_shell_opener;
}  // namespace v0
}  // namespace liftoff
#elif defined(__unix__) || defined(__APPLE__)
#if LIFTOFF_DETAIL_DEFINITIONS
#include "posix/platform.hpp"
#endif
#if defined(__linux__) && !defined(LIFTOFF_FORCE_POSIX_SPAWN)
#if LIFTOFF_DETAIL_DEFINITIONS
#include "linux/spawn_clone.hpp"
#endif
namespace liftoff {
inline namespace v0 {
namespace detail {
using linux_platform = posix_family<clone_spawner>;
}  // namespace detail
/// The platform launch(), child and the openers use.
using native_platform = detail::linux_platform;
/// How open_url() and friends open things here (a platform type may name its own `opener`).
using native_opener = detail::freedesktop_opener<detail::freedesktop_system_root>;
}  // namespace v0
}  // namespace liftoff
#else
// macOS, the BSDs, and Linux with LIFTOFF_FORCE_POSIX_SPAWN (a test build of this path).
#if LIFTOFF_DETAIL_DEFINITIONS
#include "posix/spawn_posix.hpp"
#endif
namespace liftoff {
inline namespace v0 {
namespace detail {
using posix_spawn_platform = posix_family<posix_spawn_spawner>;
}  // namespace detail
/// The platform launch(), child and the openers use.
using native_platform = detail::posix_spawn_platform;
#if defined(__APPLE__)
/// How open_url() and friends open things here (a platform type may name its own `opener`).
using native_opener = detail::darwin_opener<detail::darwin_open_tool>;
#else
/// How open_url() and friends open things here (a platform type may name its own `opener`).
using native_opener = detail::freedesktop_opener<detail::freedesktop_system_root>;
#endif  // __APPLE__
}  // namespace v0
}  // namespace liftoff
#endif  // __linux__ && !LIFTOFF_FORCE_POSIX_SPAWN
#else
#error "liftoff: unknown operating system"
#endif  // _WIN32
