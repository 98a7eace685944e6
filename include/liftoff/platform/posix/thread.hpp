// liftoff/platform/posix/thread.hpp: a joinable library thread with a small stack. std::thread
// gives every thread the default stack (8 MiB on Linux), which an address-space limit
// (ulimit -v) counts in full: with one drain thread per piped child, that limit was reached
// long before any other, and the failure read as if it were a limit on threads.
// SPDX-License-Identifier: MIT
#pragma once

#include <pthread.h>
#include <sys/mman.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <memory>
#include <new>  // std::nothrow
#include <utility>

#include "system.hpp"  // signals_blocked

namespace liftoff {
inline namespace v0 {
namespace detail {

class posix_thread {
public:
    /// Room for the drain's 64 KiB buffer and an io::lines callback of ordinary depth; the
    /// reaper's, exit waiters' and kill_on_parent_exit's threads need far less.
    static constexpr std::size_t stack_size = 512 * 1024;

    posix_thread() noexcept = default;
    posix_thread(const posix_thread&) = delete;
    posix_thread& operator=(const posix_thread&) = delete;
    ~posix_thread() { join(); }

    /// Runs `body` on a new thread that starts with every signal blocked, so the application's
    /// handlers never run on it and a write to a closed pipe gives EPIPE there instead of
    /// killing the process. Returns 0 or an errno value: ENOMEM when the stack could not be
    /// mapped (an address-space limit or no memory), EAGAIN for a limit on threads.
    template <class F>
    int start(F body) noexcept {
        if (started_.load()) return EINVAL;
        const int err = create(id_, false, std::move(body));
        if (err == 0) started_.store(true);
        return err;
    }

    /// Runs `body` on a new detached thread, as start() does (the same small stack, every signal
    /// blocked): every library thread starts through here or start(). Returns 0 or an errno value.
    template <class F>
    static int start_detached(F body) noexcept {
        pthread_t id;
        return create(id, true, std::move(body));
    }

    bool joinable() const noexcept { return started_.load(); }
    void join() noexcept {
        if (!started_.load()) return;
        ::pthread_join(id_, nullptr);
        started_.store(false);
    }
    /// In a fork() copy, where the thread does not exist: forget it without joining (joining a
    /// thread of the parent is undefined; the copy's destructor must not try).
    void abandon() noexcept {
        id_ = pthread_t{};
        started_.store(false);
    }

private:
    template <class F>
    struct holder {
        explicit holder(F&& f) : body(std::move(f)) {}
        F body;
        static void* run(void* p) noexcept {  // an escaping exception ends the process, as std::thread's
            std::unique_ptr<holder> self(static_cast<holder*>(p));
            self->body();
            return nullptr;
        }
    };

    template <class F>
    static int create(pthread_t& id, bool detached, F&& body) noexcept {
        auto* job = new (std::nothrow) holder<F>(std::move(body));
        if (job == nullptr) return ENOMEM;
        pthread_attr_t attr;
        if (const int err = ::pthread_attr_init(&attr)) {
            delete job;
            return err;
        }
        ::pthread_attr_setstacksize(&attr, stack_size);  // EINVAL only below PTHREAD_STACK_MIN
        if (detached) ::pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        int err = 0;
        {
            signals_blocked blocked;
            err = ::pthread_create(&id, &attr, &holder<F>::run, job);
        }
        ::pthread_attr_destroy(&attr);
        if (err != 0) {
            delete job;
            // The C library says EAGAIN for both a thread limit and a stack it could not map.
            return err == EAGAIN && !stack_fits() ? ENOMEM : err;
        }
        return 0;
    }

    /// Whether a stack of this size can be mapped now.
    static bool stack_fits() noexcept {
        void* p = ::mmap(nullptr, stack_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) return false;
        ::munmap(p, stack_size);
        return true;
    }

    pthread_t id_{};
    std::atomic<bool> started_{false};  // read by a drain's signal() on other threads
};

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
