// liftoff/platform/windows/drain.hpp: pipes for a child on Windows, and the one process-wide I/O
// completion port whose few threads read every piped child's stdout and stderr and feed io::text
// into its stdin with overlapped I/O: no pipe can fill up and block a child whatever it does, and
// no child costs a thread. The same port reads and drops what released children still write.
// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "../../detail/clock.hpp"
#include "../../detail/sink.hpp"
#include "win32.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

/// A pipe for one of a child's streams: a named pipe (so liftoff's end can do overlapped I/O)
/// whose parent end is not inheritable and whose child end is, to be listed in
/// PROC_THREAD_ATTRIBUTE_HANDLE_LIST. `child_reads` is true for stdin.
inline std::error_code make_child_pipe(bool child_reads, bool overlapped, unique_handle& parent, unique_handle& child) {
    static std::atomic<unsigned long> counter{0};
    const std::wstring name = L"\\\\.\\pipe\\liftoff-" + std::to_wstring(::GetCurrentProcessId()) + L"-" +
                              std::to_wstring(counter.fetch_add(1)) + L"-" + std::to_wstring(::GetTickCount64());
    const DWORD size = 64 * 1024;
    parent.reset(::CreateNamedPipeW(name.c_str(),
                                    (child_reads ? PIPE_ACCESS_OUTBOUND : PIPE_ACCESS_INBOUND) |
                                        FILE_FLAG_FIRST_PIPE_INSTANCE | (overlapped ? FILE_FLAG_OVERLAPPED : 0),
                                    PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS, 1,
                                    size, size, 0, nullptr));
    if (!parent) return last_error();
    SECURITY_ATTRIBUTES inherit{sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE};
    child.reset(::CreateFileW(
        name.c_str(), child_reads ? (GENERIC_READ | FILE_WRITE_ATTRIBUTES) : (GENERIC_WRITE | FILE_READ_ATTRIBUTES), 0,
        &inherit, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr));
    if (!child) {
        const auto e = last_error();
        parent.reset();
        return e;
    }
    return {};
}

class port_client;

/// An overlapped read or write. The OVERLAPPED comes first, so the pointer a completion hands
/// back leads to the operation, and from it to whoever issued it.
struct port_op {
    OVERLAPPED ov{};
    port_client* client = nullptr;
    int index = 0;
};

/// What the port's threads hand completions to: a child's drain, or a released child's pipe.
class port_client {
public:
    static constexpr DWORD start_message = 1, timer_message = 2;

    /// An operation of this client's has ended: `error` is 0 or why it failed.
    virtual void completed(port_op& op, DWORD bytes, DWORD error) noexcept = 0;
    /// A message posted to this client, or (timer_message) its timer has run out.
    virtual void notified(DWORD message) noexcept = 0;

protected:
    ~port_client() = default;
};

/// A deadline on the port's list (intrusive, so arming one never allocates). Under its mutex.
struct port_timer {
    std::chrono::steady_clock::time_point when{};
    port_timer* prev = nullptr;
    port_timer* next = nullptr;
    bool armed = false;
    port_client* client = nullptr;
};

/// The one process-wide I/O completion port and the few threads that serve it (one, started on
/// first need; more only while callbacks run, see entering_callback()). Every piped child's
/// reads and writes complete here, and so do those of released children, whose pipes are read
/// and dropped so they are never disturbed by a broken pipe; released kill_on_parent_exit()
/// children's job objects report here too, and are closed once nothing runs in them.
class windows_io_port {
public:
    /// At most this many threads, however many io::lines callbacks block: past it, the other
    /// children's streams wait (and their pipes fill) until a callback returns.
    static constexpr unsigned max_threads = 4;

    /// Never destroyed: its threads live until the process exits.
    static windows_io_port& instance() {
        static windows_io_port* p = new windows_io_port;
        return *p;
    }

    /// The port and its first thread, made on first use. Empty, or why they cannot be had.
    std::error_code ready() noexcept {
        std::lock_guard<std::mutex> lock(mutex_);
        return ready_locked();
    }

    /// Has the port hear of `h`'s overlapped I/O.
    std::error_code attach(HANDLE h) noexcept {
        if (::CreateIoCompletionPort(h, port_.get(), io_key, 0) == nullptr) return last_error();
        return {};
    }

