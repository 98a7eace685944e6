// liftoff/platform/posix/event_loop.hpp: the one event loop of a process that launches children:
// it reads every piped child's output, feeds io::text to their stdin, runs io::lines callbacks,
// ends the grandchild grace, and reaps released children, for any number of children.
//
// Threads: one, started on first need, waits on the poller (epoll, kqueue: poller.hpp) and
// handles what is ready. Before it runs user code (an io::lines callback) it hands the poller
// to another thread (leader/followers: a spare that waits for the role, or a new one), so a
// slow or blocked callback holds up its own child only. A thread back from a callback waits
// to lead again, or ends if a spare already waits. So captured children cost no thread at all,
// callbacks one more, and only callbacks blocked at the same time cost one each.
//
// Released children (reaped here, so none is left a zombie):
// - macOS and the BSDs: kqueue's EVFILT_PROC by pid, registered while liftoff still owns the
//   unreaped child, so the knote follows that process and a reused pid cannot be taken for it.
// - Linux: the first `released_pidfd_budget` keep their pidfd in the poller; the pidfds of the
//   rest are closed at once and those children are looked at by pid on a timer that backs off
//   from 20 ms to 1 s while nothing changes. Each is known by its pid and its identity (a
//   pidfs inode number, or its start time: exit_watch.hpp), so a pid the application reaped
//   behind liftoff's back and that went to another of its children is left alone. So 1,000
//   released children cost a few descriptors.
// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "../../detail/clock.hpp"
#include "exit_watch.hpp"
#include "fd.hpp"
#include "poller.hpp"
#include "thread.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

/// What the loop serves: one child's streams (posix_drain).
class loop_client {
public:
    virtual ~loop_client() = default;
    /// Its descriptor `which` (0..2, the low bits of the key it registered) is ready.
    virtual void on_ready(unsigned which) = 0;
    /// The deadline it asked for has passed.
    virtual void on_deadline() = 0;
};

class event_loop {
public:
    using clock = std::chrono::steady_clock;
    /// Released children that keep their pidfd (Linux); the others are looked at by pid.
    static constexpr std::size_t released_pidfd_budget = 8;
    /// Threads at most; beyond, a callback that blocks while all others do holds up the rest.
    static constexpr std::size_t max_threads = 64;

    /// The process's loop. Never destroyed: its threads live until the process exits, and a
    /// process made by fork() gets a fresh one (threads do not survive fork).
    /// No lock: a fork() while another thread is in here must not leave the copy a mutex held
    /// by a thread it does not have.
    static event_loop& instance() {
        static std::atomic<event_loop*> current{nullptr};
        const pid_t me = ::getpid();
        for (;;) {
            event_loop* seen = current.load(std::memory_order_acquire);
            if (seen != nullptr && seen->owner_ == me) return *seen;
            auto* fresh = new event_loop;  // the one before a fork() is the parent's: not freed
            if (current.compare_exchange_strong(seen, fresh, std::memory_order_acq_rel)) return *fresh;
            delete fresh;  // another thread made it first
        }
    }

    /// A key for a client's descriptor `which` (0..2).
    static std::uint64_t key(std::uint64_t id, unsigned which) noexcept { return id << 2 | which; }
    poller& set() noexcept { return set_; }

