// liftoff/platform/posix/drain.hpp: one child's piped streams as the event loop serves them:
// its stdout and stderr read as they arrive (captured, split into lines, or dropped) and
// io::text fed to its stdin, so no pipe can fill up and block the child whatever it does.
// SPDX-License-Identifier: MIT
#pragma once

#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "../../detail/clock.hpp"
#include "../../detail/sink.hpp"
#include "event_loop.hpp"
#include "fd.hpp"
#include "system.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

class posix_drain : public loop_client, public std::enable_shared_from_this<posix_drain> {
public:
    posix_drain() = default;
    posix_drain(const posix_drain&) = delete;
    posix_drain& operator=(const posix_drain&) = delete;

    /// Set-up, before start(): a read end for stdout or stderr and what to do with it.
    void watch(output o, unique_fd fd, output_sink sink) {
        set_nonblocking(fd.get());
        fds_[index(o)] = std::move(fd);
        sinks_[index(o)] = std::move(sink);
    }
    /// Set-up, before start(): the write end of stdin and the text to feed it.
    void feed(unique_fd fd, std::shared_ptr<const std::string> text) {
        set_nonblocking(fd.get());
        fds_[stdin_index] = std::move(fd);
        text_ = std::move(text);
    }
    bool needed() const noexcept { return fds_[0] || fds_[1] || fds_[stdin_index]; }

    /// Hands the streams to the process's event loop. Returns 0 or an errno value (nothing
    /// registered): the loop's poller or first thread could not be made (EMFILE, ENOMEM...).
    int start(std::chrono::milliseconds grace) {
        grace_ = grace;
        event_loop& loop = event_loop::instance();
        int err = 0;
        const std::uint64_t id = loop.enroll(shared_from_this(), err);
        if (id == 0) return err;
        std::lock_guard<std::mutex> lock(dispatch_);
        loop_ = &loop;
        id_ = id;
        for (unsigned s = 0; s < 3; ++s) {
            if (!fds_[s]) continue;
            if (const int e = loop.set().add(fds_[s].get(), s == stdin_index, event_loop::key(id, s))) {
                err = e;
                break;
            }
            registered_[s] = true;
        }
        if (err != 0)
            stop_locked();
        else
            finish_if_done();  // run() after a timeout: streams that ended on its thread are done
        return err;
    }
    /// True while this thread runs one of this drain's io::lines callbacks.
    bool on_own_thread() const noexcept { return mark_.here(); }

    /// The child has exited: finish within the grace (a grandchild may hold a pipe open).
    void child_exited() {
        std::lock_guard<std::mutex> lock(dispatch_);
        if (!loop_ || done_ || stopped_ || grace_started_) return;
        grace_started_ = true;
        loop_->call_at(id_, deadline_after(grace_));
    }
    /// Waits until every stream has ended, or been cut at the end of the grace.
    void join() {
        std::unique_lock<std::mutex> lock(dispatch_);
        if (!loop_ || abandoned_) return;
        changed_.wait(lock, [&] { return done_ || stopped_; });
    }
    /// Stops serving now (release, settle): the pipes stay open for take_pipes(). Waits for a
    /// callback of this drain on another thread to return (not for one on this thread).
    void stop() {
        std::unique_lock<std::mutex> lock(dispatch_);
        if (!mark_.here()) changed_.wait(lock, [&] { return !in_callback_; });
        stop_locked();
    }
    /// After stop(), on the thread that lets go of the child: the io::lines callbacks are
    /// destroyed here, not wherever the last reference to the drain goes (it can be the loop's
    /// leading thread, and a callback may own another child, whose destructor waits for the
    /// loop). Not from one of this drain's own callbacks, which is still running.
    void drop_callbacks() {
        std::function<void(std::string_view)> gone[2];
        {
            std::lock_guard<std::mutex> lock(dispatch_);
            if (mark_.here()) return;
            for (unsigned s = 0; s < 2; ++s)
                gone[s] = sinks_[s].take_callback();
        }
    }  // destroyed here, no lock held
    /// In a forked copy, where the loop's threads do not exist: forget them without waiting.
    void abandon() noexcept { abandoned_ = true; }

