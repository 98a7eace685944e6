// liftoff/platform/posix/process.hpp: the OS state of one running child on POSIX (pid, pidfd,
// pipes, drain) and the verbs on it: wait without spinning, signal, release to the event loop.
// SPDX-License-Identifier: MIT
#pragma once

#include <poll.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#if defined(__linux__)
#include <sys/eventfd.h>  // the wake of a blocked write_stdin()
#include <sys/syscall.h>  // pidfd_send_signal
#endif
#include <unistd.h>

#include <algorithm>  // min
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#include "../../detail/clock.hpp"
#include "../../error.hpp"
#include "../../exit_status.hpp"
#include "caller_pipe.hpp"
#include "drain.hpp"
#include "exit_watch.hpp"
#include "fd.hpp"
#include "event_loop.hpp"
#include "system.hpp"
#include "thread.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

class posix_process {
public:
    using pid_type = pid_t;

    posix_process() = default;
    posix_process(const posix_process&) = delete;
    posix_process& operator=(const posix_process&) = delete;
    ~posix_process() {
        if (!inherited()) {
            drain_->stop();            // a launch that failed half-way: the loop lets go first
            drain_->drop_callbacks();  // here, never on a loop thread (see drop_callbacks)
        }
        if (counted_) pidfds_held().fetch_sub(1);
    }

    pid_type pid() const noexcept { return pid_; }

    // --- set up by the platform's spawn -------------------------------------------------
    /// Children that keep their pidfd at once, process-wide (Linux). Beyond, a child is known
    /// by its pid and its identity (exit_watch.hpp), as released children are: so a thousand
    /// children cost the two descriptors of their pipes each, as a hand-written loop's do.
    static constexpr std::size_t pidfd_budget = 16;

    void adopt(pid_t pid, int pidfd, bool group) noexcept {
        pid_ = pid;
        pidfd_.reset(pidfd);
        group_ = group;
        owner_ = ::getpid();
        if (!pidfd_) return;
        if (pidfds_held().fetch_add(1) < pidfd_budget) {
            counted_ = true;
            return;
        }
        pidfds_held().fetch_sub(1);
        // Read while the pidfd still says the child is ours: the identity read is its own.
        identity_ = process_identity(pid, pidfd_.get());
        if (identity_ != 0) pidfd_.reset();  // no pidfs and no /proc to read: it keeps its pidfd
    }
    /// Children holding a pidfd now (for tests and diagnostics).
    static std::atomic<std::size_t>& pidfds_held() noexcept {
        static std::atomic<std::size_t> held{0};
        return held;
    }
    posix_drain& drain() noexcept { return *drain_; }
    /// run() (`caller_waits`): the thread that waits serves the streams itself, with no event
    /// loop and no hand-over between threads, where the child's exit can be waited for on the
    /// same poll (a pidfd). False: the streams go to the event loop.
    bool serve_streams_on_waiting_thread(bool caller_waits, std::chrono::milliseconds grace) noexcept {
        if (!caller_waits || !pidfd_) return false;
        served_here_ = true;
        grace_ = grace;
        return true;
    }
    void set_stdin_pipe(unique_fd fd) noexcept {
        set_nonblocking(fd.get());  // a blocked write_stdin() waits in poll(), where close_stdin() can wake it
        stdin_pipe_ = std::move(fd);
    }
    /// An io::pipe() output: the caller reads it (child::read_line), the event loop never does.
    using caller_stream_type = caller_stream<posix_caller_pipe>;
    void set_output_pipe(output o, unique_fd fd) {
        auto& c = caller_[o == output::out ? 0 : 1];
        if (!c) c.reset(new caller_stream_type);  // made when asked for: most children never are
        c->open(posix_caller_pipe(std::move(fd)));
    }
    /// The io::pipe() output `o`, or nullptr if it is not one.
    caller_stream_type* caller_output(output o) noexcept { return caller_[o == output::out ? 0 : 1].get(); }

