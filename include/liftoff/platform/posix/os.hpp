// liftoff/platform/posix/os.hpp: where the POSIX systems differ (Linux, macOS, FreeBSD and the
// other BSDs), each difference decided once, here; the rest of platform/posix/ asks these.
// Checked by cross builds for macOS and FreeBSD (cross/zig-*.ini), run on Linux.
// SPDX-License-Identifier: MIT
#pragma once

#include <fcntl.h>
#include <spawn.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>

#if defined(__APPLE__) || defined(__FreeBSD__) || defined(__OpenBSD__) || defined(__NetBSD__) || defined(__DragonFly__)
#include <sys/param.h>  // __FreeBSD_version; statfs
#include <sys/mount.h>  // statfs, MNT_NOEXEC
#endif
#if defined(__APPLE__)
#include <AvailabilityMacros.h>  // MAC_OS_X_VERSION_MIN_REQUIRED
#include <crt_externs.h>         // _NSGetEnviron
#else
extern char** environ;  // POSIX: declared by no header unless _GNU_SOURCE
#endif  // __APPLE__

// pipe2(O_CLOEXEC): Linux (glibc 2.9), FreeBSD 10, NetBSD 6, OpenBSD 5.7; never macOS.
#if defined(__APPLE__)
#define LIFTOFF_HAS_PIPE2 0
#else
#define LIFTOFF_HAS_PIPE2 1
#endif

// A per-descriptor "no SIGPIPE" flag for a pipe's write end: macOS (F_SETNOSIGPIPE). Elsewhere
// write_without_sigpipe() blocks SIGPIPE around the write.
#if defined(__APPLE__) && defined(F_SETNOSIGPIPE)
#define LIFTOFF_HAS_PIPE_NOSIGPIPE 1
#else
#define LIFTOFF_HAS_PIPE_NOSIGPIPE 0
#endif

// posix_spawn_file_actions_addchdir_np: glibc 2.29, FreeBSD 13.1, macOS 10.15 (a deployment
// target below that asks at run time). macOS 26 deprecates it for POSIX 2024's addchdir.
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 29))
#define LIFTOFF_HAS_SPAWN_CHDIR 1
#elif defined(__FreeBSD__) && defined(__FreeBSD_version) && __FreeBSD_version >= 1301000
#define LIFTOFF_HAS_SPAWN_CHDIR 1
#elif defined(__APPLE__)
#define LIFTOFF_HAS_SPAWN_CHDIR 1
#else
#define LIFTOFF_HAS_SPAWN_CHDIR 0
#endif

// posix_spawn_file_actions_addclosefrom_np: glibc 2.34, FreeBSD 13.1. macOS has none and needs
// none (POSIX_SPAWN_CLOEXEC_DEFAULT). Elsewhere the child gets the descriptors the application
// left without FD_CLOEXEC (liftoff's own are all close-on-exec).
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
#define LIFTOFF_HAS_SPAWN_CLOSEFROM 1
#elif defined(__FreeBSD__) && defined(__FreeBSD_version) && __FreeBSD_version >= 1301000
#define LIFTOFF_HAS_SPAWN_CLOSEFROM 1
#else
#define LIFTOFF_HAS_SPAWN_CLOSEFROM 0
#endif