    /// Queues `message` for `c`, to be handed over on one of the port's threads.
    bool post(port_client& c, DWORD message) noexcept {
        return ::PostQueuedCompletionStatus(port_.get(), message, message_key, reinterpret_cast<OVERLAPPED*>(&c)) != 0;
    }

    /// Sends timer_message to `t.client` at `when` (once; arming an armed timer does nothing).
    void arm(port_timer& t, std::chrono::steady_clock::time_point when) noexcept {
        std::lock_guard<std::mutex> lock(mutex_);
        if (t.armed) return;
        t.when = when;
        t.armed = true;
        // Graces are mostly alike, so a new deadline is usually the latest: search from the end.
        port_timer* after = tail_;
        while (after != nullptr && after->when > when)
            after = after->prev;
        t.prev = after;
        t.next = after != nullptr ? after->next : head_;
        (t.next != nullptr ? t.next->prev : tail_) = &t;
        (after != nullptr ? after->next : head_) = &t;
        if (head_ == &t) wake_locked();  // a waiting thread recomputes its timeout
    }
    /// True when `t` was taken off before it ran out; false when its message is on its way.
    bool disarm(port_timer& t) noexcept {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!t.armed) return false;
        unlink_locked(t);
        return true;
    }

    /// A port thread is about to run a user's callback, which may block: when no other thread
    /// is left waiting on the port, another is started (up to max_threads), so the other
    /// children are still served; threads started are kept for the next callbacks.
    void entering_callback() noexcept {
        std::lock_guard<std::mutex> lock(mutex_);
        if (waiting_ > 0) {
            if (head_ != nullptr) wake_locked();  // this thread may have been the one timing a grace
            return;
        }
        if (threads_ < max_threads) start_thread_locked();
    }

    /// Threads serving the port (for tests and diagnostics).
    unsigned threads() {
        std::lock_guard<std::mutex> lock(mutex_);
        return threads_;
    }

    /// Takes over a released child's pipes, with no I/O pending on them: read and dropped.
    void adopt(std::vector<unique_handle> pipes) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (ready_locked()) return;  // the pipes close: the child sees a broken pipe, nothing worse
        for (auto& p : pipes) {
            auto* d = new dropped_pipe(*this);
            d->pipe = std::move(p);
            attach(d->pipe.get());  // a drain's pipe is already attached (the call then fails)
            ++count_;
            // The reads are issued by the port's threads, which never exit (a thread's exit may
            // cancel the I/O it issued).
            if (!post(*d, port_client::start_message)) {
                --count_;
                delete d;
            }
        }
    }

    /// Has `job` (just created, nothing in it yet) report to this port. Returns the key to give
    /// adopt_job(), or 0 when it cannot (the job is then kept open until this process exits, as
    /// before). Associated at creation, so no report can be missed.
    std::uintptr_t watch_job(HANDLE job) noexcept {
        std::lock_guard<std::mutex> lock(mutex_);
        if (ready_locked()) return 0;
        const std::uintptr_t key = (next_job_++ << 1) | 1;  // odd: never one of the keys below
        JOBOBJECT_ASSOCIATE_COMPLETION_PORT port{};
        port.CompletionKey = reinterpret_cast<PVOID>(key);
        port.CompletionPort = port_.get();
        if (!::SetInformationJobObject(job, JobObjectAssociateCompletionPortInformation, &port, sizeof port)) return 0;
        return key;
    }

    /// Takes over a watched kill_on_parent_exit() job that its child handle no longer needs: it
    /// stays open (its processes keep their promise) until it reports that none is left, then
    /// closes. A job with nothing left in it closes now.
    void adopt_job(std::uintptr_t key, unique_handle job) noexcept {
        std::lock_guard<std::mutex> lock(mutex_);  // the port's close_job() waits for this
        // Its last process may have gone already, and that report was dropped: ask the job. A
        // report after this waits for the lock, and so finds the job registered.
        JOBOBJECT_BASIC_ACCOUNTING_INFORMATION info{};
        if (::QueryInformationJobObject(job.get(), JobObjectBasicAccountingInformation, &info, sizeof info, nullptr) &&
            info.ActiveProcesses == 0)
            return;  // `job` closes here
        try {
            jobs_.emplace_back(key, job.get());
        } catch (...) {
            // no room to remember it: open until this process exits
        }
        job.release();
    }

    /// Released children's pipes and jobs not yet at their end (for tests and diagnostics).
    std::size_t pending() {
        std::lock_guard<std::mutex> lock(mutex_);
        return count_ + jobs_.size();
    }

