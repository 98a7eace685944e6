// bench/contenders.hpp: the same jobs done by each contender, so bench.cpp can time them side by
// side. Each contender lives in its own translation unit (Boost's headers stay out of the rest).
// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

namespace bench {

/// Runs `path` with `args`, inherited streams, and waits for it.
using spawn_wait_fn = void (*)(const std::string& path, const std::vector<std::string>& args);
/// Runs `path` with `args`, returns its stdout, waits for it.
using capture_fn = std::string (*)(const std::string& path, const std::vector<std::string>& args);

namespace raw {  // posix_spawn + waitpid, pipe + read loop: the floor
void spawn_wait(const std::string& path, const std::vector<std::string>& args);
std::string capture(const std::string& path, const std::vector<std::string>& args);
/// 64 children at once, both streams piped, one thread polling every pipe. Returns total bytes.
long long many(const std::string& path, const std::vector<std::string>& args, int children);
}  // namespace raw
namespace forkexec {
void spawn_wait(const std::string& path, const std::vector<std::string>& args);
/// vfork() + execve + waitpid, nothing reset in the child: below what any safe spawn can do.
void vfork_wait(const std::string& path, const std::vector<std::string>& args);
}  // namespace forkexec
namespace libc {  // std::system and popen: through /bin/sh
void system_wait(const std::string& path, const std::vector<std::string>& args);
std::string popen_capture(const std::string& path, const std::vector<std::string>& args);
}  // namespace libc
namespace lift {
void spawn_wait(const std::string& path, const std::vector<std::string>& args);
std::string capture(const std::string& path, const std::vector<std::string>& args);
/// The same as capture(), through launch().wait(): what run() is measured against.
std::string capture_launched(const std::string& path, const std::vector<std::string>& args);
long long many(const std::string& path, const std::vector<std::string>& args, int children);
void release(const std::string& path, const std::vector<std::string>& args);
}  // namespace lift
namespace boost1 {
void spawn_wait(const std::string& path, const std::vector<std::string>& args);
std::string capture(const std::string& path, const std::vector<std::string>& args);
void detach(const std::string& path, const std::vector<std::string>& args);
}  // namespace boost1
namespace boost2 {
void spawn_wait(const std::string& path, const std::vector<std::string>& args);
std::string capture(const std::string& path, const std::vector<std::string>& args);
}  // namespace boost2

}  // namespace bench
