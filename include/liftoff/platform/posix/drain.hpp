// liftoff/platform/posix/drain.hpp: the one thread per piped child that reads its stdout and
// stderr and feeds io::text into its stdin, all in a single poll loop, so no pipe can fill up
// and block the child whatever it does.
// SPDX-License-Identifier: MIT
#pragma once

#include <poll.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/eventfd.h>
#endif  // __linux__

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <vector>

#include "../../detail/clock.hpp"
#include "../../detail/sink.hpp"
#include "fd.hpp"
#include "system.hpp"
#include "thread.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

class posix_drain {
public:
    posix_drain() = default;
    posix_drain(const posix_drain&) = delete;
    posix_drain& operator=(const posix_drain&) = delete;
    ~posix_drain() { join(); }

    /// Set-up, before start(): a read end for stdout or stderr and what to do with it.
    void watch(output o, unique_fd fd, output_sink sink) {
        set_nonblocking(fd.get());
        out_[static_cast<int>(o) - 1].fd = std::move(fd);
        sinks_[static_cast<int>(o) - 1] = std::move(sink);
    }
    /// Set-up, before start(): the write end of stdin and the text to feed it.
    void feed(unique_fd fd, std::shared_ptr<const std::string> text) {
        set_nonblocking(fd.get());
        in_fd_ = std::move(fd);
        text_ = std::move(text);
    }
    bool needed() const noexcept { return out_[0].fd || out_[1].fd || in_fd_; }