    std::mutex& lock() noexcept { return lock_; }
    output_sink& sink(output o) noexcept { return sinks_[index(o)]; }
    const output_sink& sink(output o) const noexcept { return sinks_[index(o)]; }

    /// After the child has exited: stop serving, take what the pipes hold now (the child's last
    /// words are all there), and finish the sinks without waiting for a grandchild that still
    /// holds a pipe. The pipes left open are then for take_pipes(). Never blocks on the child.
    void settle() {
        stop();
        char buf[16 * 1024];
        for (unsigned s = 0; s < 2; ++s) {
            if (!fds_[s]) {
                if (!finished_[s]) sinks_[s].finish(false, lock_);
                finished_[s] = true;
                continue;
            }
            for (;;) {
                const ssize_t got = retry_eintr([&] { return ::read(fds_[s].get(), buf, sizeof buf); });
                if (got > 0) {
                    sinks_[s].feed(buf, static_cast<std::size_t>(got), lock_);
                    continue;
                }
                if (got == 0 || errno != EAGAIN) fds_[s].reset();
                break;
            }
            sinks_[s].finish(false, lock_);
            finished_[s] = true;
        }
    }

    /// After stop(): the output pipes still open (stdin is closed), for the loop to read and drop.
    std::vector<unique_fd> take_pipes() {
        std::lock_guard<std::mutex> lock(dispatch_);
        std::vector<unique_fd> pipes;
        for (unsigned s = 0; s < 2; ++s)
            if (fds_[s]) pipes.push_back(std::move(fds_[s]));
        fds_[stdin_index].reset();
        return pipes;
    }

    /// Pipes a child (or a grandchild) still writes to after liftoff has let it go: read and
    /// dropped until their end, so the writer never meets a full pipe or a SIGPIPE.
    static void drop_pipes(std::vector<unique_fd> pipes) {
        if (pipes.empty()) return;
        auto d = std::make_shared<posix_drain>();
        for (std::size_t i = 0; i < pipes.size() && i < 2; ++i)
            d->watch(i == 0 ? output::out : output::err, std::move(pipes[i]), output_sink{});
        // No loop to be had (no descriptor or thread to spare): the pipes close here, and the
        // writer gets EPIPE rather than a full pipe for ever.
        d->start(std::chrono::milliseconds(0));
    }

    // --- served on the thread that waits (run()) ---------------------------------------------
    /// Serves the streams on this thread until the child exits (`pidfd` becomes readable) or
    /// `deadline` (if any) passes. True if it has exited.
    bool serve_here_until_exit(int pidfd, const std::chrono::steady_clock::time_point* deadline) {
        return serve_here(pidfd, deadline);
    }
    /// After the exit: serves until every stream has ended, or cuts what a grandchild still
    /// holds once `grace` has passed.
    void serve_here_after_exit(std::chrono::milliseconds grace) {
        const auto deadline = deadline_after(grace);
        serve_here(-1, &deadline);
        std::unique_lock<std::mutex> lock(dispatch_);
        if (!stopped_) cut_all(lock);
    }

    // --- called by the loop ------------------------------------------------------------------
    void on_ready(unsigned s) override {
        std::unique_lock<std::mutex> lock(dispatch_);
        if (stopped_ || !registered_[s]) return;
        const bool lines = s != stdin_index && sinks_[s].kind() == output_sink::mode::lines;
        if (in_callback_ && lines) {
            // Another thread runs a callback of this child: it serves this stream when done,
            // so that this child's callbacks never run at the same time. (A captured or
            // dropped stream, and stdin, run no user code: they are served on, so a callback
            // that waits for its own child does not leave it blocked on a full pipe.)
            loop_->set().enable(fds_[s].get(), s == stdin_index, event_loop::key(id_, s), false);
            deferred_[s] = true;
            return;
        }
        if (s == stdin_index) {
            feed_some();
        } else if (lines) {
            loop_->set().enable(fds_[s].get(), false, event_loop::key(id_, s), false);
            read_into_callbacks(lock, s);
        } else {
            read_some(s);
        }
        finish_if_done();
    }