private:
    // Completion keys: 0 wakes a thread, io_key is a port_op's completion, message_key a post();
    // a job's key is odd.
    static constexpr ULONG_PTR wake_key = 0, io_key = 2, message_key = 4;

    // A released child's pipe: read into a buffer that is thrown away, until it ends.
    struct dropped_pipe final : port_client {
        explicit dropped_pipe(windows_io_port& p) : port(p) { op.client = this; }
        windows_io_port& port;
        unique_handle pipe;
        port_op op;
        char buf[16 * 1024];

        bool read() noexcept {
            op.ov = OVERLAPPED{};
            return ::ReadFile(pipe.get(), buf, sizeof buf, nullptr, &op.ov) || ::GetLastError() == ERROR_IO_PENDING;
        }
        void completed(port_op&, DWORD, DWORD error) noexcept override {
            if ((error != 0 && error != ERROR_MORE_DATA) || !read()) port.dropped(this);
        }
        void notified(DWORD) noexcept override {
            if (!read()) port.dropped(this);
        }
    };

    windows_io_port() = default;

    // Under mutex_.
    std::error_code ready_locked() noexcept {
        if (!port_) {
            port_.reset(::CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, max_threads));
            if (!port_) return last_error();
        }
        if (threads_ == 0) {
            start_thread_locked();
            if (threads_ == 0) return std::make_error_code(std::errc::resource_unavailable_try_again);
        }
        return {};
    }
    void start_thread_locked() noexcept {
        try {
            std::thread([this] { run(); }).detach();
            ++threads_;
            ++waiting_;  // counted from now: it is on its way to the port
        } catch (...) {
            // no thread: the ones there are serve on (or, for the first, the caller is told)
        }
    }
    void wake_locked() noexcept {
        if (waiting_ > 0) ::PostQueuedCompletionStatus(port_.get(), 0, wake_key, nullptr);
    }
    void unlink_locked(port_timer& t) noexcept {
        (t.prev != nullptr ? t.prev->next : head_) = t.next;
        (t.next != nullptr ? t.next->prev : tail_) = t.prev;
        t.prev = t.next = nullptr;
        t.armed = false;
    }
    DWORD timeout_locked() const noexcept {
        if (head_ == nullptr) return INFINITE;
        const auto left =
            std::chrono::ceil<std::chrono::milliseconds>(head_->when - std::chrono::steady_clock::now()).count();
        return left <= 0 ? 0 : static_cast<DWORD>(left > 0x7ffffffe ? 0x7ffffffe : left);
    }

    void dropped(dropped_pipe* d) noexcept {
        delete d;
        std::lock_guard<std::mutex> lock(mutex_);
        --count_;
    }

    // Closes the adopted job with this key, if it is still here.
    void close_job(std::uintptr_t key) noexcept {
        HANDLE h = nullptr;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            for (auto it = jobs_.begin(); it != jobs_.end(); ++it) {
                if (it->first != key) continue;
                h = it->second;
                jobs_.erase(it);
                break;
            }
        }
        if (h != nullptr) ::CloseHandle(h);
    }

    void run() noexcept {
        std::unique_lock<std::mutex> lock(mutex_);
        for (bool first = true;; first = false) {
            if (!first) ++waiting_;
            const DWORD timeout = timeout_locked();
            lock.unlock();
            DWORD n = 0;
            ULONG_PTR key = 0;
            OVERLAPPED* ov = nullptr;
            const BOOL ok = ::GetQueuedCompletionStatus(port_.get(), &n, &key, &ov, timeout);
            const DWORD error = ok ? 0 : ::GetLastError();
            lock.lock();
            --waiting_;
            // Graces that have run out, each told once, outside the lock.
            while (head_ != nullptr && head_->when <= std::chrono::steady_clock::now()) {
                port_timer& t = *head_;
                unlink_locked(t);
                lock.unlock();
                t.client->notified(port_client::timer_message);
                lock.lock();
            }
            if (key & 1) {  // a job's report: n is the message (ov, for some, a process id)
                if (ok && n == JOB_OBJECT_MSG_ACTIVE_PROCESS_ZERO) {
                    lock.unlock();
                    close_job(key);
                    lock.lock();
                }
                continue;
            }
            if (ov == nullptr) continue;  // a wake, or a timeout
            lock.unlock();
            if (key == io_key) {
                auto* op = reinterpret_cast<port_op*>(ov);
                op->client->completed(*op, n, error);
            } else if (key == message_key) {
                reinterpret_cast<port_client*>(ov)->notified(n);
            }
            lock.lock();
        }
    }

    std::mutex mutex_;
    unique_handle port_;
    unsigned threads_ = 0;        // started
    unsigned waiting_ = 0;        // on their way to, or in, GetQueuedCompletionStatus
    port_timer* head_ = nullptr;  // armed timers, earliest first
    port_timer* tail_ = nullptr;
    std::size_t count_ = 0;  // released children's pipes still read
    std::uintptr_t next_job_ = 1;
    std::vector<std::pair<std::uintptr_t, HANDLE>> jobs_;  // adopted jobs, open until they empty
};