    // --- waiting ---------------------------------------------------------------------------
    // One thread may wait while another signals or polls (a watchdog): the blocking part never
    // reaps; reaping happens under the lock, once, and signals are sent only before it.

    /// The status, once reaped (the one record of it: child_state asks here).
    std::optional<exit_status> known() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return status_;
    }

    /// Reaps the child if it has ended; never blocks.
    std::optional<exit_status> try_wait() noexcept {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!status_) reap_locked();
        return status_;
    }

    exit_status wait() noexcept {
        for (;;) {
            await_exit(nullptr);
            {
                std::lock_guard<std::mutex> lock(mutex_);
                if (!status_) reap_locked();
                if (status_) return *status_;
            }
            // Exited, but it could not be looked at (no descriptor to spare, for a child known
            // by pid): again shortly, not at once.
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }

    /// Waits up to `limit` without spinning: poll on the pidfd, or (without one) a condition
    /// variable signalled by a helper thread blocked in waitid.
    std::optional<exit_status> wait_for(std::chrono::nanoseconds limit) {
        const auto deadline = deadline_after(limit);
        for (;;) {
            const bool exited = await_exit(&deadline);
            std::optional<exit_status> status = try_wait();
            const auto now = std::chrono::steady_clock::now();
            if (status || !exited || now >= deadline) return status;
            // Exited, but it could not be looked at (see wait()): again shortly, until the deadline.
            std::this_thread::sleep_for(
                (std::min)(deadline - now, std::chrono::steady_clock::duration(std::chrono::milliseconds(10))));
        }
    }

    /// Waits up to `limit` for the child to exit, without reaping it (so its pid, and its
    /// group's id, cannot be reused meanwhile). True if it has exited (or is already reaped).
    bool exited_unreaped(std::chrono::nanoseconds limit) {
        const auto deadline = deadline_after(limit);
        return await_exit(&deadline);
    }

    /// wait_any(): blocks until one of `ps` may have exited or `deadline` (if any) passes; never
    /// reaps (the caller looks at each). Never spins: one poll() over the children's pidfds
    /// (Linux; a child beyond the pidfd budget gets one for this call, checked by its start
    /// time), else one kqueue (macOS, the BSDs), else each child's waitid() thread.
    static void await_any_exit(const std::vector<posix_process*>& ps,
                               const std::chrono::steady_clock::time_point* deadline) {
        event_loop::retry_if_pending();
        if (poll_pidfds(ps, deadline) || kqueue_any(ps, deadline)) return;
        auto notice = std::make_shared<any_exit_notice>();
        for (posix_process* p : ps) {
            std::shared_ptr<exit_waiter> w;
            {
                std::lock_guard<std::mutex> lock(p->mutex_);
                if (p->status_) return;
                if (!p->waiter_) p->waiter_ = exit_waiter::start(p->pid_);
                w = p->waiter_;
            }
            if (!w) {  // no thread could be started: short sleeps, the only way left
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
                return;
            }
            w->also_tell(notice);
        }
        std::unique_lock<std::mutex> lock(notice->mutex);
        if (deadline == nullptr)
            notice->cv.wait(lock, [&] { return notice->set_; });
        else
            notice->cv.wait_until(lock, *deadline, [&] { return notice->set_; });
    }

    // --- stopping ----------------------------------------------------------------------------
    /// Sends `sig` to the child, or to its whole group. False if it has already been reaped.
    /// A polite stop also sends SIGCONT, so that a stopped child can act on it.
    bool send(int sig) noexcept {
        std::lock_guard<std::mutex> lock(mutex_);
        return !deliver_locked(sig, sig == SIGTERM);
    }

    // --- signals the user sends (child::signal, interrupt, suspend, resume) --------------------
    /// Sends `sig` as it is (nothing after it) to the child, or to its group with
    /// new_process_group(). std::errc::no_such_process once it has been reaped, or when it is
    /// gone (reaped behind liftoff's back: its pid may name another process now, which gets
    /// nothing); std::errc::invalid_argument for a number that is not a signal here.
    std::error_code signal(int sig) noexcept {
        if (sig < 1 || sig >= NSIG) return make_error_code(errc::invalid_argument);
        std::lock_guard<std::mutex> lock(mutex_);
        return deliver_locked(sig, false);
    }
    std::error_code interrupt() noexcept { return signal(SIGINT); }
    std::error_code suspend() noexcept { return signal(SIGSTOP); }
    std::error_code resume() noexcept { return signal(SIGCONT); }
    /// What trace_event::signal says for interrupt(), suspend() and resume().
    static constexpr int interrupt_code = SIGINT;
    static constexpr int suspend_code = SIGSTOP;
    static constexpr int resume_code = SIGCONT;

    static constexpr int polite_signal = SIGTERM;
    static constexpr int kill_signal = SIGKILL;

    /// The group may outlive its leader: after the leader exits (and before it is reaped, so the
    /// group id cannot be reused) the rest of the tree is killed.
    void kill_rest_of_group() noexcept {
        std::lock_guard<std::mutex> lock(mutex_);
        if (group_ && !status_) ::kill(-pid_, SIGKILL);
    }

    // --- streams -----------------------------------------------------------------------------
    /// Tell the drain the child has gone; it finishes within its grace. Never blocks.
    void note_exit() { drain_->child_exited(); }
    /// Waits for the streams to end (after the child has been reaped): at most the grace.
    void finish_streams() {
        if (served_here_) {
            served_here_ = false;
            drain_->serve_here_after_exit(grace_);
            return;
        }
        drain_->child_exited();
        drain_->join();
    }

    /// Writes all of `bytes`, waiting while the pipe is full. A close_stdin() on another thread
    /// meanwhile ends the wait: std::errc::operation_canceled, and the pipe is closed then.
    std::error_code write_stdin(std::string_view bytes) {
        std::lock_guard<std::mutex> one_writer(stdin_writer_);
        int fd = -1;
        {
            std::lock_guard<std::mutex> lock(stdin_lock_);
            if (!stdin_pipe_) return std::make_error_code(std::errc::bad_file_descriptor);
            fd = stdin_pipe_.get();
            stdin_writing_ = true;  // from here the descriptor stays open until this writer is done
        }
        std::error_code ec;
        while (!bytes.empty()) {
            const long put = retry_eintr([&] { return write_without_sigpipe(fd, bytes.data(), bytes.size()); });
            if (put >= 0) {
                bytes.remove_prefix(static_cast<std::size_t>(put));
                continue;
            }
            if (errno != EAGAIN) {
                ec.assign(errno, std::generic_category());
                break;
            }
            if (!await_stdin_room(fd)) {
                ec = std::make_error_code(std::errc::operation_canceled);
                break;
            }
        }
        std::lock_guard<std::mutex> lock(stdin_lock_);
        stdin_writing_ = false;
        if (stdin_close_asked_) {
            stdin_close_asked_ = false;
            stdin_pipe_.reset();
            stdin_wake_.reset();
            stdin_wake_write_.reset();
        }
        return ec;
    }
    /// Ends the child's input. Never waits for a write_stdin() on another thread: that writer is
    /// woken, stops, and closes the pipe on its way out.
    void close_stdin() noexcept {
        std::lock_guard<std::mutex> lock(stdin_lock_);
        if (!stdin_writing_) {
            stdin_pipe_.reset();
            return;
        }
        stdin_close_asked_ = true;
        if (stdin_wake_) wake_stdin_writer();
    }
    /// Closes stdin unless a write_stdin() on another thread is using it (then that writer decides).
    void close_stdin_if_idle() noexcept {
        std::lock_guard<std::mutex> lock(stdin_lock_);
        if (!stdin_writing_) stdin_pipe_.reset();
    }

    /// After the child has been reaped: keep what its pipes hold now and hand the pipes a
    /// grandchild may still hold (an application an opener started) to the event loop, which
    /// reads and drops the rest, so that grandchild never gets a SIGPIPE. Never blocks.
    void settle_streams() {
        close_stdin();
        drain_->settle();
        posix_drain::drop_pipes(drain_->take_pipes());
    }

    // --- a copy made by fork() -----------------------------------------------------------------
    /// True in a process forked (without exec) from the one that launched the child: the drain
    /// thread does not exist here and the child is not this process's, so the handle is inert.
    bool inherited() const noexcept { return owner_ != 0 && owner_ != ::getpid(); }
    /// In such a copy: let go of the thread that is not here (never joined), signal and reap
    /// nothing; the copy's descriptors are closed as the object goes.
    void abandon() noexcept { drain_->abandon(); }

    // --- letting go --------------------------------------------------------------------------
    /// The child runs on; the event loop reaps it and drops what it writes to liftoff's pipes.
    void release() {
        close_stdin();
        drain_->stop();
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (status_) return;
        }
        event_loop::instance().adopt(pid_, std::move(pidfd_), identity_);
        if (counted_) pidfds_held().fetch_sub(1);
        counted_ = false;
        std::vector<unique_fd> pipes = drain_->take_pipes();
        for (auto& c : caller_)  // the caller's io::pipe() outputs: read and dropped from here on
            if (c && c->given())
                if (unique_fd fd = c->take().take()) pipes.push_back(std::move(fd));
        posix_drain::drop_pipes(std::move(pipes));  // at most two: each stream is the drain's or the caller's
        pid_ = -1;
    }

