// liftoff/platform/posix/reaper.hpp: one library thread that reaps released children (so none
// is left a zombie) and reads and drops whatever they still write to pipes liftoff opened.
// One thread for any number of released children: it polls their pidfds (Linux); where there
// are none it checks its children every 100 ms instead.
// SPDX-License-Identifier: MIT
#pragma once

#include <poll.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "fd.hpp"
#include "system.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

class posix_reaper {
public:
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
        incoming_.push_back({pid, std::move(pidfd)});
        take(std::move(pipes));
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

private:
    // Called with mutex_ held.
    void take(std::vector<unique_fd> pipes) {
        for (auto& p : pipes) {
            set_nonblocking(p.get());
            incoming_pipes_.push_back(std::move(p));
        }
        if (!started_) {
            if (!wake_read_ && make_pipe(wake_read_, wake_write_) == 0) {
                set_nonblocking(wake_read_.get());
                set_nonblocking(wake_write_.get());
            }
            try {
                start_library_thread([this] { run(); }).detach();
                started_ = true;
            } catch (...) {
                return;  // no thread now: the next adopt() tries again; the child is kept meanwhile
            }
        }
        const char one = 1;
        const ssize_t r = ::write(wake_write_.get(), &one, 1);
        (void)r;  // a full wake pipe already wakes the thread
    }

    struct entry {
        pid_t pid;
        unique_fd pidfd;
    };

    posix_reaper() : owner_(::getpid()) {}

    static bool reaped(pid_t pid) noexcept {
        int status = 0;
        const pid_t r = retry_eintr([&] { return ::waitpid(pid, &status, WNOHANG); });
        return r == pid || (r < 0 && errno == ECHILD);
    }

    void run() {
        std::vector<entry> children;
        std::vector<unique_fd> pipes;
        std::vector<pollfd> fds;
        char scratch[64 * 1024];
        for (;;) {
            {
                std::lock_guard<std::mutex> lock(mutex_);
                for (auto& e : incoming_)
                    children.push_back(std::move(e));
                for (auto& p : incoming_pipes_)
                    pipes.push_back(std::move(p));
                incoming_.clear();
                incoming_pipes_.clear();
                count_ = children.size();
                pipe_count_ = pipes.size();
            }
            // fds: [wake][one per child, -1 where it has no pidfd][one per pipe]
            bool unwatched = false;
            fds.clear();
            fds.push_back({wake_read_.get(), POLLIN, 0});
            for (auto& c : children) {
                fds.push_back({c.pidfd ? c.pidfd.get() : -1, POLLIN, 0});
                unwatched = unwatched || !c.pidfd;
            }
            for (auto& p : pipes)
                fds.push_back({p.get(), POLLIN, 0});
            if (::poll(fds.data(), static_cast<nfds_t>(fds.size()), unwatched ? 100 : -1) < 0) continue;

            if (fds[0].revents != 0) {
                while (::read(wake_read_.get(), scratch, sizeof scratch) > 0) {
                }
            }
            std::size_t i = 1;
            for (auto it = children.begin(); it != children.end(); ++i) {
                const bool check = fds[i].fd < 0 || fds[i].revents != 0;
                if (check && reaped(it->pid))
                    it = children.erase(it);
                else
                    ++it;
            }
            for (auto it = pipes.begin(); it != pipes.end(); ++i) {
                bool done = false;
                if (fds[i].revents != 0) {
                    const ssize_t got = ::read(it->get(), scratch, sizeof scratch);
                    done = got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR);
                }
                it = done ? pipes.erase(it) : it + 1;
            }
            std::lock_guard<std::mutex> lock(mutex_);
            count_ = children.size();
            pipe_count_ = pipes.size();
        }
    }

    const pid_t owner_;
    std::mutex mutex_;
    std::vector<entry> incoming_;
    std::vector<unique_fd> incoming_pipes_;
    std::size_t count_ = 0;
    std::size_t pipe_count_ = 0;
    bool started_ = false;
    unique_fd wake_read_;
    unique_fd wake_write_;
};

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
