// liftoff/platform/linux/spawn_clone.hpp: the Linux spawner. clone(CLONE_VM | CLONE_VFORK) runs
// a few raw system calls in the child and then execve: no copy of the parent's memory (O(1) in
// its size), each failure reported with the stage it happened in (a bad cwd is never a missing
// program), a pidfd from birth, and PR_SET_PDEATHSIG, which posix_spawn cannot set.
// SPDX-License-Identifier: MIT
#pragma once

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <condition_variable>
#include <deque>
#include <mutex>

#include "../posix/fd.hpp"
#include "../posix/spawn_request.hpp"
#include "../posix/system.hpp"
#include "../posix/thread.hpp"

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000  // Linux 5.2; older headers lack it
#endif
#ifndef SYS_close_range
#define SYS_close_range 436  // the same number on every architecture
#endif
// The 32-bit id calls where a system has both (i386, 32-bit ARM: the old ones take 16-bit ids).
#if defined(SYS_setgroups32)
#define LIFTOFF_SYS_SETGROUPS SYS_setgroups32
#define LIFTOFF_SYS_SETRESGID SYS_setresgid32
#define LIFTOFF_SYS_SETRESUID SYS_setresuid32
#else
#define LIFTOFF_SYS_SETGROUPS SYS_setgroups
#define LIFTOFF_SYS_SETRESGID SYS_setresgid
#define LIFTOFF_SYS_SETRESUID SYS_setresuid
#endif

// The child half runs on borrowed memory before exec: sanitizers must not instrument it.
#if defined(__clang__) || defined(__GNUC__)
#define LIFTOFF_CHILD_CODE __attribute__((no_sanitize("address", "thread", "undefined"), noinline))
#else
#define LIFTOFF_CHILD_CODE
#endif

#if defined(__GLIBC__)
// glibc's own name for clone(). ThreadSanitizer intercepts clone() as if it were fork(), which
// breaks a CLONE_VM child; the child half below is not instrumented, so calling glibc directly
// is right under every sanitizer and changes nothing otherwise (clone is an alias of it).
extern "C" int __clone(int (*fn)(void*), void* stack, int flags, void* arg, ...);
#define LIFTOFF_CLONE __clone
#else
#define LIFTOFF_CLONE ::clone
#endif  // __GLIBC__