/// A piped child's streams, served by the port's threads: its stdout and stderr read into their
/// sinks, io::text written to its stdin. One thread at a time serves a drain (a completion
/// that arrives meanwhile is left for it), so a child's io::lines callbacks never run at once.
class windows_drain final : private port_client {
public:
    windows_drain() = default;
    windows_drain(const windows_drain&) = delete;
    windows_drain& operator=(const windows_drain&) = delete;
    ~windows_drain() { join(); }

    /// Set-up, before start(): liftoff's (overlapped) end of stdout or stderr.
    void watch(output o, unique_handle pipe, output_sink sink) {
        streams_[static_cast<int>(o) - 1].pipe = std::move(pipe);
        sinks_[static_cast<int>(o) - 1] = std::move(sink);
    }
    /// Set-up, before start(): liftoff's (overlapped) end of stdin and the text to feed it.
    void feed(unique_handle pipe, std::shared_ptr<const std::string> text) {
        streams_[in].pipe = std::move(pipe);
        text_ = std::move(text);
    }
    bool needed() const noexcept { return streams_[0].pipe || streams_[1].pipe || streams_[in].pipe; }

    /// Hands the pipes to the port. Returns an empty code or why nothing was started.
    std::error_code start(std::chrono::milliseconds grace) {
        grace_ = grace;
        auto& port = windows_io_port::instance();
        if (auto e = port.ready()) return e;
        for (int s = 0; s < 3; ++s) {
            stream& st = streams_[s];
            if (!st.pipe) continue;
            st.op.client = this;
            st.op.index = s;
            if (s != in) {
                st.buf.reset(new (std::nothrow) char[read_size]);
                if (!st.buf) return std::make_error_code(std::errc::not_enough_memory);
            }
            if (auto e = port.attach(st.pipe.get())) return e;
        }
        timer_.client = this;
        std::lock_guard<std::mutex> lock(m_);
        // The first reads are issued on a port thread: those never exit (an exit may cancel I/O).
        if (!port.post(*this, start_message)) return last_error();
        started_ = true;
        starting_ = true;
        ++pending_;
        return {};
    }
    bool started() const noexcept { return started_; }
    /// True while this thread serves this drain (runs its io::lines callbacks).
    bool on_own_thread() const noexcept { return serving() == this; }

    /// The child has exited: finish within the grace (a grandchild may hold a pipe open).
    void child_exited() noexcept {
        std::lock_guard<std::mutex> lock(m_);
        if (!started_ || done_ || stop_ || exited_) return;
        exited_ = true;
        armed_ = true;
        windows_io_port::instance().arm(timer_, deadline_after(grace_));
    }
    /// Stop now (release): the pipes stay open for take_pipes(), once join() has returned.
    void stop() noexcept {
        std::lock_guard<std::mutex> lock(m_);
        if (!started_ || done_) return;
        stop_ = true;
        for (auto& st : streams_)
            if (st.pending) ::CancelIoEx(st.pipe.get(), &st.op.ov);
        if (!busy_) settle_locked();
    }
    /// Waits until the drain is done: every stream ended or cut (or, after stop(), nothing is
    /// pending on them), and no thread serves it.
    void join() noexcept {
        // From this drain's own callback (a child released or destroyed there) the wait could
        // never end, and the drain would be destroyed under the thread serving it: end the
        // process rather than hang, as joining a drain thread from itself always did.
        if (on_own_thread()) std::terminate();
        std::unique_lock<std::mutex> lock(m_);
        done_cv_.wait(lock, [this] { return !started_ || done_; });
    }

