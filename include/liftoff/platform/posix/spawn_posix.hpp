// liftoff/platform/posix/spawn_posix.hpp: the portable POSIX spawner, posix_spawn(), for macOS
// and the BSDs (and, in one of liftoff's test builds, Linux). posix_spawn clones without copying
// the parent's memory and reports exec errors to the caller.
// SPDX-License-Identifier: MIT
#pragma once

#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "spawn_request.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

// Which file actions this C library has (decided once, here).
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 29))
#define LIFTOFF_HAS_SPAWN_CHDIR 1
#elif defined(__APPLE__) || (defined(__FreeBSD__) && __FreeBSD__ >= 14)
#define LIFTOFF_HAS_SPAWN_CHDIR 1
#else
#define LIFTOFF_HAS_SPAWN_CHDIR 0
#endif
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
#define LIFTOFF_HAS_SPAWN_CLOSEFROM 1
#elif defined(__FreeBSD__) && __FreeBSD__ >= 14
#define LIFTOFF_HAS_SPAWN_CLOSEFROM 1
#else
#define LIFTOFF_HAS_SPAWN_CLOSEFROM 0
#endif

struct posix_spawn_spawner {
    static constexpr bool supports_die_with_parent = false;
    static constexpr bool has_pidfd = false;

    static posix_spawn_result spawn(const posix_spawn_request& r) noexcept {
        posix_spawn_result out;
        if (r.die_with_parent) {
            out.stage = spawn_stage::unsupported;
            out.error = ENOTSUP;
            return out;
        }
#if !LIFTOFF_HAS_SPAWN_CHDIR
        if (r.cwd != nullptr) {
            out.stage = spawn_stage::unsupported;
            out.error = ENOTSUP;
            return out;
        }
#endif  // !LIFTOFF_HAS_SPAWN_CHDIR
        posix_spawnattr_t attr;
        posix_spawn_file_actions_t actions;
        if (int err = posix_spawnattr_init(&attr)) return fail(out, spawn_stage::fork, err);
        if (int err = posix_spawn_file_actions_init(&actions)) {
            posix_spawnattr_destroy(&attr);
            return fail(out, spawn_stage::fork, err);
        }

        // Default dispositions and an empty mask, whatever the launching thread had.
        sigset_t all, none;
        sigfillset(&all);
        sigemptyset(&none);
        short flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK;
        posix_spawnattr_setsigdefault(&attr, &all);
        posix_spawnattr_setsigmask(&attr, &none);
        if (r.new_group) {
            flags |= POSIX_SPAWN_SETPGROUP;
            posix_spawnattr_setpgroup(&attr, 0);
        }
#if defined(__APPLE__)
        flags |= POSIX_SPAWN_CLOEXEC_DEFAULT;  // only what the file actions name reaches the child
#endif                                         // __APPLE__
        posix_spawnattr_setflags(&attr, flags);

        int err = 0;
        for (int i = 0; i < 3 && err == 0; ++i) {
            if (r.fds[i] >= 0) {
                err = posix_spawn_file_actions_adddup2(&actions, r.fds[i], i);
            } else {
#if defined(__APPLE__)
                err = posix_spawn_file_actions_addinherit_np(&actions, i);
#endif  // __APPLE__
            }
        }
#if LIFTOFF_HAS_SPAWN_CLOSEFROM
        if (err == 0) err = posix_spawn_file_actions_addclosefrom_np(&actions, 3);
#endif  // LIFTOFF_HAS_SPAWN_CLOSEFROM
#if LIFTOFF_HAS_SPAWN_CHDIR
        if (err == 0 && r.cwd != nullptr) err = posix_spawn_file_actions_addchdir_np(&actions, r.cwd);
#endif  // LIFTOFF_HAS_SPAWN_CHDIR
        if (err == 0) {
            pid_t pid = -1;
            err = posix_spawn(&pid, r.path, &actions, &attr, r.argv, r.envp);
            if (err == 0) out.pid = pid;
        }
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attr);
        if (err != 0) fail(out, blame(r, err), err);
        return out;
    }

private:
    static posix_spawn_result& fail(posix_spawn_result& out, spawn_stage stage, int err) noexcept {
        out.stage = stage;
        out.error = err;
        return out;
    }

    /// posix_spawn gives one errno for chdir and exec alike: a bad cwd must not read as a
    /// missing program, so look at the cwd when the error could be its.
    static spawn_stage blame(const posix_spawn_request& r, int err) noexcept {
        if (err == EAGAIN || err == ENOMEM) return spawn_stage::fork;
        if (err == ENOSYS) return spawn_stage::fork;  // never exec's: a sandbox that refuses clone
        if (r.cwd != nullptr &&
            (err == ENOENT || err == ENOTDIR || err == EACCES || err == ELOOP || err == ENAMETOOLONG)) {
            struct stat st;
            if (::stat(r.cwd, &st) != 0 || !S_ISDIR(st.st_mode) || ::access(r.cwd, X_OK) != 0)
                return spawn_stage::chdir;
        }
        return spawn_stage::exec;
    }
};

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