namespace liftoff {
inline namespace v0 {
namespace detail {

/// Shared with the child through CLONE_VM. The child reports a failure in `report` once this
/// process has seen CLONE_VM honoured; until then (and for good where it is not: valgrind,
/// qemu-user make the child a fork) through `report_fd`, a close-on-exec pipe.
struct clone_job {
    const posix_spawn_request* request;
    pid_t parent;
    int report_fd;      ///< -1: report in memory
    int shared_memory;  ///< set by the child: CLONE_VM (and so CLONE_VFORK) was honoured
    int report[3];      ///< the failed stage, errno and item, where report_fd is -1
};

// Only raw syscall() from here to execve: no locks, no allocation, no libc state, no interceptors.
LIFTOFF_CHILD_CODE inline void clone_child_fail(clone_job* job, spawn_stage stage, std::size_t item = 0) noexcept {
    const int report[3] = {static_cast<int>(stage), errno, static_cast<int>(item)};
    if (job->report_fd < 0) {
        volatile int* shared = job->report;  // read by the parent once this child has exited
        shared[0] = report[0];
        shared[1] = report[1];
        shared[2] = report[2];
    } else {
        ::syscall(SYS_write, job->report_fd, report, sizeof report);
    }
    ::syscall(SYS_exit_group, 127);
}

LIFTOFF_CHILD_CODE inline bool clone_child_keeps(long fd, const int* kept, std::size_t count, int report) noexcept {
    for (std::size_t i = 0; i < count; ++i)
        if (kept[i] == fd) return true;
    return fd == report;
}

/// close_range() over [from, to]: marked close-on-exec where the kernel can (Linux 5.11), so
/// that execve closes them after this child has let the parent go on (CLONE_VFORK ends when the
/// new program's memory is in place, before its descriptors are closed): a parent with 20,000
/// descriptors does not wait for 20,000 closes at each launch. Else closed here (Linux 5.9).
LIFTOFF_CHILD_CODE inline bool clone_child_close_range(unsigned first, unsigned last) noexcept {
    constexpr unsigned close_range_cloexec = 1U << 2;  // CLOSE_RANGE_CLOEXEC; older headers lack it
    return ::syscall(SYS_close_range, first, last, close_range_cloexec) == 0 ||
           ::syscall(SYS_close_range, first, last, 0U) == 0;
}

/// Closes every descriptor from 3 but the `kept` ones (ascending) and `report` (above them all,
/// or -1), at the latest when execve succeeds: close_range over the gaps between them.
LIFTOFF_CHILD_CODE inline void clone_child_close_from_3(const int* kept, std::size_t count, int report) noexcept {
    bool closed = true;
    long from = 3;
    for (std::size_t i = 0; i <= count && closed; ++i) {
        const long keep = i < count ? kept[i] : report;
        if (keep < 0) break;
        if (keep > from) closed = clone_child_close_range(static_cast<unsigned>(from), static_cast<unsigned>(keep - 1));
        from = keep + 1;
    }
    if (closed && clone_child_close_range(static_cast<unsigned>(from), ~0U)) return;
    // Before Linux 5.9: walk /proc/self/fd (O(open descriptors)) with getdents64.
    const long dir = ::syscall(SYS_openat, AT_FDCWD, "/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) {
        for (long fd = 3; fd < 65536; ++fd)  // no /proc: a bounded sweep
            if (!clone_child_keeps(fd, kept, count, report)) ::syscall(SYS_close, fd);
        return;
    }
    alignas(8) char buf[2048];
    for (;;) {
        const long n = ::syscall(SYS_getdents64, dir, buf, sizeof buf);
        if (n <= 0) break;
        for (long off = 0; off < n;) {
            // struct linux_dirent64: u64 ino, s64 off, u16 reclen, u8 type, char name[]
            unsigned short reclen;
            __builtin_memcpy(&reclen, buf + off + 16, sizeof reclen);
            const char* name = buf + off + 19;
            long fd = 0;
            bool number = *name != '\0';
            for (const char* c = name; *c != '\0'; ++c) {
                if (*c < '0' || *c > '9') {
                    number = false;
                    break;
                }
                fd = fd * 10 + (*c - '0');
            }
            if (number && fd >= 3 && fd != dir && !clone_child_keeps(fd, kept, count, report)) ::syscall(SYS_close, fd);
            off += reclen;
        }
    }
    ::syscall(SYS_close, dir);
}

LIFTOFF_CHILD_CODE inline int clone_child_main(void* arg) noexcept {
    auto* job = static_cast<clone_job*>(arg);
    *static_cast<volatile int*>(&job->shared_memory) = 1;  // seen by the parent only if memory is shared
    const posix_spawn_request& r = *job->request;
    constexpr long sigset_bytes = (_NSIG - 1) / 8;

    // Every disposition back to default (SIG_IGN included: an ignored SIGPIPE must not reach
    // the program). An all-zero kernel sigaction is SIG_DFL on every architecture.
    alignas(8) const unsigned char dfl[64] = {};
    for (int sig = 1; sig < _NSIG; ++sig)
        if (sig != SIGKILL && sig != SIGSTOP) ::syscall(SYS_rt_sigaction, sig, dfl, nullptr, sigset_bytes);

    // The order: its session or group, its umask and limits (a hard limit may be raised only
    // while privileged), its descriptors, its directory, then its ids (which need privilege and
    // end it), then the parent-death signal (a change of ids clears it).
    if (r.new_session) {
        if (::syscall(SYS_setsid) < 0) clone_child_fail(job, spawn_stage::session);
    } else if (r.new_group && ::syscall(SYS_setpgid, 0, 0) != 0) {
        clone_child_fail(job, spawn_stage::setup);
    }
    if (r.umask >= 0) ::syscall(SYS_umask, r.umask);  // cannot fail
    for (std::size_t i = 0; i < r.limit_count; ++i) {
        const std::uint64_t limit[2] = {r.limits[i].soft, r.limits[i].hard};  // struct rlimit64
        if (::syscall(SYS_prlimit64, 0, r.limits[i].resource, limit, nullptr) != 0)
            clone_child_fail(job, spawn_stage::limit, i);
    }

    for (int i = 0; i < 3; ++i)
        if (r.fds[i] >= 0 && ::syscall(SYS_dup3, r.fds[i], i, 0) < 0) clone_child_fail(job, spawn_stage::setup);
    for (std::size_t i = 0; i < r.passed_count; ++i)  // sources lie above every target (the caller saw to it)
        if (::syscall(SYS_dup3, r.passed[i].parent_fd, r.passed[i].child_fd, 0) < 0)
            clone_child_fail(job, spawn_stage::pass_fd, i);
    clone_child_close_from_3(r.kept, r.passed_count, job->report_fd);

    if (r.cwd != nullptr && ::syscall(SYS_chdir, r.cwd) != 0) clone_child_fail(job, spawn_stage::chdir);

    if (r.set_groups && ::syscall(LIFTOFF_SYS_SETGROUPS, r.group_count, r.groups) != 0)
        clone_child_fail(job, spawn_stage::groups);
    if (r.set_ids) {  // as longs: syscall() reads each argument as one
        const long gid = static_cast<long>(r.gid), uid = static_cast<long>(r.uid);
        if (::syscall(LIFTOFF_SYS_SETRESGID, gid, gid, gid) != 0) clone_child_fail(job, spawn_stage::group_id);
        if (::syscall(LIFTOFF_SYS_SETRESUID, uid, uid, uid) != 0) clone_child_fail(job, spawn_stage::user_id);
    }
    if (r.die_with_parent) {
        if (::syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) clone_child_fail(job, spawn_stage::setup);
        if (::syscall(SYS_getppid) != job->parent) ::syscall(SYS_exit_group, 127);  // parent already gone
    }

    alignas(8) const unsigned char empty_mask[16] = {};
    ::syscall(SYS_rt_sigprocmask, SIG_SETMASK, empty_mask, nullptr, sigset_bytes);
    ::syscall(SYS_execve, r.path, r.argv, r.envp);
    clone_child_fail(job, spawn_stage::exec);
    return 127;
}

/// The child's stack: one mapping per launching thread, reused (the parent is suspended while
/// the child runs on it).
class clone_stack {
public:
    static constexpr std::size_t size = 64 * 1024;
    clone_stack() = default;
    clone_stack(const clone_stack&) = delete;
    clone_stack& operator=(const clone_stack&) = delete;
    ~clone_stack() {
        if (base_ != nullptr) ::munmap(base_, size);
    }
    void* top() noexcept {
        if (base_ == nullptr) {
            void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
            if (p == MAP_FAILED) return nullptr;
            base_ = p;
        }
        return static_cast<char*>(base_) + size;  // stacks grow down (all but hppa)
    }

private:
    void* base_ = nullptr;
};

struct clone_spawner {
    static constexpr bool supports_die_with_parent = true;
    static constexpr bool has_pidfd = true;
    // The child's process state: every step is a system call in the child.
    static constexpr bool supports_umask = true;
    static constexpr bool supports_limits = true;
    static constexpr bool supports_credentials = true;
    static constexpr bool supports_new_session = true;

    static posix_spawn_result spawn(const posix_spawn_request& r) noexcept;

    /// Spawn on the calling thread.
    static posix_spawn_result spawn_here(const posix_spawn_request& r) noexcept {
        posix_spawn_result out;
        thread_local clone_stack stack;
        void* top = stack.top();
        if (top == nullptr) return fail(out, spawn_stage::fork, ENOMEM);
        // The child's report. Until this process has seen CLONE_VM honoured, a pipe: 8 bytes on
        // failure, end of file when execve closed it. From then on, the shared clone_job.
        static std::atomic<bool> memory_shared{false};
        const bool report_in_memory = memory_shared.load(std::memory_order_relaxed);
        unique_fd report_read, report_write;
        if (!report_in_memory) {
            if (int e = make_pipe(report_read, report_write)) return fail(out, spawn_stage::pipes, e);
            if (int e = move_above_stdio(report_write)) return fail(out, spawn_stage::pipes, e);
            // Above every descriptor the child is given, which it keeps while it may report.
            if (r.passed_count > 0 && report_write.get() <= r.kept[r.passed_count - 1]) {
                unique_fd above(::fcntl(report_write.get(), F_DUPFD_CLOEXEC, r.kept[r.passed_count - 1] + 1));
                if (!above) return fail(out, spawn_stage::pipes, errno);
                report_write = std::move(above);
            }
        }

        static std::atomic<bool> pidfd_works{true};
        clone_job job{&r, ::getpid(), report_in_memory ? -1 : report_write.get(), 0, {0, 0, 0}};
        int pidfd = -1;
        pid_t pid;
        int err = 0;
        {
            // The child shares our memory until exec: no signal handler may run in it.
            signals_blocked blocked;
            const int flags = CLONE_VM | CLONE_VFORK | SIGCHLD;
            const bool want_pidfd = pidfd_works.load(std::memory_order_relaxed);
            pid = LIFTOFF_CLONE(&clone_child_main, top, flags | (want_pidfd ? CLONE_PIDFD : 0), &job, &pidfd);
            // EINVAL: before Linux 5.2. ENOSYS, EPERM: a seccomp filter (containers, sandboxes)
            // that refuses CLONE_PIDFD; a clone without it may still be allowed.
            if (pid < 0 && want_pidfd && (errno == EINVAL || errno == ENOSYS || errno == EPERM)) {
                pidfd_works.store(false, std::memory_order_relaxed);
                pidfd = -1;
                pid = LIFTOFF_CLONE(&clone_child_main, top, flags, &job);
            }
            err = errno;
        }
        report_write.reset();
        if (pid < 0) return fail(out, spawn_stage::fork, err);
        const bool shared = *static_cast<volatile int*>(&job.shared_memory) != 0;
        int report[3] = {0, 0, 0};
        bool failed = false;
        if (report_in_memory) {
            // CLONE_VFORK: the child has exec'd or exited by now, and wrote its report first.
            const volatile int* shared_report = job.report;
            report[0] = shared_report[0];
            report[1] = shared_report[1];
            report[2] = shared_report[2];
            failed = report[0] != 0;
        } else {
            if (shared) memory_shared.store(true, std::memory_order_relaxed);
            // After a real CLONE_VFORK the child has exec'd or exited: its report, if any, is in
            // the pipe now. Read without blocking, since a process another thread fork()ed
            // meanwhile may hold a copy of the write end for as long as it runs. Where the child
            // was a plain fork (valgrind, qemu-user), wait for the end of file.
            if (shared) set_nonblocking(report_read.get());
            const ssize_t got = retry_eintr([&] { return ::read(report_read.get(), report, sizeof report); });
            failed = got == static_cast<ssize_t>(sizeof report);
        }
        if (failed) {
            int status = 0;
            retry_eintr([&] { return ::waitpid(pid, &status, 0); });
            if (pidfd >= 0) ::close(pidfd);
            fail(out, static_cast<spawn_stage>(report[0]), report[1]);
            out.item = static_cast<std::size_t>(report[2]);
            return out;
        }
        out.pid = pid;
        out.pidfd = pidfd;
        return out;
    }

private:
    static posix_spawn_result& fail(posix_spawn_result& out, spawn_stage stage, int err) noexcept {
        out.stage = stage;
        out.error = err;
        return out;
    }
};

/// PR_SET_PDEATHSIG fires when the *thread* that created the child ends, not the process. So
/// kill_on_parent_exit children are created on this one long-lived library thread: a child
/// launched from a short-lived thread does not die with that thread.
class pdeathsig_spawner_thread {
public:
    static pdeathsig_spawner_thread& instance() {
        static std::mutex guard;
        static pdeathsig_spawner_thread* current = nullptr;
        std::lock_guard<std::mutex> lock(guard);
        if (current == nullptr || current->owner_ != ::getpid()) current = new pdeathsig_spawner_thread;  // never freed
        return *current;
    }

    posix_spawn_result spawn(const posix_spawn_request& r) noexcept {
        job j{&r, {}, false};
        std::unique_lock<std::mutex> lock(mutex_);
        if (!started_) {
            if (const int err = posix_thread::start_detached([this] { loop(); })) {
                j.result.stage = spawn_stage::thread;
                j.result.error = err;
                return j.result;
            }
            started_ = true;
        }
        queue_.push_back(&j);
        wake_.notify_one();
        done_.wait(lock, [&] { return j.done; });
        return j.result;
    }

private:
    struct job {
        const posix_spawn_request* request;
        posix_spawn_result result;
        bool done;
    };

    pdeathsig_spawner_thread() : owner_(::getpid()) {}

    void loop() {
        std::unique_lock<std::mutex> lock(mutex_);
        for (;;) {
            wake_.wait(lock, [&] { return !queue_.empty(); });
            job* j = queue_.front();
            queue_.pop_front();
            lock.unlock();
            posix_spawn_result result = clone_spawner::spawn_here(*j->request);
            lock.lock();
            j->result = result;
            j->done = true;
            done_.notify_all();
        }
    }

    const pid_t owner_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable done_;
    std::deque<job*> queue_;
    bool started_ = false;
};

inline posix_spawn_result clone_spawner::spawn(const posix_spawn_request& r) noexcept {
    if (r.die_with_parent) return pdeathsig_spawner_thread::instance().spawn(r);
    return spawn_here(r);
}

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
