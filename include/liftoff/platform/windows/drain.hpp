// liftoff/platform/windows/drain.hpp: pipes for a child on Windows, and the one thread per piped
// child that reads its stdout and stderr and feeds io::text into its stdin, all with overlapped
// I/O waited on together, so no pipe can fill up and block the child whatever it does. Released
// children's pipes go to one process-wide thread (an I/O completion port) that reads and drops.
// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
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

/// One process-wide thread that reads and drops what released children still write to pipes
/// liftoff opened, so they are never disturbed by a broken pipe, and closes the job objects of
/// released kill_on_parent_exit() children once nothing runs in them (the job tells its
/// completion port, which is this port). One thread for any number.
class windows_dropper {
public:
    /// Never destroyed: its thread lives until the process exits.
    static windows_dropper& instance() {
        static windows_dropper* d = new windows_dropper;
        return *d;
    }

    /// Takes over pipes with no I/O pending on them.
    void adopt(std::vector<unique_handle> pipes) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!ready()) return;  // the pipes close: the child sees a broken pipe, nothing worse
        for (auto& p : pipes) {
            auto* e = new entry;
            e->pipe = std::move(p);
            if (::CreateIoCompletionPort(e->pipe.get(), port_.get(), reinterpret_cast<ULONG_PTR>(e), 0) == nullptr) {
                delete e;
                continue;
            }
            ++count_;
            // The reads are issued by the dropper's own thread.
            ::PostQueuedCompletionStatus(port_.get(), 0, reinterpret_cast<ULONG_PTR>(e), nullptr);
        }
    }

    /// Has `job` (just created, nothing in it yet) report to this thread's port. Returns the key
    /// to give adopt_job(), or 0 when it cannot (the job is then kept open until this process
    /// exits, as before). Associated at creation, so no report can be missed.
    std::uintptr_t watch_job(HANDLE job) noexcept {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!ready()) return 0;
        const std::uintptr_t key = (next_job_++ << 1) | 1;  // odd: never a pipe entry's address
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
        std::lock_guard<std::mutex> lock(mutex_);  // the thread's close_job() waits for this
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

    /// Pipes and jobs adopted and not yet at their end (for tests and diagnostics).
    std::size_t pending() {
        std::lock_guard<std::mutex> lock(mutex_);
        return count_ + jobs_.size();
    }

private:
    struct entry {
        unique_handle pipe;
        OVERLAPPED ov{};
        char buf[16 * 1024];
    };

    windows_dropper() = default;

    // The port and its thread, made on first use; false when either cannot be had. Under mutex_.
    bool ready() noexcept {
        if (!port_) {
            port_.reset(::CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 1));
            if (!port_) return false;
        }
        if (!started_) {
            try {
                std::thread([this] { run(); }).detach();
                started_ = true;
            } catch (...) {
                return false;
            }
        }
        return true;
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

    void done(entry* e) {
        delete e;
        std::lock_guard<std::mutex> lock(mutex_);
        --count_;
    }

    // Issues the next read; false when the pipe has ended.
    static bool read(entry* e) {
        e->ov = OVERLAPPED{};
        if (::ReadFile(e->pipe.get(), e->buf, sizeof e->buf, nullptr, &e->ov)) return true;  // a packet is queued
        return ::GetLastError() == ERROR_IO_PENDING;
    }

    void run() {
        for (;;) {
            DWORD n = 0;
            ULONG_PTR key = 0;
            OVERLAPPED* ov = nullptr;
            const BOOL ok = ::GetQueuedCompletionStatus(port_.get(), &n, &key, &ov, INFINITE);
            if (key & 1) {  // a job's report: n is the message
                if (ok && n == JOB_OBJECT_MSG_ACTIVE_PROCESS_ZERO) close_job(key);
                continue;
            }
            auto* e = reinterpret_cast<entry*>(key);
            if (e == nullptr) continue;
            if ((ov != nullptr && !ok) || !read(e)) done(e);
        }
    }

    std::mutex mutex_;
    unique_handle port_;
    bool started_ = false;
    std::size_t count_ = 0;
    std::uintptr_t next_job_ = 1;
    std::vector<std::pair<std::uintptr_t, HANDLE>> jobs_;  // adopted jobs, open until they empty
};

class windows_drain {
public:
    windows_drain() = default;
    windows_drain(const windows_drain&) = delete;
    windows_drain& operator=(const windows_drain&) = delete;
    ~windows_drain() { join(); }

    /// Set-up, before start(): liftoff's (overlapped) end of stdout or stderr.
    void watch(output o, unique_handle pipe, output_sink sink) {
        out_[static_cast<int>(o) - 1].pipe = std::move(pipe);
        sinks_[static_cast<int>(o) - 1] = std::move(sink);
    }
    /// Set-up, before start(): liftoff's (overlapped) end of stdin and the text to feed it.
    void feed(unique_handle pipe, std::shared_ptr<const std::string> text) {
        in_.pipe = std::move(pipe);
        text_ = std::move(text);
    }
    bool needed() const noexcept { return out_[0].pipe || out_[1].pipe || in_.pipe; }

