// liftoff/platform/posix/reaper.hpp: one library thread that reaps released children (so none
// is left a zombie) and reads and drops whatever they still write to pipes liftoff opened.
//
// One thread, and a fixed number of descriptors, for any number of released children:
// - macOS and the BSDs: one kqueue watches every child's exit (EVFILT_PROC by pid) and the pipes.
//   The registration is made by pid, but while liftoff still owns the unreaped child (it is
//   registered when released, before liftoff has reaped it), and the knote then follows that
//   process, not its pid: a pid reused later cannot be taken for it.
// - Linux: the first `pidfd_budget` children keep their pidfd in the poll set (reaped the moment
//   they exit, and safely even if the application reaps behind liftoff's back); the pidfds of
//   the rest are closed at once, and those children are looked at by pid on a timer that backs
//   off from 20 ms to 1 s while nothing changes. A child liftoff has not reaped stays a zombie,
//   which keeps its pid from being reused, unless the application reaps it behind liftoff's back
//   (its own waitpid, a SIGCHLD handler with waitpid(-1)) and the pid goes to another of its
//   children: so each is known by its pid AND its start time (/proc/<pid>/stat, read when its
//   pidfd is dropped), and a zombie under its pid with another start time is left alone. Where
//   /proc cannot be read, the child keeps its pidfd instead, beyond the budget. So 1,000
//   released children cost `pidfd_budget` descriptors, not 1,000, and a late reap costs at most
//   about a second.
//   (A later rework may fold this into one event loop; io_uring's waitid would remove the timer.)
// The descriptors of pipes a released child still writes to are kept until it closes them: they
// are what keeps the child from a SIGPIPE or a full pipe.
// SPDX-License-Identifier: MIT
#pragma once

#include <poll.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "exit_watch.hpp"
#include "fd.hpp"
#include "system.hpp"
#include "thread.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

class posix_reaper {
public:
    /// Released children that keep their pidfd (Linux); the others are polled by pid.
    static constexpr std::size_t pidfd_budget = 16;

    /// The process-wide reaper. It is never destroyed: its thread lives until the process exits,
    /// and a forked child gets a fresh one (threads do not survive fork).
    static posix_reaper& instance() {
        static std::mutex guard;
        static posix_reaper* current = nullptr;
        std::lock_guard<std::mutex> lock(guard);
        if (current == nullptr || current->owner_ != ::getpid()) current = new posix_reaper;
        return *current;
    }

    /// Takes over a running child: its pid, its pidfd (or -1) and the output pipes to drop.
    void adopt(pid_t pid, unique_fd pidfd, std::vector<unique_fd> pipes) {
        std::lock_guard<std::mutex> lock(mutex_);
        unsigned long long start_time = 0;
        if (pidfd && pidfds_held_ >= pidfd_budget) {
            // Polled by pid instead, known by its start time too. Read first, then ask the pidfd
            // whether the child is still ours: if it is, the time read was its own.
            start_time = process_start_time(pid);
            child_state_seen seen = child_state_seen::running;
            if (start_time != 0 && pidfd_look(pidfd.get(), false, seen, nullptr) && seen == child_state_seen::gone) {
                take(std::move(pipes));  // reaped behind liftoff's back already: nothing to reap
                return;
            }
            if (start_time != 0) pidfd.reset();  // no /proc: keep the pidfd, beyond the budget
        } else if (!pidfd) {
            start_time = process_start_time(pid);  // no pidfd at all: the best this can know
        }
        if (pidfd) ++pidfds_held_;
        incoming_.push_back({pid, std::move(pidfd), start_time});
        take(std::move(pipes));
    }

    /// Retries a set-up that failed (see take()); cheap when none did. The library calls it when
    /// it next launches or waits, so what was queued does not depend on a later release().
    static void retry_if_pending() {
        if (!setup_pending_.load(std::memory_order_relaxed)) return;
        posix_reaper& r = instance();
        std::lock_guard<std::mutex> lock(r.mutex_);
        if (r.started_ || (r.incoming_.empty() && r.incoming_pipes_.empty())) {
            setup_pending_.store(false);  // done, or nothing queued here (a fork() copy)
            return;
        }
        if (r.start_locked()) {
            setup_pending_.store(false);
            r.wake_locked();
        } else {
            r.sweep_incoming_locked();
        }
    }

    /// Takes over pipes alone (the child is reaped; a grandchild still writes): read and drop
    /// until end of file.
    void adopt_pipes(std::vector<unique_fd> pipes) {
        std::lock_guard<std::mutex> lock(mutex_);
        take(std::move(pipes));
    }

    /// Children adopted and not yet reaped (for tests and diagnostics).
    std::size_t pending() {
        std::lock_guard<std::mutex> lock(mutex_);
        return incoming_.size() + count_;
    }

    /// Pipes being read and dropped (for tests and diagnostics).
    std::size_t pipes() {
        std::lock_guard<std::mutex> lock(mutex_);
        return incoming_pipes_.size() + pipe_count_;
    }

    /// How many times the thread has woken up (for tests: a reaper that spins shows here).
    std::size_t rounds() const noexcept { return rounds_.load(std::memory_order_relaxed); }

