// liftoff/platform/posix/exit_watch.hpp: how this OS tells that a child has exited, decided
// once: a pidfd (waitid(P_PIDFD), poll) on Linux, kqueue's EVFILT_PROC on macOS and the BSDs,
// the child's pid (waitid, waitpid) where neither exists.
// SPDX-License-Identifier: MIT
#pragma once

#include <signal.h>
#include <sys/types.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>  // uintptr_t, a kevent ident
#include <cstdio>   // snprintf
#include <cstdlib>  // strtoull
#include <cstring>  // strrchr

#include "../../exit_status.hpp"
#include "fd.hpp"

#if defined(__linux__)
#include <sys/statfs.h>
#include <sys/syscall.h>
#endif

#if defined(__APPLE__) || defined(__FreeBSD__) || defined(__NetBSD__) || defined(__OpenBSD__) || defined(__DragonFly__)
#include <sys/event.h>
#define LIFTOFF_DETAIL_KQUEUE 1
#else
#define LIFTOFF_DETAIL_KQUEUE 0
#endif

namespace liftoff {
inline namespace v0 {
namespace detail {

/// True where a kqueue watches any number of children by pid, with one descriptor for all.
constexpr bool exit_watch_by_kqueue = LIFTOFF_DETAIL_KQUEUE != 0;

inline exit_status decode_wait_status(int status) noexcept {
    if (WIFEXITED(status)) return exit_status::from_code(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return exit_status::from_signal(WTERMSIG(status));
    return exit_status{};
}

/// The status of a child that was reaped before we could: lost() if SIGCHLD is ignored now
/// (SIG_IGN or SA_NOCLDWAIT: the system reaped it), else something in this process did.
inline exit_status status_reaped_by_others() noexcept {
    struct sigaction sa{};
    if (::sigaction(SIGCHLD, nullptr, &sa) == 0 && (sa.sa_handler == SIG_IGN || (sa.sa_flags & SA_NOCLDWAIT) != 0))
        return exit_status::lost();
    return exit_status::reaped_elsewhere();
}

inline exit_status decode_wait_info(const siginfo_t& info) noexcept {
    if (info.si_code == CLD_EXITED) return exit_status::from_code(info.si_status);
    if (info.si_code == CLD_KILLED || info.si_code == CLD_DUMPED) return exit_status::from_signal(info.si_status);
    return exit_status{};
}

/// What one look at a child found.
enum class child_state_seen { running, exited, gone };

/// waitid() on a pidfd (Linux 5.4): it names this very process, so a child someone else has
/// reaped is `gone` even when its pid has been given to another process meanwhile. Returns
/// false where the kernel has no P_PIDFD (then the caller goes by pid), remembered process-wide.
/// `reap` false: look only (WNOWAIT), so the pid stays ours.
inline bool pidfd_look(int pidfd, bool reap, child_state_seen& seen, exit_status* status) noexcept {
#if defined(__linux__)
    static std::atomic<bool> works{true};
    if (pidfd < 0 || !works.load(std::memory_order_relaxed)) return false;
    constexpr idtype_t p_pidfd = static_cast<idtype_t>(3);  // P_PIDFD; older headers lack it
    siginfo_t info{};
    info.si_pid = 0;
    const int r = retry_eintr(
        [&] { return ::waitid(p_pidfd, static_cast<id_t>(pidfd), &info, WEXITED | WNOHANG | (reap ? 0 : WNOWAIT)); });
    if (r != 0) {
        if (errno == EINVAL) {  // before Linux 5.4
            works.store(false, std::memory_order_relaxed);
            return false;
        }
        seen = child_state_seen::gone;  // ECHILD: reaped by someone else (or SIGCHLD ignored)
        return true;
    }
    if (info.si_pid == 0) {
        seen = child_state_seen::running;
        return true;
    }
    seen = child_state_seen::exited;
    if (status != nullptr) *status = decode_wait_info(info);
    return true;
#else
    (void)pidfd;
    (void)reap;
    (void)seen;
    (void)status;
    return false;
#endif  // __linux__
}

/// One look at `pid` by its pid, without reaping it (WNOWAIT): `exited` while it is a zombie,
/// `gone` if it is not (or no longer) our child (ECHILD). By pid, so it cannot tell our child
/// from another process given its pid after someone else reaped it (a pidfd can).
inline child_state_seen pid_look(pid_t pid) noexcept {
    siginfo_t info{};
    info.si_pid = 0;
    const int r =
        retry_eintr([&] { return ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT | WNOHANG); });
    if (r != 0) return child_state_seen::gone;
    return info.si_pid == pid ? child_state_seen::exited : child_state_seen::running;
}

/// When process `pid` started (field 22 of /proc/<pid>/stat, in clock ticks since boot), or 0
/// if it cannot be read (no /proc, a /proc of another pid namespace, or no such process). With the pid, it names one
/// process: a pid given to another process comes with another start time. Linux only.
inline unsigned long long process_start_time(pid_t pid) noexcept {
#if defined(__linux__)
    char path[32];
    // A /proc of another pid namespace (not remounted after unshare) names other processes:
    // asked once per process (a fork() asks again).
    static std::atomic<pid_t> proc_is_ours{0};
    const pid_t me = ::getpid();
    if (proc_is_ours.load(std::memory_order_relaxed) != me) {
        char self[16];
        const ssize_t len = ::readlink("/proc/self", self, sizeof self - 1);
        if (len <= 0) return 0;
        self[len] = '\0';
        if (std::strtoll(self, nullptr, 10) != static_cast<long long>(me)) return 0;
        proc_is_ours.store(me, std::memory_order_relaxed);
    }
    std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(pid));
    unique_fd fd(::open(path, O_RDONLY | O_CLOEXEC));
    if (!fd) return 0;
    char buf[1024];  // pid, (comm: at most 16 bytes, escaped nowhere), then 50 numbers at most
    const ssize_t n = retry_eintr([&] { return ::read(fd.get(), buf, sizeof buf - 1); });
    if (n <= 0) return 0;
    buf[n] = '\0';
    // comm may hold spaces and parentheses: the fields start after the LAST ')'.
    const char* p = std::strrchr(buf, ')');
    if (p == nullptr) return 0;
    ++p;
    for (int field = 3; field < 22; ++field) {  // skip fields 3 (state) to 21
        while (*p == ' ')
            ++p;
        while (*p != ' ' && *p != '\0')
            ++p;
        if (*p == '\0') return 0;
    }
    char* end = nullptr;
    const unsigned long long start = std::strtoull(p, &end, 10);
    return end == p ? 0 : start;
#else
    (void)pid;
    return 0;
#endif  // __linux__
}

// --- Who a pid is (Linux), for a child that keeps no pidfd -------------------------------------
// A child liftoff has not reaped keeps its pid, unless the application reaps it behind liftoff's
// back and the pid goes to another process: so such a child is known by its pid and an
// identity read while it was surely liftoff's, and a pid that answers with another identity is
// not it. Two kinds: since Linux 6.9 on 64-bit systems, the inode number of a pidfd (pidfs),
// which names one process for as long as the system runs, read with one fstat() (used where
// pidfds are pidfs inodes and pidfd_open() is allowed, asked once per process); else, and for
// a child that never had a pidfd, the start time in /proc/<pid>/stat, which counts clock ticks
// (10 ms), so that a pid reused within the child's own tick passes for it. The top bit tells
// the two kinds apart.

/// True for an errno value that says no descriptor (or memory) could be had just now: a look that
/// needed one tells nothing, and is tried again later.
inline bool out_of_descriptors(int e) noexcept {
    return e == EMFILE || e == ENFILE || e == ENOMEM;
}

/// Marks an identity that is a pidfs inode number (start times never reach this bit).
constexpr unsigned long long pidfs_identity_bit = 1ULL << 63;

/// Whether this system's pidfds are pidfs inodes; `no` may be set by tests to check the
/// start-time path on a kernel that has pidfs.
enum class pidfs_inodes { unknown, yes, no };
inline std::atomic<pidfs_inodes>& pidfs_inodes_here() noexcept {
    static std::atomic<pidfs_inodes> known{pidfs_inodes::unknown};
    return known;
}

/// A pidfd for `pid` (Linux 5.3), or -1 with errno set.
inline int open_pidfd(pid_t pid) noexcept {
#if defined(__linux__) && defined(SYS_pidfd_open)
    return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
#else
    (void)pid;
    errno = ENOSYS;
    return -1;
#endif
}

/// The inode number of descriptor `fd` (without the top bit), or 0.
inline unsigned long long inode_of(int fd) noexcept {
    struct stat st{};
    if (fd < 0 || ::fstat(fd, &st) != 0) return 0;
    return static_cast<unsigned long long>(st.st_ino) & ~pidfs_identity_bit;
}

/// The pidfs inode number of `pidfd`, or 0 where identities are start times here: not pidfs,
/// a 32-bit system (whose pidfs numbers may be reused), no pidfd_open() (a later look could not
/// check it: a seccomp filter may allow clone's pidfd but refuse pidfd_open), or -1.
inline unsigned long long pidfd_inode(int pidfd) noexcept {
#if defined(__linux__)
    if (pidfd < 0 || sizeof(void*) < 8) return 0;
    pidfs_inodes known = pidfs_inodes_here().load(std::memory_order_relaxed);
    if (known == pidfs_inodes::unknown) {
        constexpr unsigned long pid_fs_magic = 0x50494446;  // PID_FS_MAGIC; older headers lack it
        struct statfs fs{};
        bool pidfs = ::fstatfs(pidfd, &fs) == 0 && static_cast<unsigned long>(fs.f_type) == pid_fs_magic;
        if (pidfs) {
            const unique_fd self(open_pidfd(::getpid()));
            if (!self && out_of_descriptors(errno)) return 0;  // no answer now: asked again at the next child
            pidfs = static_cast<bool>(self);
        }
        pidfs_inodes expected = pidfs_inodes::unknown;
        pidfs_inodes_here().compare_exchange_strong(expected, pidfs ? pidfs_inodes::yes : pidfs_inodes::no);
        known = pidfs_inodes_here().load(std::memory_order_relaxed);
    }
    return known == pidfs_inodes::yes ? inode_of(pidfd) : 0;
#else
    (void)pidfd;
    return 0;
#endif  // __linux__
}

/// The identity of the child `pid`, whose pidfd (or -1) this process still holds; 0 if none can
/// be had (no pidfs and no /proc of ours: then the child keeps its pidfd).
inline unsigned long long process_identity(pid_t pid, int pidfd) noexcept {
    if (const unsigned long long inode = pidfd_inode(pidfd)) return inode | pidfs_identity_bit;
    return process_start_time(pid);
}

/// What a look at the process under a pid found: the one `identity` was read from, another,
/// or nothing (errno set: no descriptor to read /proc with just now).
enum class identity_seen { same, other, unknown };

/// `identity` is a start time: compares it with the one of the process `pid` names now.
inline identity_seen start_time_identity(pid_t pid, unsigned long long identity) noexcept {
    errno = 0;
    const unsigned long long now = process_start_time(pid);
    if (now == identity) return identity_seen::same;
    return now == 0 && out_of_descriptors(errno) ? identity_seen::unknown : identity_seen::other;
}

/// Whether `pidfd`, just opened for `pid`, names the process `identity` was read from (a start
/// time is read after the open: the pidfd holds the pid).
inline identity_seen pidfd_identity(int pidfd, pid_t pid, unsigned long long identity) noexcept {
    if ((identity & pidfs_identity_bit) == 0) return start_time_identity(pid, identity);
    return (inode_of(pidfd) | pidfs_identity_bit) == identity ? identity_seen::same : identity_seen::other;
}

/// A pidfd for `pid`, checked against `identity` (if nonzero) to name the process it was read
/// from. Empty with `gone`: the process under the pid is another one, or there is none. Empty and
/// not gone: no pidfd_open() here, or (errno out_of_descriptors()) no descriptor to tell with now.
inline unique_fd open_checked_pidfd(pid_t pid, unsigned long long identity, bool& gone) noexcept {
    unique_fd fd(open_pidfd(pid));
    gone = !fd && (errno == ESRCH || errno == EINVAL);  // EINVAL: the id of a thread now
    if (fd && identity != 0) {
        const identity_seen seen = pidfd_identity(fd.get(), pid, identity);
        if (seen != identity_seen::same) {
            const int e = errno;
            fd.reset();
            gone = seen == identity_seen::other;
            errno = e;
        }
    }
    return fd;
}

/// Reaps the child if it has exited; never blocks. Through its pidfd where there is one, else by
/// pid (safe while liftoff has not reaped it: the zombie keeps the pid; only another reaper in
/// this process can break that, and then a pidfd is what tells). `identity` (Linux, by pid,
/// nonzero): the child's process_identity(); a process under its pid with another identity is
/// not ours (our child was reaped behind liftoff's back and its pid given to another process):
/// it is left alone, and the answer is `gone`.
inline child_state_seen reap_child(pid_t pid, int pidfd, exit_status* status,
                                   unsigned long long identity = 0) noexcept {
    child_state_seen seen = child_state_seen::running;
    if (pidfd_look(pidfd, true, seen, status)) return seen;
    if ((identity & pidfs_identity_bit) != 0) {
        // A pidfd for this look: it names the process under the pid now, zombie or not. Never
        // by pid alone: without a pidfd (no descriptor to spare) it is looked at again later.
        bool gone = false;
        const unique_fd own = open_checked_pidfd(pid, identity, gone);
        if (gone) return child_state_seen::gone;
        return own && pidfd_look(own.get(), true, seen, status) ? seen : child_state_seen::running;
    }
    if (identity != 0) {
        seen = pid_look(pid);
        if (seen == child_state_seen::gone) return seen;
        // A zombie keeps its /proc entry until reaped, and only this process can reap it now
        // (short of an application's reaper racing this very line, which no by-pid look avoids).
        // A running process of another start time is another child of ours given the pid: ours
        // is gone (else a waiter would look again and again until that one ends). No descriptor
        // to read /proc with: looked at again later.
        switch (start_time_identity(pid, identity)) {
        case identity_seen::other: return child_state_seen::gone;
        case identity_seen::unknown: return child_state_seen::running;
        case identity_seen::same: break;
        }
        if (seen == child_state_seen::running) return seen;
    }
    int raw = 0;
    const pid_t r = retry_eintr([&] { return ::waitpid(pid, &raw, WNOHANG); });
    if (r == 0) return child_state_seen::running;
    if (r < 0) return child_state_seen::gone;
    if (status != nullptr) *status = decode_wait_status(raw);
    return child_state_seen::exited;
}

#if LIFTOFF_DETAIL_KQUEUE
/// One change on `kq`, carrying `key` as its udata: 0 or the errno value kevent() gave.
inline int kqueue_change(int kq, uintptr_t ident, short filter, unsigned short flags, unsigned fflags,
                         std::uint64_t key = 0) noexcept {
    struct kevent change;
    EV_SET(&change, ident, filter, flags, fflags, 0, reinterpret_cast<void*>(static_cast<uintptr_t>(key)));
    return retry_eintr([&] { return ::kevent(kq, &change, 1, nullptr, 0, nullptr); }) == 0 ? 0 : errno;
}
/// One EV_ADD on `kq`.
inline int kqueue_add(int kq, uintptr_t ident, short filter, unsigned short flags, unsigned fflags) noexcept {
    return kqueue_change(kq, ident, filter, EV_ADD | flags, fflags);
}

/// Registers `pid` for one NOTE_EXIT on `kq`: 0, ESRCH if it has already exited (a zombie, or
/// reaped: the caller looks at once), or another errno value (the caller watches another way).
inline int kqueue_watch_exit(int kq, pid_t pid) noexcept {
    return kqueue_add(kq, static_cast<uintptr_t>(pid), EVFILT_PROC, EV_ONESHOT, NOTE_EXIT);
}

inline timespec timespec_until(std::chrono::steady_clock::time_point deadline) noexcept {
    auto left = deadline - std::chrono::steady_clock::now();
    if (left < left.zero()) left = left.zero();
    const auto capped = left > std::chrono::hours(24 * 365) ? std::chrono::hours(24 * 365) : left;
    const auto s = std::chrono::duration_cast<std::chrono::seconds>(capped);
    timespec ts{};
    ts.tv_sec = static_cast<time_t>(s.count());
    ts.tv_nsec = static_cast<long>(std::chrono::duration_cast<std::chrono::nanoseconds>(capped - s).count());
    return ts;
}
#endif  // LIFTOFF_DETAIL_KQUEUE

/// Blocks until `pid` exits or `deadline` passes, through a kqueue of its own (one descriptor
/// while it waits). 1: exited (or gone); 0: the deadline passed; -1: no kqueue here (or none
/// could be made): the caller waits another way.
inline int kqueue_await_exit(pid_t pid, std::chrono::steady_clock::time_point deadline) noexcept {
#if LIFTOFF_DETAIL_KQUEUE
    unique_fd kq(::kqueue());
    if (!kq) return -1;
    if (const int err = kqueue_watch_exit(kq.get(), pid)) return err == ESRCH ? 1 : -1;  // else: another way
    // An exit between the caller's look and the registration gives no event: look again now.
    if (pid_look(pid) != child_state_seen::running) return 1;
    for (;;) {
        const timespec ts = timespec_until(deadline);
        struct kevent got;
        const int n = ::kevent(kq.get(), nullptr, 0, &got, 1, &ts);
        if (n > 0) return 1;
        if (n < 0 && errno != EINTR) return -1;
        if (n == 0 && std::chrono::steady_clock::now() >= deadline) return 0;
    }
#else
    (void)pid;
    (void)deadline;
    return -1;
#endif  // LIFTOFF_DETAIL_KQUEUE
}

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