namespace liftoff {
inline namespace v0 {
namespace detail {

/// The process's environment. macOS: `environ` is not visible to a shared library or bundle;
/// Apple's documented way is _NSGetEnviron().
inline char** posix_environ() noexcept {
#if defined(__APPLE__)
    return *_NSGetEnviron();
#else
    return environ;
#endif  // __APPLE__
}

/// Makes writes through this pipe end give EPIPE instead of SIGPIPE, where the OS has the flag
/// (LIFTOFF_HAS_PIPE_NOSIGPIPE). The flag belongs to the open file description, which every copy
/// shares: only for an end no child gets (the parent's end of the child's stdin), or the child's
/// own writes would stop raising SIGPIPE.
inline void set_pipe_nosigpipe(int fd) noexcept {
#if LIFTOFF_HAS_PIPE_NOSIGPIPE
    ::fcntl(fd, F_SETNOSIGPIPE, 1);
#else
    (void)fd;
#endif
}

/// Whether the file system holding `path` is mounted noexec: statvfs's ST_NOEXEC where it has one
/// (Linux, NetBSD), statfs's MNT_NOEXEC where noexec lives there (macOS, FreeBSD, OpenBSD).
inline bool on_noexec_mount(const char* path) noexcept {
#if defined(ST_NOEXEC)
    struct statvfs vfs;
    return ::statvfs(path, &vfs) == 0 && (vfs.f_flag & ST_NOEXEC) != 0;
#elif defined(MNT_NOEXEC)
    struct statfs fs;
    return ::statfs(path, &fs) == 0 && (fs.f_flags & MNT_NOEXEC) != 0;
#else
    (void)path;
    return false;  // nothing to ask: exec's own EACCES is reported without the cause
#endif
}

/// The posix_spawn flags this OS adds to liftoff's own. macOS: POSIX_SPAWN_CLOEXEC_DEFAULT, so
/// only the descriptors the file actions name reach the child (macOS has no closefrom action).
/// POSIX_SPAWN_SETSID (glibc 2.26, macOS; not FreeBSD 14) is not used: liftoff starts no sessions.
inline short spawn_os_flags() noexcept {
#if defined(__APPLE__)
    return POSIX_SPAWN_CLOEXEC_DEFAULT;
#else
    return 0;
#endif  // __APPLE__
}

/// Whether the child can be started in another directory on this system (see spawn_add_chdir).
inline bool spawn_chdir_available() noexcept {
#if !LIFTOFF_HAS_SPAWN_CHDIR
    return false;
#elif defined(__APPLE__) && MAC_OS_X_VERSION_MIN_REQUIRED < 101500
    if (__builtin_available(macOS 10.15, *)) return true;
    return false;
#else
    return true;
#endif
}

/// Adds "chdir to dir" to the file actions. Returns 0 or an errno value; ENOSYS where
/// spawn_chdir_available() is false.
inline int spawn_add_chdir(posix_spawn_file_actions_t* actions, const char* dir) noexcept {
#if !LIFTOFF_HAS_SPAWN_CHDIR
    (void)actions;
    (void)dir;
    return ENOSYS;
#elif defined(__APPLE__) && MAC_OS_X_VERSION_MIN_REQUIRED >= 260000
    return posix_spawn_file_actions_addchdir(actions, dir);  // the _np form is deprecated here
#elif defined(__APPLE__) && MAC_OS_X_VERSION_MIN_REQUIRED < 101500
    if (__builtin_available(macOS 10.15, *)) return posix_spawn_file_actions_addchdir_np(actions, dir);
    return ENOSYS;
#else
    return posix_spawn_file_actions_addchdir_np(actions, dir);
#endif
}

/// Keeps one of the parent's standard streams (0, 1, 2) in the child as it is. Returns 0 or an
/// errno value.
inline int spawn_keep_stream(posix_spawn_file_actions_t* actions, int fd) noexcept {
#if defined(__APPLE__)
    // Under CLOEXEC_DEFAULT only named descriptors survive, so name it. The kernel fails the whole
    // spawn with EBADF if it is not open (a daemon's closed stdin): then there is nothing to keep.
    if (::fcntl(fd, F_GETFD) == -1) return 0;
    return posix_spawn_file_actions_addinherit_np(actions, fd);
#else
    (void)actions;
    (void)fd;
    return 0;  // it is inherited unless close-on-exec, as the application left it
#endif  // __APPLE__
}

/// Closes every descriptor from 3 up in the child, where the C library can. Returns 0 or an
/// errno value.
inline int spawn_close_from_3(posix_spawn_file_actions_t* actions, const int* kept, std::size_t count) noexcept {
#if LIFTOFF_HAS_SPAWN_CLOSEFROM
    // Keeping the `kept` descriptors (ascending, command::pass_fd()): a close for each number
    // below the highest (a close of one not open is ignored), then closefrom above it.
    int from = 3;
    for (std::size_t i = 0; i < count; ++i) {
        for (int fd = from; fd < kept[i]; ++fd)
            if (int err = posix_spawn_file_actions_addclose(actions, fd)) return err;
        from = kept[i] + 1;
    }
    return posix_spawn_file_actions_addclosefrom_np(actions, from);
#else
    (void)actions;
    (void)kept;
    (void)count;
    return 0;  // macOS: CLOEXEC_DEFAULT does it; elsewhere: see LIFTOFF_HAS_SPAWN_CLOSEFROM
#endif
}

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