    /// Whether the thread and its wake channel are up (for tests and diagnostics).
    bool running() {
        std::lock_guard<std::mutex> lock(mutex_);
        return started_;
    }

private:
    struct entry {
        pid_t pid;
        unique_fd pidfd;
        unsigned long long start_time = 0;  // Linux, without a pidfd: see process_start_time
        bool watched = false;               // an event says when it exits (pidfd, kqueue); else the timer
        bool due = false;                   // look now
    };
    struct pipe_entry {
        unique_fd fd;
        bool ready = false;
    };

    posix_reaper() : owner_(::getpid()) {}

    // Called with mutex_ held.
    void take(std::vector<unique_fd> pipes) {
        for (auto& p : pipes) {
            set_nonblocking(p.get());
            incoming_pipes_.push_back(std::move(p));
        }
        if (!started_ && !start_locked()) {
            // Not set up (no descriptor or thread to spare now): say so by not pretending. The
            // children stay queued for the next launch, wait or release, which tries again
            // (retry_if_pending); meanwhile the children that have already exited are reaped
            // here, so they are not left zombies. The pipes are closed: nobody would read them,
            // and a child writing to a full one would block for ever; it gets EPIPE instead.
            sweep_incoming_locked();
            incoming_pipes_.clear();
            setup_pending_.store(true);
            return;
        }
        wake_locked();
    }

    void wake_locked() noexcept {
        const char one = 1;
        const ssize_t r = ::write(wake_write_.get(), &one, 1);
        (void)r;  // a full wake pipe already wakes the thread
    }

    /// The wake channel (and kqueue) first, then the thread; true once all are up.
    bool start_locked() {
        if (!wake_read_) {
            unique_fd r, w;
            if (make_pipe(r, w) != 0) return false;
            set_nonblocking(r.get());
            set_nonblocking(w.get());
            wake_read_ = std::move(r);
            wake_write_ = std::move(w);
        }
#if LIFTOFF_DETAIL_KQUEUE
        if (!kq_) {
            unique_fd kq(::kqueue());
            if (!kq || kqueue_add(kq.get(), static_cast<uintptr_t>(wake_read_.get()), EVFILT_READ, 0, 0) != 0)
                return false;
            kq_ = std::move(kq);
        }
#endif  // LIFTOFF_DETAIL_KQUEUE
        if (posix_thread::start_detached([this] { run(); }) != 0) return false;
        started_ = true;
        return true;
    }

    void sweep_incoming_locked() noexcept {
        for (auto it = incoming_.begin(); it != incoming_.end();) {
            if (reap_child(it->pid, it->pidfd.get(), nullptr, it->start_time) == child_state_seen::running) {
                ++it;
                continue;
            }
            if (it->pidfd) --pidfds_held_;
            it = incoming_.erase(it);
        }
    }

    /// Moves what was adopted into the thread's own lists, and starts watching it.
    void take_incoming(std::vector<entry>& children, std::vector<pipe_entry>& pipes, bool& arrived) {
        std::lock_guard<std::mutex> lock(mutex_);
        arrived = !incoming_.empty();
        for (auto& e : incoming_) {
#if LIFTOFF_DETAIL_KQUEUE
            // ESRCH: it has exited already; anything else: the timer looks at it instead.
            e.watched = kqueue_watch_exit(kq_.get(), e.pid) == 0;
            e.due = true;  // it may have exited before it was watched
#else
            // A pidfd is watched where waitid(P_PIDFD) works (Linux 5.4); before, by pid.
            child_state_seen seen = child_state_seen::running;
            e.watched = e.pidfd && pidfd_look(e.pidfd.get(), false, seen, nullptr);
            e.due = true;  // it may have exited before it arrived here
#endif  // LIFTOFF_DETAIL_KQUEUE
            children.push_back(std::move(e));
        }
        for (auto& p : incoming_pipes_) {
#if LIFTOFF_DETAIL_KQUEUE
            // Registered while the thread holds it; a pipe it cannot watch is closed (the writer
            // gets EPIPE, not a full pipe for ever).
            if (kqueue_add(kq_.get(), static_cast<uintptr_t>(p.get()), EVFILT_READ, 0, 0) != 0) continue;
#endif  // LIFTOFF_DETAIL_KQUEUE
            pipes.push_back({std::move(p), false});
        }
        incoming_.clear();
        incoming_pipes_.clear();
        count_ = children.size();
        pipe_count_ = pipes.size();
    }