private:
    /// wait_any() on Linux: one poll() over every child's pidfd. False (having waited for
    /// nothing) where some child can have none.
    static bool poll_pidfds(const std::vector<posix_process*>& ps,
                            const std::chrono::steady_clock::time_point* deadline) {
#if defined(__linux__)
        std::vector<pollfd> fds;
        std::vector<unique_fd> own;
        fds.reserve(ps.size());
        for (posix_process* p : ps) {
            int fd = p->pidfd_.get();
            if (fd < 0) {
                bool gone = false;
                unique_fd o = p->open_checked_pidfd(gone);
                if (gone) return true;  // the caller looks
                if (!o) return false;
                fd = o.get();
                own.push_back(std::move(o));
            }
            fds.push_back(pollfd{fd, POLLIN, 0});
        }
        ::poll(fds.data(), static_cast<nfds_t>(fds.size()),
               poll_timeout_ms(deadline));  // EINTR: the caller looks again
        return true;
#else
        (void)ps;
        (void)deadline;
        return false;
#endif  // __linux__
    }

    /// wait_any() on macOS and the BSDs: one kqueue with an EVFILT_PROC for each child. False
    /// (having waited for nothing) where there is no kqueue or one could not be made.
    static bool kqueue_any(const std::vector<posix_process*>& ps,
                           const std::chrono::steady_clock::time_point* deadline) {
#if LIFTOFF_DETAIL_KQUEUE
        unique_fd kq(::kqueue());
        if (!kq) return false;
        for (posix_process* p : ps) {
            if (const int err = kqueue_watch_exit(kq.get(), p->pid_)) return err == ESRCH;  // exited: look
            // An exit before the registration gives no event: look again now.
            if (pid_look(p->pid_) != child_state_seen::running) return true;
        }
        struct kevent got;
        if (deadline == nullptr) {
            ::kevent(kq.get(), nullptr, 0, &got, 1, nullptr);
        } else {
            const timespec ts = timespec_until(*deadline);
            ::kevent(kq.get(), nullptr, 0, &got, 1, &ts);
        }
        return true;
#else
        (void)ps;
        (void)deadline;
        return false;
#endif  // LIFTOFF_DETAIL_KQUEUE
    }

    /// Under mutex_ (so the child cannot be reaped meanwhile): the one way a signal reaches the
    /// child. Never by a pid that may have been given to another process: through the pidfd
    /// where the child keeps one; beyond the pidfd budget, through a pidfd opened for this call
    /// and checked by the child's identity; elsewhere (macOS, the BSDs) only while waitid()
    /// still calls the pid our child. `then_cont`: SIGCONT after it (the polite stop).
    std::error_code deliver_locked(int sig, bool then_cont) noexcept {
        const auto gone = std::make_error_code(std::errc::no_such_process);
        if (status_ || pid_ <= 0) return gone;
        unique_fd own;  // beyond the budget (Linux): a pidfd for this call only
        int fd = pidfd_.get();
        if (!pidfd_ && identity_ != 0) {
            bool not_ours = false;
            own = open_checked_pidfd(not_ours);
            if (not_ours) return gone;
            // Never by pid alone where the identity cannot be checked for want of a descriptor,
            // nor ever when it is a pidfs inode: the signal fails, with the reason.
            if (!own && ((identity_ & pidfs_identity_bit) != 0 || out_of_descriptors(errno)))
                return std::error_code(errno, std::generic_category());
            fd = own.get();
        }
        if (fd >= 0 && !group_) {
            // The pidfd names this process even if its pid was reused (with SIGCHLD ignored the
            // kernel reaps it behind our back): gone means gone, never somebody else.
            const int r = pidfd_signal(fd, sig);
            if (r == 1 && then_cont) pidfd_signal(fd, SIGCONT);
            if (r >= 0) return r == 1 ? std::error_code() : gone;
        } else if (fd >= 0) {
            // A group is signalled by its id, which cannot be reused while its leader is unreaped:
            // the pidfd says whether it still is.
            child_state_seen seen = child_state_seen::running;
            if (pidfd_look(fd, false, seen, nullptr) && seen == child_state_seen::gone) return gone;
        } else if (identity_ != 0 && (identity_ & pidfs_identity_bit) == 0) {
            // No pidfd to be had (a kernel before 5.3, none to spare): a pid naming a process
            // started at another time is not this child.
            const identity_seen seen = start_time_identity(pid_, identity_);
            if (seen == identity_seen::other) return gone;
            if (seen == identity_seen::unknown) return std::error_code(errno, std::generic_category());
        } else if (pid_look(pid_) == child_state_seen::gone) {
            return gone;  // not our child any more: reaped by someone else, the pid maybe reused
        }
        const pid_t target = group_ ? -pid_ : pid_;
        if (::kill(target, sig) == 0 || (group_ && ::kill(pid_, sig) == 0)) {
            if (then_cont) ::kill(target, SIGCONT);
            return {};
        }
        return errno == ESRCH ? gone : std::error_code(errno, std::generic_category());
    }

    /// Beyond the pidfd budget (Linux): a pidfd for one call, opened by pid and checked by the
    /// child's identity (exit_watch.hpp's open_checked_pidfd(): `gone`, and why it may be empty).
    unique_fd open_checked_pidfd(bool& gone) const noexcept {
        return detail::open_checked_pidfd(pid_, identity_, gone);
    }

    /// 1: sent; 0: the process has gone; -1: pidfd_send_signal cannot be used here.
    static int pidfd_signal(int pidfd, int sig) noexcept {
#if defined(__linux__) && defined(SYS_pidfd_send_signal)
        if (::syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0) == 0) return 1;
        return errno == ESRCH ? 0 : -1;  // anything else (ENOSYS, a seccomp EPERM): kill() instead