    std::mutex& lock() noexcept { return lock_; }
    output_sink& sink(output o) noexcept { return sinks_[static_cast<int>(o) - 1]; }
    const output_sink& sink(output o) const noexcept { return sinks_[static_cast<int>(o) - 1]; }

    /// After stop() and join(): the output pipes still open, for the port to read and drop.
    std::vector<unique_handle> take_pipes() {
        std::vector<unique_handle> pipes;
        for (int s = 0; s < 2; ++s)
            if (streams_[s].pipe) pipes.push_back(std::move(streams_[s].pipe));
        streams_[in].pipe.reset();
        return pipes;
    }

private:
    static constexpr int in = 2;                   // streams_[0] and [1] are stdout and stderr
    static constexpr DWORD read_size = 32 * 1024;  // per output stream while its child runs

    struct stream {
        unique_handle pipe;
        port_op op;
        std::unique_ptr<char[]> buf;  // outputs
        bool pending = false;         // an operation is out on it
        bool ready = false;           // its completion is in and not yet handled
        bool cut = false;             // the grace has run out: end it when its operation is back
        bool unterminated = false;    // what was fed ends without a newline: finish() hands it over
        DWORD bytes = 0, error = 0;   // what the completion said
    };

    // The drain this thread serves, if any.
    static const windows_drain*& serving() noexcept {
        static thread_local const windows_drain* d = nullptr;
        return d;
    }

    void completed(port_op& op, DWORD bytes, DWORD error) noexcept override {
        std::unique_lock<std::mutex> lock(m_);
        stream& st = streams_[op.index];
        st.pending = false;
        st.ready = true;
        st.bytes = bytes;
        st.error = error;
        --pending_;
        serve(lock);
    }
    void notified(DWORD message) noexcept override {
        std::unique_lock<std::mutex> lock(m_);
        if (message == start_message) {
            --pending_;
            starting_ = false;
            start_ready_ = true;
        } else {
            armed_ = false;
            fired_ = true;
        }
        serve(lock);
    }

    // Does what has come in, unless another thread is at it (it will see the new work). Under
    // m_, which is let go around the sinks (they may run callbacks).
    void serve(std::unique_lock<std::mutex>& lock) noexcept {
        if (busy_) return;
        busy_ = true;
        const windows_drain* const outer = serving();
        serving() = this;
        for (;;) {
            if (stop_) {  // release: no more I/O; what was read meanwhile is dropped
                for (auto& st : streams_)
                    st.ready = false;
                start_ready_ = fired_ = false;
                break;
            }
            if (start_ready_) {
                start_ready_ = false;
                for (int s = 0; s < 2; ++s)
                    if (streams_[s].pipe && !read_locked(s)) end(s, false, lock);
                if (streams_[in].pipe) write_locked();
                continue;
            }
            if (fired_ && !starting_) {
                fired_ = false;
                cut(lock);
                continue;
            }
            int s = -1;
            for (int k = 0; k < 3 && s < 0; ++k)  // in turn, so a busy stdout cannot starve stderr
                if (streams_[(next_ + k) % 3].ready) s = (next_ + k) % 3;
            if (s < 0) break;
            next_ = (s + 1) % 3;
            handle(s, lock);
        }
        serving() = outer;
        busy_ = false;
        settle_locked();
    }

    // A completion on stream `s`. Under m_.
    void handle(int s, std::unique_lock<std::mutex>& lock) noexcept {
        stream& st = streams_[s];
        st.ready = false;
        const DWORD bytes = st.bytes, error = st.error;
        if (s == in) {
            offset_ += bytes;
            if (error != 0 || st.cut)
                st.pipe.reset();  // the child no longer reads stdin (its business), or the grace ran out
            else
                write_locked();
            return;
        }
        if (bytes > 0) {
            lock.unlock();
            if (sinks_[s].kind() == output_sink::mode::lines) windows_io_port::instance().entering_callback();
            sinks_[s].feed(st.buf.get(), bytes, lock_);
            st.unterminated = st.buf[bytes - 1] != '\n';
            lock.lock();
        }
        if (stop_) return;
        if (st.cut || (error != 0 && error != ERROR_MORE_DATA) || !read_locked(s))
            end(s, st.cut, lock);  // ERROR_BROKEN_PIPE: every writer has closed it
    }