    /// Starts the thread. Returns 0 or an errno value (nothing started): ENOMEM when there is
    /// no address space for its stack.
    int start(std::chrono::milliseconds grace) {
        grace_ = grace;
#if defined(__linux__)
        wake_read_.reset(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
        if (!wake_read_) return errno;
#else
        if (const int err = make_pipe(wake_read_, wake_write_)) return err;
        set_nonblocking(wake_read_.get());
        set_nonblocking(wake_write_.get());
#endif                                            // __linux__
        return thread_.start([this] { run(); });  // a small stack: see posix_thread
    }
    bool started() const noexcept { return thread_.joinable(); }
    /// True on this drain's own thread (see thread_mark).
    bool on_own_thread() const noexcept { return mark_.here(); }

    /// The child has exited: finish within the grace (a grandchild may hold a pipe open).
    void child_exited() noexcept { signal(exited_flag); }
    /// Stop now (release): the pipes stay open for take_pipes().
    void stop() noexcept { signal(stop_flag); }
    void join() noexcept {
        if (thread_.joinable()) thread_.join();
    }
    /// In a forked copy, where the thread does not exist: forget it without joining.
    void abandon() noexcept { thread_.abandon(); }

    std::mutex& lock() noexcept { return lock_; }
    output_sink& sink(output o) noexcept { return sinks_[static_cast<int>(o) - 1]; }
    const output_sink& sink(output o) const noexcept { return sinks_[static_cast<int>(o) - 1]; }

    /// After the child has exited: stop the thread, take what the pipes hold now (the child's
    /// last words are all there), and finish the sinks without waiting for a grandchild that
    /// still holds a pipe. The pipes left open are then for take_pipes(). Never blocks.
    void settle() {
        stop();
        join();
        char buf[16 * 1024];
        for (int s = 0; s < 2; ++s) {
            if (!out_[s].fd) continue;
            for (;;) {
                const ssize_t got = retry_eintr([&] { return ::read(out_[s].fd.get(), buf, sizeof buf); });
                if (got > 0) {
                    sinks_[s].feed(buf, static_cast<std::size_t>(got), lock_);
                    continue;
                }
                if (got == 0 || errno != EAGAIN) out_[s].fd.reset();
                break;
            }
            sinks_[s].finish(false, lock_);
        }
    }

    /// After stop() and join(): the output pipes still open, for the reaper to drain and drop.
    std::vector<unique_fd> take_pipes() {
        std::vector<unique_fd> pipes;
        for (auto& o : out_)
            if (o.fd) pipes.push_back(std::move(o.fd));
        in_fd_.reset();
        return pipes;
    }

private:
    static constexpr unsigned exited_flag = 1, stop_flag = 2;

    struct output {
        unique_fd fd;
    };

    void signal(unsigned flag) noexcept {
        flags_.fetch_or(flag);
        if (!thread_.joinable()) return;
#if defined(__linux__)
        const std::uint64_t one = 1;
        const ssize_t r = ::write(wake_read_.get(), &one, sizeof one);
#else
        const char one = 1;
        const ssize_t r = ::write(wake_write_.get(), &one, 1);
#endif            // __linux__
        (void)r;  // a full wake pipe already wakes the thread
    }

    void run() {
        mark_.claim();
        using clock = std::chrono::steady_clock;
        char buf[64 * 1024];
        std::size_t text_offset = 0;
        bool have_deadline = false;
        clock::time_point deadline;
        bool stopped = false;
        while (out_[0].fd || out_[1].fd || in_fd_) {
            pollfd fds[4];
            int which[4];
            nfds_t n = 0;
            for (int s = 0; s < 2; ++s) {
                if (!out_[s].fd) continue;
                fds[n] = {out_[s].fd.get(), POLLIN, 0};
                which[n++] = s;
            }
            if (in_fd_) {
                fds[n] = {in_fd_.get(), POLLOUT, 0};
                which[n++] = 2;
            }
            fds[n] = {wake_read_.get(), POLLIN, 0};
            which[n++] = 3;

            int timeout = -1;
            if (have_deadline) {
                const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
                if (left.count() <= 0) break;
                timeout = left.count() >= 0x7ffffffe ? 0x7fffffff : static_cast<int>(left.count()) + 1;
            }
            const int ready = ::poll(fds, n, timeout);
            if (ready < 0 && errno != EINTR) break;
            if (ready <= 0) continue;

            for (nfds_t i = 0; i < n; ++i) {
                if (fds[i].revents == 0) continue;
                if (which[i] == 3) {
                    drain_wake();
                    const unsigned f = flags_.load();
                    if (f & stop_flag) {
                        stopped = true;
                    } else if ((f & exited_flag) && !have_deadline) {
                        have_deadline = true;
                        deadline = deadline_after(grace_);
                    }
                } else if (which[i] == 2) {
                    feed_some(text_offset);
                } else {
                    read_some(which[i], buf, sizeof buf);
                }
            }
            if (stopped) return;  // release: leave the pipes and the sinks as they are
        }
        for (int s = 0; s < 2; ++s) {
            const bool cut = static_cast<bool>(out_[s].fd);
            out_[s].fd.reset();
            sinks_[s].finish(cut, lock_);
        }
        in_fd_.reset();
    }

    void read_some(int s, char* buf, std::size_t size) {
        const ssize_t got = retry_eintr([&] { return ::read(out_[s].fd.get(), buf, size); });
        if (got > 0) {
            sinks_[s].feed(buf, static_cast<std::size_t>(got), lock_);
        } else if (got == 0 || errno != EAGAIN) {
            out_[s].fd.reset();
            sinks_[s].finish(false, lock_);
        }
    }

    void feed_some(std::size_t& offset) {
        const std::string& text = *text_;
        while (offset < text.size()) {
            // This thread blocks SIGPIPE, so a child that stopped reading gives EPIPE here.
            const ssize_t put =
                retry_eintr([&] { return ::write(in_fd_.get(), text.data() + offset, text.size() - offset); });
            if (put < 0) {
                if (errno == EAGAIN) return;
                break;  // EPIPE: the child no longer reads stdin; that is its business
            }
            offset += static_cast<std::size_t>(put);
        }
        in_fd_.reset();  // all written (or refused): the child sees end of file
    }

    void drain_wake() noexcept {
        char scratch[64];
        while (::read(wake_read_.get(), scratch, sizeof scratch) > 0) {
        }
    }

    output out_[2];
    output_sink sinks_[2];
    unique_fd in_fd_;
    std::shared_ptr<const std::string> text_;
    unique_fd wake_read_;
    unique_fd wake_write_;  // a pipe's write end where there is no eventfd
    std::chrono::milliseconds grace_{250};
    std::atomic<unsigned> flags_{0};
    std::mutex lock_;
    posix_thread thread_;
    thread_mark mark_;
};

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
