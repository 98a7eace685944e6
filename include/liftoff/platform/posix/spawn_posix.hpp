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

#include "os.hpp"
#include "spawn_request.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

// What each C library's posix_spawn can do is decided in os.hpp.
struct posix_spawn_spawner {
    static constexpr bool supports_die_with_parent = false;
    static constexpr bool has_pidfd = false;
    // The child's process state: posix_spawn has no attribute for a umask, a limit or other ids
    // (Apple's and the BSDs' setsid is POSIX_SPAWN_SETSID, where defined).
    static constexpr bool supports_umask = false;
    static constexpr bool supports_limits = false;
    static constexpr bool supports_credentials = false;
#if defined(POSIX_SPAWN_SETSID)
    static constexpr bool supports_new_session = true;
#else
    static constexpr bool supports_new_session = false;
#endif

    static posix_spawn_result spawn(const posix_spawn_request& r) noexcept {
        posix_spawn_result out;
        if (r.die_with_parent) {
            out.stage = spawn_stage::unsupported;
            out.error = ENOTSUP;
            return out;
        }
        if (r.cwd != nullptr && !spawn_chdir_available()) {
            out.stage = spawn_stage::unsupported;
            out.error = ENOTSUP;
            return out;
        }
        posix_spawnattr_t attr;
        posix_spawn_file_actions_t actions;
        if (int err = posix_spawnattr_init(&attr)) return fail(out, spawn_stage::fork, err);
        if (int err = posix_spawn_file_actions_init(&actions)) {
            posix_spawnattr_destroy(&attr);
            return fail(out, spawn_stage::fork, err > 0 ? err : ENOMEM);  // FreeBSD: -1 when malloc fails
        }

        // Default dispositions and an empty mask, whatever the launching thread had. SIGKILL and
        // SIGSTOP always have theirs; FreeBSD's child fails the spawn on any refused sigaction.
        sigset_t all, none;
        sigfillset(&all);
        sigdelset(&all, SIGKILL);
        sigdelset(&all, SIGSTOP);
        sigemptyset(&none);
        short flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | spawn_os_flags();
        int err = posix_spawnattr_setsigdefault(&attr, &all);
        if (err == 0) err = posix_spawnattr_setsigmask(&attr, &none);
#if defined(POSIX_SPAWN_SETSID)
        if (r.new_session) flags |= POSIX_SPAWN_SETSID;  // it leads a new group too: no SETPGROUP
#endif
        if (err == 0 && r.new_group && !r.new_session) {
            flags |= POSIX_SPAWN_SETPGROUP;
            err = posix_spawnattr_setpgroup(&attr, 0);
        }
        // FreeBSD refuses (EINVAL) a flag it does not know rather than ignoring it.
        if (err == 0) err = posix_spawnattr_setflags(&attr, flags);

        for (int i = 0; i < 3 && err == 0; ++i)
            err = r.fds[i] >= 0 ? posix_spawn_file_actions_adddup2(&actions, r.fds[i], i)
                                : spawn_keep_stream(&actions, i);
        // Passed descriptors: each source lies above every target (the caller saw to it).
        for (std::size_t i = 0; i < r.passed_count && err == 0; ++i)
            err = posix_spawn_file_actions_adddup2(&actions, r.passed[i].parent_fd, r.passed[i].child_fd);
        if (err == 0) err = spawn_close_from_3(&actions, r.kept, r.passed_count);
        if (err == 0 && r.cwd != nullptr) err = spawn_add_chdir(&actions, r.cwd);
        const bool prepared = err == 0;
        if (prepared) {
            pid_t pid = -1;
            err = posix_spawn(&pid, r.path, &actions, &attr, r.argv, r.envp);
            if (err == 0) out.pid = pid;
        }
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attr);
        if (err != 0) fail(out, prepared ? blame(r, err) : spawn_stage::setup, err);
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