    /// Registers a client before it adds its descriptors: its id, or 0 with `err` set (the
    /// poller or the first thread could not be made: EMFILE, ENOMEM...).
    std::uint64_t enroll(std::shared_ptr<loop_client> c, int& err) {
        std::lock_guard<std::mutex> lock(mutex_);
        err = start_locked();
        if (err != 0) return 0;
        const std::uint64_t id = next_id_++;
        clients_.emplace(id, std::move(c));
        return id;
    }
    /// The client is done or stopped: no more calls reach it.
    void forget(std::uint64_t id) {
        std::lock_guard<std::mutex> lock(mutex_);
        clients_.erase(id);
        deadlines_.erase(
            std::remove_if(deadlines_.begin(), deadlines_.end(),
                           [&](const std::pair<clock::time_point, std::uint64_t>& d) { return d.second == id; }),
            deadlines_.end());
    }
    /// Calls the client's on_deadline() once `when` has passed.
    void call_at(std::uint64_t id, clock::time_point when) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            deadlines_.emplace_back(when, id);
        }
        set_.wake();
    }

    /// Called by a loop thread before it runs user code: another thread takes over the poller.
    /// The caller returns to the loop when the user code is done.
    void hand_off() {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!leading()) return;
        leading() = false;
        leader_ = false;
        if (idle_ > woken_) {
            ++woken_;
            cv_.notify_one();
        } else if (threads_ < max_threads && posix_thread::start_detached([this] { serve(); }) == 0) {
            ++threads_;
        }  // else no thread to spare: the poller waits until this callback is done
    }

    // --- released children ------------------------------------------------------------------
    /// Takes over a running child: reaps it when it exits. `known_identity`: the child's
    /// process_identity(), read by its owner while the child was surely its own (a child
    /// launched beyond the pidfd budget); 0 if not known.
    void adopt(pid_t pid, unique_fd pidfd, unsigned long long known_identity = 0) {
        std::lock_guard<std::mutex> lock(mutex_);
        unsigned long long identity = 0;
        if (pidfd && pidfds_held_ >= released_pidfd_budget) {
            // Looked at by pid instead, known by its identity too. Read first, then ask the
            // pidfd whether the child is still ours: if it is, the identity read was its own.
            identity = process_identity(pid, pidfd.get());
            child_state_seen seen = child_state_seen::running;
            if (identity != 0 && pidfd_look(pidfd.get(), false, seen, nullptr) && seen == child_state_seen::gone)
                return;                        // reaped behind liftoff's back already: nothing to reap
            if (identity != 0) pidfd.reset();  // no pidfs and no /proc: keep the pidfd, beyond the budget
        } else if (!pidfd) {
            // No pidfd at all. Read now, the start time could be a stranger's: the child may
            // have been reaped behind liftoff's back and its pid given to another child.
            identity = known_identity != 0 ? known_identity : process_identity(pid, -1);
        }
        const std::uint64_t id = next_id_++;
        released& r = released_.emplace(id, released{pid, std::move(pidfd), identity, true}).first->second;
        if (r.pidfd) ++pidfds_held_;
        if (start_locked() != 0) {
            // Not set up (no descriptor or thread to spare now): say so by not pretending. The
            // child stays listed for the next launch or wait, which tries again
            // (retry_if_pending); meanwhile those that have exited are reaped here.
            sweep_locked();
            setup_pending_.store(true);
            return;
        }
        watch_locked(id, r);
    }

    /// Retries a set-up that failed (see adopt()); cheap when none did. The library calls it
    /// when it next launches or waits.
    static void retry_if_pending() {
        if (!setup_pending_.load(std::memory_order_relaxed)) return;
        event_loop& l = instance();
        std::lock_guard<std::mutex> lock(l.mutex_);
        if (l.started_ || l.released_.empty()) {
            setup_pending_.store(false);  // done, or nothing listed here (a fork() copy)
            return;
        }
        if (l.start_locked() == 0) {
            setup_pending_.store(false);
            for (auto& r : l.released_)
                l.watch_locked(r.first, r.second);
        } else {
            l.sweep_locked();
        }
    }

    // --- for tests and diagnostics -------------------------------------------------------------
    /// Released children not yet reaped.
    std::size_t pending() {
        std::lock_guard<std::mutex> lock(mutex_);
        return released_.size();
    }
    /// How many times a thread has come back from the poller (a loop that spins shows here).
    std::size_t rounds() const noexcept { return rounds_.load(std::memory_order_relaxed); }
    /// Whether the poller and the first thread are up.
    bool running() {
        std::lock_guard<std::mutex> lock(mutex_);
        return started_;
    }

