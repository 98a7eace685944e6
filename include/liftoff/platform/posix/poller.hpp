// liftoff/platform/posix/poller.hpp: the one set of descriptors liftoff's event loop waits on,
// decided once for the OS: epoll on Linux, kqueue on macOS and the BSDs. Level-triggered, so a
// descriptor one thread has not finished with is reported again to the next; each registration
// carries a 64-bit key the loop maps back to its owner.
// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>

#include "exit_watch.hpp"  // LIFTOFF_DETAIL_KQUEUE, kqueue_change, timespec_until
#include "fd.hpp"

#if defined(__linux__)
#include <sys/epoll.h>
#include <sys/eventfd.h>
#elif !LIFTOFF_DETAIL_KQUEUE
#error "liftoff drains children's output with epoll (Linux) or kqueue (macOS, the BSDs); this OS has neither"
#endif

namespace liftoff {
inline namespace v0 {
namespace detail {

class poller {
public:
    /// The key of the poller's own wake channel.
    static constexpr std::uint64_t wake_key = 0;
    static constexpr int max_events = 64;

    poller() = default;
    poller(const poller&) = delete;
    poller& operator=(const poller&) = delete;

    /// The set and its wake channel: 0 or an errno value.
    int open() noexcept {
#if defined(__linux__)
        unique_fd set(::epoll_create1(EPOLL_CLOEXEC));
        if (!set) return errno;
        unique_fd wake(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
        if (!wake) return errno;
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u64 = wake_key;
        if (::epoll_ctl(set.get(), EPOLL_CTL_ADD, wake.get(), &ev) != 0) return errno;
        set_ = std::move(set);
        wake_ = std::move(wake);
#else
        unique_fd set(::kqueue());
        if (!set) return errno;
        unique_fd r, w;
        if (const int e = make_pipe(r, w)) return e;
        set_nonblocking(r.get());
        set_nonblocking(w.get());
        if (const int e = kqueue_change(set.get(), r.get(), EVFILT_READ, EV_ADD, 0, wake_key)) return e;
        set_ = std::move(set);
        wake_ = std::move(r);
        wake_write_ = std::move(w);
#endif  // __linux__
        return 0;
    }

    /// Watches `fd` for reading (or, `write`, for room to write): 0 or an errno value.
    int add(int fd, bool write, std::uint64_t key) noexcept { return control(fd, write, key, add_op); }
    /// Stops and starts reporting `fd` while its owner is busy with it elsewhere.
    void enable(int fd, bool write, std::uint64_t key, bool on) noexcept {
        control(fd, write, key, on ? enable_op : disable_op);
    }
    /// Before `fd` is closed or handed on.
    void remove(int fd, bool write) noexcept { control(fd, write, 0, remove_op); }

    /// Reports once when child `pid` exits: by its pidfd on Linux (readable once it has exited),
    /// by pid on kqueue (EVFILT_PROC follows the process, registered while it is still ours).
    /// 0, ESRCH if it has already exited (look now), or another errno value.
    int watch_exit(pid_t pid, int pidfd, std::uint64_t key) noexcept {
#if defined(__linux__)
        (void)pid;
        return add(pidfd, false, key);
#else
        (void)pidfd;
        return kqueue_change(set_.get(), static_cast<uintptr_t>(pid), EVFILT_PROC, EV_ADD | EV_ONESHOT, NOTE_EXIT, key);
#endif  // __linux__
    }
    void unwatch_exit(pid_t pid, int pidfd) noexcept {
#if defined(__linux__)
        (void)pid;
        if (pidfd >= 0) remove(pidfd, false);
#else
        (void)pidfd;
        kqueue_change(set_.get(), static_cast<uintptr_t>(pid), EVFILT_PROC, EV_DELETE, 0, 0);
#endif  // __linux__
    }

    /// Blocks until something is ready or `timeout_ms` (-1: no limit) passes; fills `keys`.
    int wait(std::uint64_t* keys, int timeout_ms) noexcept {
#if defined(__linux__)
        epoll_event got[max_events];
        const int n = ::epoll_wait(set_.get(), got, max_events, timeout_ms);
        for (int i = 0; i < n; ++i)
            keys[i] = got[i].data.u64;
#else
        struct kevent got[max_events];
        const timespec ts = timespec_until(std::chrono::steady_clock::now() +
                                           std::chrono::milliseconds(timeout_ms < 0 ? 0 : timeout_ms));
        const int n = ::kevent(set_.get(), nullptr, 0, got, max_events, timeout_ms < 0 ? nullptr : &ts);
        for (int i = 0; i < n; ++i)
            keys[i] = static_cast<std::uint64_t>(reinterpret_cast<uintptr_t>(got[i].udata));
#endif  // __linux__
        return n < 0 ? 0 : n;
    }

    /// Wakes a thread blocked in wait() (it sees wake_key).
    void wake() noexcept {
#if defined(__linux__)
        signal_wake_channel(wake_.get());
#else
        signal_wake_channel(wake_write_.get());
#endif  // __linux__
    }
    void clear_wake() noexcept {
        char scratch[64];
        while (::read(wake_.get(), scratch, sizeof scratch) > 0) {
        }
    }

private:
    enum op { add_op, enable_op, disable_op, remove_op };

    int control(int fd, bool write, std::uint64_t key, op what) noexcept {
#if defined(__linux__)
        // epoll reports EPOLLHUP and EPOLLERR whatever the mask: a descriptor "disabled" with an
        // empty mask whose writer has gone would be reported again and again while its owner
        // is busy (a spin). So disabling takes it out of the set, and enabling puts it back.
        epoll_event ev{};
        ev.events = write ? EPOLLOUT : EPOLLIN;
        ev.data.u64 = key;
        const int ctl = what == add_op || what == enable_op ? EPOLL_CTL_ADD : EPOLL_CTL_DEL;
        if (::epoll_ctl(set_.get(), ctl, fd, &ev) == 0) return 0;
        // Enabled or disabled twice, or removed while disabled: already so.
        if ((what == enable_op && errno == EEXIST) || (what != add_op && errno == ENOENT)) return 0;
        return errno;
#else
        const unsigned short flags = what == add_op       ? EV_ADD
                                     : what == enable_op  ? EV_ENABLE
                                     : what == disable_op ? EV_DISABLE
                                                          : EV_DELETE;
        return kqueue_change(set_.get(), static_cast<uintptr_t>(fd), write ? EVFILT_WRITE : EVFILT_READ, flags, 0, key);
#endif  // __linux__
    }

#if !defined(__linux__)
    unique_fd wake_write_;
#endif  // !__linux__
    unique_fd set_;
    unique_fd wake_;
};

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