    void on_deadline() override {
        std::unique_lock<std::mutex> lock(dispatch_);
        if (stopped_ || done_) return;
        if (in_callback_) {
            // The callback's thread cuts when the callback returns (read_into_callbacks): no
            // need to ask the loop again and again while a callback blocks.
            deadline_due_ = true;
            return;
        }
        cut_all(lock);
    }

private:
    static constexpr unsigned stdin_index = 2;
    static unsigned index(output o) noexcept { return static_cast<unsigned>(o) - 1; }

    // All below under dispatch_.

    /// The grace is over: what a grandchild still holds open is cut, and the sinks finished
    /// (io::lines callbacks run after the loop, if it is on a loop thread, is handed on).
    void cut_all(std::unique_lock<std::mutex>& lock) {
        bool lines = false;
        for (unsigned s = 0; s < 3; ++s) {
            unregister(s);
            if (s < 2 && fds_[s]) {
                fds_[s].reset();
                cut_[s] = true;
            }
            lines = lines || (s < 2 && !finished_[s] && sinks_[s].kind() == output_sink::mode::lines);
        }
        fds_[stdin_index].reset();
        auto finish_sinks = [&] {
            for (unsigned s = 0; s < 2; ++s)
                if (!finished_[s]) sinks_[s].finish(cut_[s], lock_);
        };
        if (lines)
            run_callbacks(lock, finish_sinks);
        else
            finish_sinks();
        finished_[0] = finished_[1] = true;
        if (loop_)
            finish_if_done();
        else
            done_ = true;
        changed_.notify_all();
    }

    /// The loop of serve_here_*: poll on the open streams (and `pidfd`, if not -1). True when
    /// `pidfd` became readable; false when the streams all ended (with no pidfd) or `deadline`
    /// passed. Callbacks run here, on the caller's thread.
    bool serve_here(int pidfd, const std::chrono::steady_clock::time_point* deadline) {
        std::unique_lock<std::mutex> lock(dispatch_);
        for (;;) {
            if (stopped_) return false;
            pollfd fds[4];
            unsigned which[4];
            nfds_t n = 0;
            for (unsigned s = 0; s < 3; ++s) {
                if (!fds_[s]) continue;
                fds[n] = {fds_[s].get(), static_cast<short>(s == stdin_index ? POLLOUT : POLLIN), 0};
                which[n++] = s;
            }
            if (pidfd >= 0) {
                fds[n] = {pidfd, POLLIN, 0};
                which[n++] = 3;
            } else if (n == 0) {
                return false;  // every stream has ended
            }
            if (deadline != nullptr && std::chrono::steady_clock::now() >= *deadline) return false;
            lock.unlock();
            const int ready = ::poll(fds, n, poll_timeout_ms(deadline));
            lock.lock();
            if (ready < 0 && errno != EINTR) return false;
            for (nfds_t i = 0; ready > 0 && i < n && !stopped_; ++i) {
                if (fds[i].revents == 0) continue;
                const unsigned s = which[i];
                if (s == 3) return true;
                if (s == stdin_index) {
                    feed_some();
                } else {
                    // run() hands out no handle: nothing but this thread can reach the drain.
                    mark_.claim();
                    read_some(s);
                    mark_.release();
                }
            }
        }
    }

    /// Runs `user_code` (io::lines callbacks) without dispatch_ held, marked as this drain's
    /// (on_own_thread()), after a loop thread has handed the poller on: a slow callback then
    /// holds up this child alone, and no other thread serves this child's lines meanwhile.
    template <class F>
    void run_callbacks(std::unique_lock<std::mutex>& lock, F&& user_code) {
        in_callback_ = true;
        lock.unlock();
        if (loop_) loop_->hand_off();
        mark_.claim();
        user_code();
        mark_.release();
        lock.lock();
        in_callback_ = false;
        changed_.notify_all();
    }

    void unregister(unsigned s) noexcept {
        if (!registered_[s]) return;
        loop_->set().remove(fds_[s].get(), s == stdin_index);
        registered_[s] = false;
    }

