// liftoff/platform/posix/spawn_request.hpp: what a POSIX spawner is given and what it returns.
// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>  // pid_t

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
};

struct posix_spawn_result {
    pid_t pid = -1;
    int pidfd = -1;  ///< owned by the caller; -1 where the OS or spawner has none
    spawn_stage stage = spawn_stage::none;
    int error = 0;  ///< errno of the failing stage
};

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