private:
    struct released {
        pid_t pid;
        unique_fd pidfd;
        unsigned long long identity;  // Linux, without a pidfd: see process_identity
        bool watched;                 // an event says when it exits (pidfd, kqueue); else the timer
    };
    static constexpr unsigned exit_which = 3;

    event_loop() : owner_(::getpid()) {}

    /// True on a loop thread while it holds the poller.
    static bool& leading() noexcept {
        static thread_local bool on = false;
        return on;
    }

    /// The poller, then the first thread: 0 once both are up, or an errno value.
    int start_locked() {
        if (started_) return 0;
        if (!opened_) {
            if (const int e = set_.open()) return e;
            opened_ = true;
        }
        if (const int e = posix_thread::start_detached([this] { serve(); })) return e;
        ++threads_;
        started_ = true;
        return 0;
    }

    /// Under mutex_: an event when `r` exits where there is one, else the timer; and a look now
    /// (it may have exited before it was watched).
    void watch_locked(std::uint64_t id, released& r) {
        if (!r.watched) --unwatched_;  // watched again after a failed set-up
#if LIFTOFF_DETAIL_KQUEUE
        r.watched = set_.watch_exit(r.pid, -1, key(id, exit_which)) == 0;  // ESRCH: exited already
#else
        r.watched = r.pidfd && set_.watch_exit(r.pid, r.pidfd.get(), key(id, exit_which)) == 0;
#endif  // LIFTOFF_DETAIL_KQUEUE
        if (!r.watched) {
            ++unwatched_;
            look_soon_locked();
        }
        if (reap_locked(r)) released_.erase(id);
    }

    void look_soon_locked() {
        interval_ = first_interval;
        next_look_ = clock::now() + interval_;
        set_.wake();
    }

    /// Under mutex_: reaps `r` if it has exited; true if it did (the caller forgets it).
    bool reap_locked(released& r) {
        if (reap_child(r.pid, r.pidfd.get(), nullptr, r.identity) == child_state_seen::running) return false;
        if (r.watched)
            set_.unwatch_exit(r.pid, r.pidfd.get());
        else
            --unwatched_;
        if (r.pidfd) --pidfds_held_;
        return true;
    }

    void sweep_locked() {
        for (auto it = released_.begin(); it != released_.end();) {
            if (reap_locked(it->second))
                it = released_.erase(it);
            else
                ++it;
        }
    }

    // --- the threads -------------------------------------------------------------------------
    void serve() {
        for (;;) {
            {
                std::unique_lock<std::mutex> lock(mutex_);
                // Back from a callback, and a spare waits that no one has woken yet. (Counting a
                // woken one would let the last spare go: the population would swing 1-2-1.)
                if (idle_ > woken_ && threads_ > 1) {
                    --threads_;
                    return;
                }
                ++idle_;
                cv_.wait(lock, [&] { return !leader_; });
                --idle_;
                if (woken_ > 0) --woken_;
                leader_ = true;
            }
            leading() = true;
            lead();
        }
    }

    /// Waits on the poller and handles what is ready, until this thread hands the poller on.
    void lead() {
        std::uint64_t keys[poller::max_events];
        for (;;) {
            const int n = set_.wait(keys, timeout_ms());
            rounds_.fetch_add(1, std::memory_order_relaxed);
            // Exits first: they run no user code, so never hand the poller on, and kqueue's
            // NOTE_EXIT is one-shot: an exit left behind by a hand-off would not come again.
            for (int i = 0; i < n; ++i)
                if ((keys[i] & 3) == exit_which) dispatch(keys[i]);
            for (int i = 0; i < n && leading(); ++i)
                if ((keys[i] & 3) != exit_which) dispatch(keys[i]);
            if (leading()) run_deadlines();
            if (leading()) look_by_pid();
            // Handed on: the events not handled are reported again to the new leader.
            if (!leading()) return;
        }
    }

    void dispatch(std::uint64_t k) {
        if (k == poller::wake_key) {
            set_.clear_wake();
            return;
        }
        const std::uint64_t id = k >> 2;
        const unsigned which = static_cast<unsigned>(k & 3);
        std::shared_ptr<loop_client> c;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (which == exit_which) {
                auto it = released_.find(id);
                if (it == released_.end()) return;
                if (reap_locked(it->second)) {
                    released_.erase(it);
                } else if (exit_watch_by_kqueue) {
                    // NOTE_EXIT can come before the child is a zombie (XNU, the BSDs; libuv met
                    // it), and the one-shot event is used up: the timer looks from now on.
                    it->second.watched = false;
                    ++unwatched_;
                    look_soon_locked();
                }
                return;
            }
            auto it = clients_.find(id);
            if (it == clients_.end()) return;  // forgotten since the event was queued
            c = it->second;
        }
        c->on_ready(which);
    }

    int timeout_ms() {
        std::lock_guard<std::mutex> lock(mutex_);
        clock::time_point next = clock::time_point::max();
        for (const auto& d : deadlines_)
            next = std::min(next, d.first);
        if (unwatched_ > 0) next = std::min(next, next_look_);
        return next == clock::time_point::max() ? -1 : poll_timeout_ms(&next);
    }

    void run_deadlines() {
        std::vector<std::uint64_t> due;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            const auto now = clock::now();
            for (auto it = deadlines_.begin(); it != deadlines_.end();) {
                if (it->first > now) {
                    ++it;
                    continue;
                }
                due.push_back(it->second);
                it = deadlines_.erase(it);
            }
        }
        for (std::size_t i = 0; i < due.size(); ++i) {
            const std::uint64_t id = due[i];
            if (!leading()) {  // handed on meanwhile: the rest is the next leader's
                for (; i < due.size(); ++i)
                    call_at(due[i], clock::now());
                return;
            }
            std::shared_ptr<loop_client> c;
            {
                std::lock_guard<std::mutex> lock(mutex_);
                auto it = clients_.find(id);
                if (it == clients_.end()) continue;
                c = it->second;
            }
            c->on_deadline();
        }
    }

    /// The timer: every released child without an event of its own is looked at by pid.
    void look_by_pid() {
        std::lock_guard<std::mutex> lock(mutex_);
        if (unwatched_ == 0 || clock::now() < next_look_) return;
        std::size_t reaped = 0;
        for (auto it = released_.begin(); it != released_.end();) {
            if (!it->second.watched && reap_locked(it->second)) {
                ++reaped;
                it = released_.erase(it);
            } else {
                ++it;
            }
        }
        // Back off while nothing changes; look sooner again once something does.
        interval_ = reaped > 0 ? first_interval : std::min<std::chrono::milliseconds>(interval_ * 2, longest_interval);
        next_look_ = clock::now() + interval_;
    }

    static constexpr std::chrono::milliseconds first_interval{20}, longest_interval{1000};
    static inline std::atomic<bool> setup_pending_{false};  // see retry_if_pending()

    const pid_t owner_;
    poller set_;
    std::atomic<std::size_t> rounds_{0};
    std::mutex mutex_;  // everything below
    std::condition_variable cv_;
    bool opened_ = false, started_ = false;
    bool leader_ = false;  // a thread holds the poller
    std::size_t threads_ = 0, idle_ = 0;
    std::size_t woken_ = 0;  // idle threads hand_off() woke to lead, not yet awake
    std::uint64_t next_id_ = 1;
    std::unordered_map<std::uint64_t, std::shared_ptr<loop_client>> clients_;
    std::vector<std::pair<clock::time_point, std::uint64_t>> deadlines_;
    std::unordered_map<std::uint64_t, released> released_;
    std::size_t pidfds_held_ = 0;
    std::size_t unwatched_ = 0;  // released children the timer looks at
    std::chrono::milliseconds interval_{first_interval};
    clock::time_point next_look_{};
};

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