#else
        (void)pidfd;
        (void)sig;
        return -1;
#endif
    }

    /// Where neither a pidfd nor a kqueue can watch several children: what their exit_waiter
    /// threads tell wait_any().
    struct any_exit_notice {
        std::mutex mutex;
        std::condition_variable cv;
        bool set_ = false;
        void set() {
            std::lock_guard<std::mutex> lock(mutex);
            set_ = true;
            cv.notify_all();
        }
    };

    /// Without a pidfd, a timed wait needs something to block in waitid(WNOWAIT) for it.
    /// Shared with its thread, which may outlive the process object (after release()).
    class exit_waiter {
    public:
        static std::shared_ptr<exit_waiter> start(pid_t pid) {
            auto w = std::make_shared<exit_waiter>();
            const int err = posix_thread::start_detached([w, pid] {
                siginfo_t info{};
                retry_eintr([&] { return ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT); });
                std::lock_guard<std::mutex> lock(w->mutex_);
                w->exited_ = true;
                w->cv_.notify_all();
                for (auto& weak : w->also_)
                    if (auto n = weak.lock()) n->set();
            });
            return err == 0 ? w : nullptr;
        }
        /// wait_any(): `n` is told too when the child exits (at once if it has).
        void also_tell(const std::shared_ptr<any_exit_notice>& n) {
            std::lock_guard<std::mutex> lock(mutex_);
            if (exited_) {
                n->set();
                return;
            }
            also_.push_back(n);
        }
        bool wait_until(std::chrono::steady_clock::time_point deadline) {
            std::unique_lock<std::mutex> lock(mutex_);
            return cv_.wait_until(lock, deadline, [&] { return exited_; });
        }

    private:
        std::mutex mutex_;
        std::condition_variable cv_;
        bool exited_ = false;
        std::vector<std::weak_ptr<any_exit_notice>> also_;
    };

    /// A writer's wait for room in the stdin pipe; false when close_stdin() asked it to stop.
    /// The wake channel is made on the first wait, so a child that is never written to a full
    /// pipe costs no descriptor for it.
    bool await_stdin_room(int fd) noexcept {
        int wake = -1;
        {
            std::lock_guard<std::mutex> lock(stdin_lock_);
            if (stdin_close_asked_) return false;
            if (!stdin_wake_) {
#if defined(__linux__)
                stdin_wake_.reset(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
#else
                if (make_pipe(stdin_wake_, stdin_wake_write_) == 0) set_nonblocking(stdin_wake_write_.get());
#endif  // __linux__
            }
            wake = stdin_wake_.get();  // -1 if it could not be made: poll in short steps instead
        }
        pollfd p[2] = {{fd, POLLOUT, 0}, {wake, POLLIN, 0}};
        ::poll(p, 2, wake < 0 ? 50 : -1);
        std::lock_guard<std::mutex> lock(stdin_lock_);
        return !stdin_close_asked_;
    }
    /// Under stdin_lock_.
    void wake_stdin_writer() noexcept {
#if defined(__linux__)
        signal_wake_channel(stdin_wake_.get());
#else
        signal_wake_channel(stdin_wake_write_.get());
#endif  // __linux__
    }

    /// Linux, a child beyond the pidfd budget: a wait opens a pidfd for itself
    /// (pidfd_open, Linux 5.3), checks by its identity that it names this child, and closes
    /// it after. 0: waited (look again); 1: the child is not ours any more (reaped behind
    /// liftoff's back); -1: not here (the caller waits another way).
    int await_with_own_pidfd(const std::chrono::steady_clock::time_point* deadline) noexcept {
        bool gone = false;
        const unique_fd fd = open_checked_pidfd(gone);
        if (gone) return 1;
        if (!fd) return -1;
        pollfd p{fd.get(), POLLIN, 0};
        ::poll(&p, 1, poll_timeout_ms(deadline));
        return 0;
    }

    /// Blocks until the child has exited or `deadline` (if any) passes; never reaps. True if it
    /// has exited or has been reaped (by another thread, or by the system).
    bool await_exit(const std::chrono::steady_clock::time_point* deadline) {
        event_loop::retry_if_pending();
        if (served_here_) {
            if (drain_->serve_here_until_exit(pidfd_.get(), deadline)) return true;
            // The deadline passed (a timeout): from here the event loop serves the streams, so
            // they keep flowing while the child is stopped. Where it cannot start, they wait.
            served_here_ = false;
            drain_->start(grace_);
            return false;
        }
        for (;;) {
            {
                std::lock_guard<std::mutex> lock(mutex_);
                if (status_) return true;
            }
            child_state_seen seen = child_state_seen::running;
            if (pidfd_look(pidfd_.get(), false, seen, nullptr)) {
                // The pidfd names this process, not its pid: a child reaped behind liftoff's back
                // is gone even if its pid now belongs to another process (no spin, no status
                // taken from that one). It stays open until this object goes, so polling it is
                // safe on any thread.
                if (seen != child_state_seen::running) return true;
                if (deadline != nullptr && std::chrono::steady_clock::now() >= *deadline) return false;
                pollfd p{pidfd_.get(), POLLIN, 0};
                ::poll(&p, 1, poll_timeout_ms(deadline));
                continue;
            }
            // By pid (no pidfd, or a kernel before 5.4): another reaper in this process could
            // hand the pid to someone else meanwhile; without a pidfd nothing can tell.
            if (pid_look(pid_) != child_state_seen::running) return true;  // gone: reaped already
            if (deadline != nullptr && std::chrono::steady_clock::now() >= *deadline) return false;
            if (const int r = await_with_own_pidfd(deadline); r >= 0) {  // Linux
                if (r == 1) return true;
            } else if (deadline == nullptr) {
                siginfo_t done{};
                ::waitid(P_PID, static_cast<id_t>(pid_), &done, WEXITED | WNOWAIT);  // EINTR: loop
            } else if (kqueue_await_exit(pid_, *deadline) < 0) {                     // macOS, the BSDs: kqueue
                std::shared_ptr<exit_waiter> w;
                {
                    std::lock_guard<std::mutex> lock(mutex_);
                    if (!waiter_) waiter_ = exit_waiter::start(pid_);
                    w = waiter_;
                }
                if (w)
                    w->wait_until(*deadline);
                else  // no thread could be started: short sleeps, the only way left
                    std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
        }
    }

    /// Reaps under mutex_ (never blocks): records the status once. A child reaped by someone
    /// else has an unknown status: lost() or reaped_elsewhere() (see status_reaped_by_others).
    void reap_locked() noexcept {
        exit_status st;
        const child_state_seen seen = reap_child(pid_, pidfd_.get(), &st, identity_);
        if (seen == child_state_seen::running) return;
        status_ = seen == child_state_seen::exited ? st : status_reaped_by_others();
        note_exit();
    }

    mutable std::mutex mutex_;  // status_, and signals sent before the reap
    pid_t pid_ = -1;
    unique_fd pidfd_;
    bool served_here_ = false;  // see serve_streams_on_waiting_thread()
    std::chrono::milliseconds grace_{0};
    bool counted_ = false;             // pidfd_ counts in pidfds_held()
    unsigned long long identity_ = 0;  // without a pidfd (Linux): see process_identity
    bool group_ = false;
    std::optional<exit_status> status_;
    std::shared_ptr<posix_drain> drain_ = std::make_shared<posix_drain>();  // the loop shares it
    std::mutex stdin_writer_;                                               // one write_stdin() at a time
    std::mutex stdin_lock_;  // the members below; never held while a write waits
    unique_fd stdin_pipe_;
    bool stdin_writing_ = false;
    bool stdin_close_asked_ = false;
    unique_fd stdin_wake_;        // an eventfd (Linux) or a pipe's read end, made when a write first waits
    unique_fd stdin_wake_write_;  // the pipe's write end where there is no eventfd
    std::shared_ptr<exit_waiter> waiter_;
    std::unique_ptr<caller_stream_type> caller_[2];  // stdout, stderr when io::pipe(): read on the caller's thread
    pid_t owner_ = 0;                                // the process that launched the child (see inherited())
};

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