    /// Blocks until something is due or `timeout_ms` (-1: no limit) passes; marks what is due.
    void wait_events(std::vector<entry>& children, std::vector<pipe_entry>& pipes, int timeout_ms) {
        char scratch[256];
#if LIFTOFF_DETAIL_KQUEUE
        struct kevent got[64];
        const timespec ts = timespec_until(std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms));
        const int n = ::kevent(kq_.get(), nullptr, 0, got, 64, timeout_ms < 0 ? nullptr : &ts);
        for (int i = 0; i < n; ++i) {
            const auto id = got[i].ident;
            if (got[i].filter == EVFILT_PROC) {
                // NOTE_EXIT can come before the child is a zombie (XNU, the BSDs; libuv met
                // it), so waitpid(WNOHANG) may still say it runs, and this one-shot event is
                // used up: from now on the timer looks at it until it is reaped. Not a blocking
                // waitpid: if the application reaped it meanwhile and its pid went to another
                // child, that would hold this thread for the other child's whole life.
                for (auto& c : children)
                    if (static_cast<uintptr_t>(c.pid) == id) {
                        c.due = true;
                        c.watched = false;
                    }
            } else if (id == static_cast<uintptr_t>(wake_read_.get())) {
                while (::read(wake_read_.get(), scratch, sizeof scratch) > 0) {
                }
            } else {
                for (auto& p : pipes)
                    if (static_cast<uintptr_t>(p.fd.get()) == id) p.ready = true;
            }
        }
#else
        // fds: [wake][one per child with a pidfd][one per pipe]
        std::vector<pollfd>& fds = poll_set_;
        fds.clear();
        fds.push_back({wake_read_.get(), POLLIN, 0});
        for (auto& c : children)
            if (c.watched) fds.push_back({c.pidfd.get(), POLLIN, 0});
        for (auto& p : pipes)
            fds.push_back({p.fd.get(), POLLIN, 0});
        if (::poll(fds.data(), static_cast<nfds_t>(fds.size()), timeout_ms) <= 0) return;
        if (fds[0].revents != 0) {
            while (::read(wake_read_.get(), scratch, sizeof scratch) > 0) {
            }
        }
        std::size_t i = 1;
        for (auto& c : children)
            if (c.watched) c.due = fds[i++].revents != 0 || c.due;
        for (auto& p : pipes)
            p.ready = fds[i++].revents != 0;
#endif  // LIFTOFF_DETAIL_KQUEUE
    }

    void run() {
        using clock = std::chrono::steady_clock;
        constexpr auto first_interval = std::chrono::milliseconds(20), longest = std::chrono::milliseconds(1000);
        std::vector<entry> children;
        std::vector<pipe_entry> pipes;
        std::vector<char> scratch(64 * 1024);
        auto interval = first_interval;
        auto next_look = clock::now() + interval;
        for (;;) {
            bool arrived = false;
            take_incoming(children, pipes, arrived);
            const bool unwatched =
                std::any_of(children.begin(), children.end(), [](const entry& c) { return !c.watched; });
            if (arrived) {
                interval = first_interval;
                next_look = clock::now() + interval;
            }
            int timeout = -1;
            if (unwatched) {
                const auto left = std::chrono::ceil<std::chrono::milliseconds>(next_look - clock::now()).count();
                timeout = static_cast<int>(std::max<long long>(0, left));
            }
            wait_events(children, pipes, timeout);
            rounds_.fetch_add(1, std::memory_order_relaxed);

            // The timer: every child without an event of its own is looked at by pid.
            bool timer = false;
            if (unwatched && clock::now() >= next_look) {
                timer = true;
                for (auto& c : children)
                    if (!c.watched) c.due = true;
            }
            std::size_t reaped = 0, reaped_pidfds = 0;
            for (auto it = children.begin(); it != children.end();) {
                if (!it->due ||
                    reap_child(it->pid, it->pidfd.get(), nullptr, it->start_time) == child_state_seen::running) {
                    it->due = false;
                    ++it;
                    continue;
                }
                ++reaped;
                if (it->pidfd) ++reaped_pidfds;
                it = children.erase(it);
            }
            if (timer) {
                // Back off while nothing changes; look sooner again once something does.
                interval = reaped > 0 ? first_interval : std::min<std::chrono::milliseconds>(interval * 2, longest);
                next_look = clock::now() + interval;
            }
            for (auto it = pipes.begin(); it != pipes.end();) {
                bool done = false;
                if (it->ready) {
                    it->ready = false;
                    const ssize_t got = ::read(it->fd.get(), scratch.data(), scratch.size());
                    done = got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR);
                }
                it = done ? pipes.erase(it) : it + 1;  // closing it also ends its kqueue watch
            }
            std::lock_guard<std::mutex> lock(mutex_);
            pidfds_held_ -= reaped_pidfds;
            count_ = children.size();
            pipe_count_ = pipes.size();
        }
    }

    static inline std::atomic<bool> setup_pending_{false};  // see retry_if_pending()

    const pid_t owner_;
    std::atomic<std::size_t> rounds_{0};
    std::mutex mutex_;
    std::vector<entry> incoming_;
    std::vector<unique_fd> incoming_pipes_;
    std::size_t count_ = 0;
    std::size_t pipe_count_ = 0;
    std::size_t pidfds_held_ = 0;  // pidfds in incoming_ and in the thread's list
    bool started_ = false;
    unique_fd wake_read_;
    unique_fd wake_write_;
#if LIFTOFF_DETAIL_KQUEUE
    unique_fd kq_;
#else
    std::vector<pollfd> poll_set_;  // the thread's only
#endif  // LIFTOFF_DETAIL_KQUEUE
};

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