    // The grace has run out: what is still open is cut. Under m_.
    void cut(std::unique_lock<std::mutex>& lock) noexcept {
        for (int s = 0; s < 3; ++s) {
            stream& st = streams_[s];
            if (!st.pipe) continue;
            st.cut = true;
            if (st.pending)
                ::CancelIoEx(st.pipe.get(), &st.op.ov);  // its completion ends it
            else if (!st.ready)
                s == in ? st.pipe.reset() : end(s, true, lock);
        }
    }

    // Ends output `s`: the pipe closes, the sink hands over an unterminated last line.
    void end(int s, bool was_cut, std::unique_lock<std::mutex>& lock) noexcept {
        streams_[s].pipe.reset();
        streams_[s].buf.reset();
        lock.unlock();
        if (sinks_[s].kind() == output_sink::mode::lines && streams_[s].unterminated)
            windows_io_port::instance().entering_callback();
        sinks_[s].finish(was_cut, lock_);
        lock.lock();
    }

    // Issues the next read of output `s`; false when the pipe has ended. Under m_, so that
    // stop() and cut() find it pending.
    bool read_locked(int s) noexcept {
        stream& st = streams_[s];
        st.op.ov = OVERLAPPED{};
        if (!::ReadFile(st.pipe.get(), st.buf.get(), read_size, nullptr, &st.op.ov) &&
            ::GetLastError() != ERROR_IO_PENDING)
            return false;
        st.pending = true;  // done or not, the completion comes through the port
        ++pending_;
        return true;
    }

    // Writes the next piece of io::text, or closes stdin once it is all written. Under m_.
    void write_locked() noexcept {
        stream& st = streams_[in];
        const std::string& text = *text_;
        const std::size_t left = text.size() - offset_;
        if (left == 0) {
            st.pipe.reset();
            return;
        }
        const DWORD chunk = static_cast<DWORD>(left < (1u << 20) ? left : (1u << 20));
        st.op.ov = OVERLAPPED{};
        if (!::WriteFile(st.pipe.get(), text.data() + offset_, chunk, nullptr, &st.op.ov) &&
            ::GetLastError() != ERROR_IO_PENDING) {
            st.pipe.reset();
            return;
        }
        st.pending = true;
        ++pending_;
    }

    // With no thread serving it: done once nothing is pending and every stream has ended, or
    // draining was stopped. Under m_; after done_cv_ is notified a joiner may destroy *this.
    void settle_locked() noexcept {
        if (done_ || busy_ || pending_ > 0) return;
        if (!stop_)
            for (const auto& st : streams_)
                if (st.pipe) return;
        if (armed_) {
            if (!windows_io_port::instance().disarm(timer_)) return;  // it has run out: its message ends this
            armed_ = false;
        }
        done_ = true;
        done_cv_.notify_all();
    }

    stream streams_[3];
    output_sink sinks_[2];
    std::shared_ptr<const std::string> text_;
    std::size_t offset_ = 0;  // of text_ written
    std::chrono::milliseconds grace_{250};
    port_timer timer_;
    bool started_ = false;

    std::mutex m_;  // what follows, and the streams' pipes and flags
    std::condition_variable done_cv_;
    unsigned pending_ = 0;      // operations and messages out
    int next_ = 0;              // the stream looked at first for a completion
    bool busy_ = false;         // a thread serves this drain
    bool starting_ = false;     // start_message is on its way
    bool start_ready_ = false;  // ... and has come: the first reads and write are to be issued
    bool exited_ = false;       // child_exited() was called
    bool armed_ = false;        // the grace's timer is on the port's list or its message on its way
    bool fired_ = false;        // the grace has run out
    bool stop_ = false;         // release
    bool done_ = false;

    std::mutex lock_;  // the captured text, for the portable code
};

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
