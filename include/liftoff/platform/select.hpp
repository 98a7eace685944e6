// liftoff/platform/select.hpp: the one place that picks native_platform at compile time.
// Each platform header is included in exactly one branch, so the generated single header
// (tools/amalgamate inlines each file once) keeps every branch whole.
// The opener strategies are portable code (included by open.hpp on every OS, so each is tested
// everywhere); only the choice of native_opener is made here.
// SPDX-License-Identifier: MIT
#pragma once

#include "../error.hpp"
#include "../exit_status.hpp"

// The portable headers the platforms build on, included before the branches so that the single
// header holds them outside any #if, whichever branch comes first.
#include "../detail/binary_format.hpp"
#include "../detail/caller_read.hpp"
#include "../detail/causes.hpp"
#include "../detail/clock.hpp"
#include "../detail/elf.hpp"
#include "../detail/macho.hpp"
#include "../detail/pe_imports.hpp"
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

}  // namespace detail
}  // namespace v0
}  // namespace liftoff

#if defined(_WIN32)
#include "windows/platform.hpp"
namespace liftoff {
inline namespace v0 {
namespace detail {
/// The platform launch(), child and the openers use.
using native_platform = windows_platform;
/// How open_url() and friends open things here.
using native_opener = windows_shell_opener;
}  // namespace detail
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
/// The platform launch(), child and the openers use.
using native_platform = linux_platform;
/// How open_url() and friends open things here (a platform type may name its own `opener`).
using native_opener = freedesktop_opener<freedesktop_system_root>;
}  // namespace detail
}  // namespace v0
}  // namespace liftoff
#else
// macOS, the BSDs, and Linux with LIFTOFF_FORCE_POSIX_SPAWN (a test build of this path).
#include "posix/spawn_posix.hpp"
namespace liftoff {
inline namespace v0 {
namespace detail {
using posix_spawn_platform = posix_family<posix_spawn_spawner>;
/// The platform launch(), child and the openers use.
using native_platform = posix_spawn_platform;
#if defined(__APPLE__)
/// How open_url() and friends open things here (a platform type may name its own `opener`).
using native_opener = darwin_opener<darwin_open_tool>;
#else
/// How open_url() and friends open things here (a platform type may name its own `opener`).
using native_opener = freedesktop_opener<freedesktop_system_root>;
#endif  // __APPLE__
}  // namespace detail
}  // namespace v0
}  // namespace liftoff
#endif  // __linux__ && !LIFTOFF_FORCE_POSIX_SPAWN
#else
#error "liftoff: unknown operating system"
#endif  // _WIN32
