// liftoff/platform/posix/spawn_request.hpp: what a POSIX spawner is given and what it returns.
// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>  // pid_t, gid_t

#include <cstddef>
#include <cstdint>

#include "../../detail/launch_spec.hpp"  // spawn_stage

namespace liftoff {
inline namespace v0 {
namespace detail {

/// Everything prepared in the parent; a spawner only makes OS calls with it.
struct posix_spawn_request {
    const char* path = nullptr;
    char* const* argv = nullptr;
    char* const* envp = nullptr;
    const char* cwd = nullptr;  ///< nullptr: the parent's
    int fds[3] = {-1, -1, -1};  ///< the child's 0, 1, 2 (all >= 3); -1 keeps the parent's
    bool new_group = false;
    bool die_with_parent = false;
    // The child's process state (command::arg0() is argv[0] above; the program run is `path`).
    bool new_session = false;                ///< setsid(); the child also leads a new group
    int umask = -1;                          ///< -1: the parent's
    const resource_limit* limits = nullptr;  ///< setrlimit for each (RLIM_INFINITY as ~0)
    std::size_t limit_count = 0;
    /// Descriptors for the child, each `parent_fd` a close-on-exec duplicate made by the caller
    /// above every `child_fd` and above 2 (so no dup2 overwrites a source still to be used);
    /// `kept` lists every `child_fd` in ascending order (what closing from 3 keeps).
    const passed_fd* passed = nullptr;
    std::size_t passed_count = 0;
    const int* kept = nullptr;
    bool set_groups = false;  ///< setgroups(group_count, groups) (false: the list is this process's)
    const gid_t* groups = nullptr;
    std::size_t group_count = 0;
    bool set_ids = false;  ///< setgid(gid) then setuid(uid)
    std::uint32_t uid = 0;
    std::uint32_t gid = 0;
};

struct posix_spawn_result {
    pid_t pid = -1;
    int pidfd = -1;  ///< owned by the caller; -1 where the OS or spawner has none
    spawn_stage stage = spawn_stage::none;
    int error = 0;         ///< errno of the failing stage
    std::size_t item = 0;  ///< stage limit or pass_fd: which one
};

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