    /// Starts the thread. Returns an empty code or why nothing was started.
    std::error_code start(std::chrono::milliseconds grace) {
        grace_ = grace;
        wake_.reset(::CreateEventW(nullptr, FALSE, FALSE, nullptr));
        if (!wake_) return last_error();
        for (auto* op : {&out_[0], &out_[1], &in_}) {
            op->event.reset(::CreateEventW(nullptr, TRUE, FALSE, nullptr));
            if (!op->event) return last_error();
        }
        try {
            thread_ = std::thread([this] { run(); });
        } catch (const std::system_error& e) {
            return e.code();
        }
        return {};
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

    std::mutex& lock() noexcept { return lock_; }
    output_sink& sink(output o) noexcept { return sinks_[static_cast<int>(o) - 1]; }
    const output_sink& sink(output o) const noexcept { return sinks_[static_cast<int>(o) - 1]; }

    /// After stop() and join(): the output pipes still open, for the dropper to drain.
    std::vector<unique_handle> take_pipes() {
        std::vector<unique_handle> pipes;
        for (auto& o : out_)
            if (o.pipe) pipes.push_back(std::move(o.pipe));
        in_.pipe.reset();
        return pipes;
    }

private:
    static constexpr unsigned exited_flag = 1, stop_flag = 2;

    struct op {
        unique_handle pipe;
        unique_handle event;
        OVERLAPPED ov{};
        bool pending = false;
    };

    void signal(unsigned flag) noexcept {
        flags_.fetch_or(flag);
        if (wake_) ::SetEvent(wake_.get());
    }

    // Starts an overlapped read or write; false when the pipe has ended (the caller closes it).
    bool issue(op& o, bool write, const char* data, DWORD n) {
        o.ov = OVERLAPPED{};
        o.ov.hEvent = o.event.get();
        const BOOL ok = write ? ::WriteFile(o.pipe.get(), data, n, nullptr, &o.ov)
                              : ::ReadFile(o.pipe.get(), const_cast<char*>(data), n, nullptr, &o.ov);
        o.pending = ok || ::GetLastError() == ERROR_IO_PENDING;  // either way the event is set on completion
        return o.pending;
    }

    // Cancels what is pending on `o` and waits until the OS is done with its OVERLAPPED.
    static void cancel(op& o) noexcept {
        if (!o.pending) return;
        ::CancelIoEx(o.pipe.get(), &o.ov);
        DWORD n = 0;
        ::GetOverlappedResult(o.pipe.get(), &o.ov, &n, TRUE);
        o.pending = false;
    }

    void end_output(int s, bool cut) {
        cancel(out_[s]);
        out_[s].pipe.reset();
        sinks_[s].finish(cut, lock_);
    }

    void next_write(std::size_t offset) {
        const std::string& text = *text_;
        const std::size_t left = text.size() - offset;
        const DWORD chunk = static_cast<DWORD>(left < (1u << 20) ? left : (1u << 20));
        if (left == 0 || !issue(in_, true, text.data() + offset, chunk)) in_.pipe.reset();
    }

    void run() {
        mark_.claim();
        using clock = std::chrono::steady_clock;
        std::vector<char> bufs[2] = {std::vector<char>(64 * 1024), std::vector<char>(64 * 1024)};
        std::size_t offset = 0;
        bool have_deadline = false;
        clock::time_point deadline;
        for (int s = 0; s < 2; ++s)
            if (out_[s].pipe && !issue(out_[s], false, bufs[s].data(), static_cast<DWORD>(bufs[s].size())))
                end_output(s, false);
        if (in_.pipe) next_write(0);

        while (out_[0].pipe || out_[1].pipe || in_.pipe) {
            HANDLE events[4];
            int which[4];
            DWORD n = 0;
            for (int s = 0; s < 2; ++s) {
                if (!out_[s].pipe) continue;
                events[n] = out_[s].event.get();
                which[n++] = s;
            }
            if (in_.pipe) {
                events[n] = in_.event.get();
                which[n++] = 2;
            }
            events[n] = wake_.get();
            which[n++] = 3;

            DWORD timeout = INFINITE;
            if (have_deadline) {
                const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - clock::now()).count();
                if (left <= 0) break;
                timeout = static_cast<DWORD>(left);
            }
            const DWORD r = ::WaitForMultipleObjects(n, events, FALSE, timeout);
            if (r == WAIT_TIMEOUT) continue;    // the deadline check above ends the loop
            if (r >= WAIT_OBJECT_0 + n) break;  // cannot wait: give up draining
            const int w = which[r - WAIT_OBJECT_0];
            if (w == 3) {
                const unsigned f = flags_.load();
                if (f & stop_flag) {
                    // release: hand the pipes over with nothing pending on them
                    for (auto* o : {&out_[0], &out_[1], &in_})
                        cancel(*o);
                    return;
                }
                if ((f & exited_flag) && !have_deadline) {
                    have_deadline = true;
                    deadline = deadline_after(grace_);
                }
                continue;
            }
            op& o = w == 2 ? in_ : out_[w];
            DWORD got = 0;
            const BOOL ok = ::GetOverlappedResult(o.pipe.get(), &o.ov, &got, FALSE);
            o.pending = false;
            if (w == 2) {
                offset += got;
                if (!ok) {
                    in_.pipe.reset();  // the child no longer reads stdin; that is its business
                } else {
                    next_write(offset);
                }
                continue;
            }
            if (!ok && ::GetLastError() != ERROR_MORE_DATA) {
                end_output(w, false);  // ERROR_BROKEN_PIPE: every writer has closed it
                continue;
            }
            if (got > 0) sinks_[w].feed(bufs[w].data(), got, lock_);
            if (!issue(o, false, bufs[w].data(), static_cast<DWORD>(bufs[w].size()))) end_output(w, false);
        }
        for (int s = 0; s < 2; ++s)
            if (out_[s].pipe) end_output(s, true);  // a grandchild still holds it: cut
        cancel(in_);
        in_.pipe.reset();
    }

    op out_[2];
    op in_;
    output_sink sinks_[2];
    std::shared_ptr<const std::string> text_;
    unique_handle wake_;
    std::chrono::milliseconds grace_{250};
    std::atomic<unsigned> flags_{0};
    std::mutex lock_;
    std::thread thread_;
    thread_mark mark_;
};

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