    void stop_locked() {
        if (stopped_) return;
        for (unsigned s = 0; s < 3; ++s)
            if (loop_) unregister(s);
        stopped_ = true;
        if (loop_) loop_->forget(id_);
        changed_.notify_all();
    }

    /// Once no stream is left: the child's streams are done; the loop forgets them.
    void finish_if_done() {
        // A callback still running finishes it when it returns (join() must not return first).
        if (done_ || in_callback_ || registered_[0] || registered_[1] || registered_[2]) return;
        done_ = true;
        loop_->forget(id_);
        changed_.notify_all();
    }

    void read_some(unsigned s) {
        char buf[64 * 1024];
        const ssize_t got = retry_eintr([&] { return ::read(fds_[s].get(), buf, sizeof buf); });
        if (got > 0) {
            sinks_[s].feed(buf, static_cast<std::size_t>(got), lock_);
        } else if (got == 0 || errno != EAGAIN) {
            end_stream(s);
            sinks_[s].finish(false, lock_);
            finished_[s] = true;
        }
    }

    void end_stream(unsigned s) {
        unregister(s);
        fds_[s].reset();
    }

    /// An io::lines stream (already disabled in the poller): read, then run the callbacks
    /// after handing the poller to another thread, so that a slow callback holds up this child
    /// alone. Streams of this child that became ready meanwhile are reported again after.
    void read_into_callbacks(std::unique_lock<std::mutex>& lock, unsigned s) {
        char buf[64 * 1024];
        const ssize_t got = retry_eintr([&] { return ::read(fds_[s].get(), buf, sizeof buf); });
        const bool ended = got == 0 || (got < 0 && errno != EAGAIN);
        if (ended) end_stream(s);
        if (got > 0 || ended) {
            run_callbacks(lock, [&] {
                if (got > 0)
                    sinks_[s].feed(buf, static_cast<std::size_t>(got), lock_);
                else
                    sinks_[s].finish(false, lock_);
            });
            if (ended) finished_[s] = true;
            if (stopped_) return;  // the callback released its own child: the streams are gone
            if (deadline_due_) {   // the grace ended while the callback ran
                deadline_due_ = false;
                cut_all(lock);
                return;
            }
        }
        for (unsigned o = 0; o < 3; ++o) {
            const bool again = o == s || deferred_[o];
            deferred_[o] = false;
            if (again && registered_[o])
                loop_->set().enable(fds_[o].get(), o == stdin_index, event_loop::key(id_, o), true);
        }
    }

    void feed_some() {
        const std::string& text = *text_;
        while (text_offset_ < text.size()) {
            // EPIPE, never SIGPIPE, for a child that stopped reading: on a loop thread (which
            // blocks every signal) and on run()'s own thread alike.
            const long put = retry_eintr([&] {
                return write_without_sigpipe(fds_[stdin_index].get(), text.data() + text_offset_,
                                             text.size() - text_offset_);
            });
            if (put < 0) {
                if (errno == EAGAIN) return;
                break;  // EPIPE: the child no longer reads stdin; that is its business
            }
            text_offset_ += static_cast<std::size_t>(put);
        }
        end_stream(stdin_index);  // all written (or refused): the child sees end of file
    }

    unique_fd fds_[3];  // stdout, stderr, stdin
    output_sink sinks_[2];
    bool registered_[3] = {false, false, false};
    bool deferred_[3] = {false, false, false};
    bool finished_[2] = {false, false};  // the sink has had finish()
    bool cut_[2] = {false, false};
    std::shared_ptr<const std::string> text_;
    std::size_t text_offset_ = 0;
    std::chrono::milliseconds grace_{250};
    event_loop* loop_ = nullptr;
    std::uint64_t id_ = 0;
    bool in_callback_ = false;
    bool grace_started_ = false;
    bool deadline_due_ = false;  // the grace ended while a callback ran (see on_deadline)
    bool done_ = false;
    bool stopped_ = false;
    bool abandoned_ = false;
    std::mutex dispatch_;  // one thread at a time serves this child; everything above
    std::condition_variable changed_;
    std::mutex lock_;  // the captured text, read by other threads while the loop appends
    thread_mark mark_;
};

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
