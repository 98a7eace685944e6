// liftoff/platform/windows/process.hpp: the OS state of one running child on Windows (process
// handle, job object, pipes, drain) and the verbs on it: wait on the handle, polite stop with
// CTRL_BREAK and WM_CLOSE, kill with TerminateJobObject/TerminateProcess, release.
// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstdint>
#include <cstring>  // memcpy
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <system_error>
#include <vector>

#include "../../detail/clock.hpp"
#include "../../error.hpp"
#include "../../exit_status.hpp"
#include "caller_pipe.hpp"
#include "drain.hpp"
#include "win32.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

class windows_process {
public:
    using pid_type = DWORD;

    /// The codes child_state sends and trace_event::signal reports: the numbers of SIGTERM and
    /// SIGKILL, standing for the polite stop (CTRL_BREAK_EVENT to a new_process_group() console
    /// child, WM_CLOSE to the child's top-level windows) and the kill (TerminateJobObject or
    /// TerminateProcess, with exit code `killed_exit_code`).
    static constexpr int polite_signal = 15;
    static constexpr int kill_signal = 9;
    static constexpr UINT killed_exit_code = 1;

    windows_process() = default;
    windows_process(const windows_process&) = delete;
    windows_process& operator=(const windows_process&) = delete;
    ~windows_process() {
        drain_.join();
        close_job();
    }

    pid_type pid() const noexcept { return pid_; }

    // --- set up by the platform's spawn -------------------------------------------------
    /// `job_key`: what windows_io_port::watch_job() gave for the job, or 0.
    void adopt(unique_handle process, DWORD pid, unique_handle job, bool group, bool job_kills_on_close,
               std::uintptr_t job_key = 0) noexcept {
        process_ = std::move(process);
        pid_ = pid;
        job_ = std::move(job);
        group_ = group;
        job_kills_ = job_kills_on_close;
        job_key_ = job_key;
    }
    windows_drain& drain() noexcept { return drain_; }
    void set_stdin_pipe(unique_handle pipe) noexcept { stdin_pipe_ = std::move(pipe); }
    /// An io::pipe() output: the caller reads it (child::read_line), the I/O port never does.
    using caller_stream_type = caller_stream<windows_caller_pipe>;
    void set_output_pipe(output o, unique_handle pipe) {
        auto& c = caller_[o == output::out ? 0 : 1];
        if (!c) c.reset(new caller_stream_type);  // made when asked for: most children never are
        c->open(windows_caller_pipe(std::move(pipe)));
    }
    /// The io::pipe() output `o`, or nullptr if it is not one.
    caller_stream_type* caller_output(output o) noexcept { return caller_[o == output::out ? 0 : 1].get(); }

    // --- waiting ---------------------------------------------------------------------------
    // One thread may wait while another signals or polls: the handle is waited on outside the
    // lock, the status recorded under it, once.
    std::optional<exit_status> try_wait() noexcept {
        if (!known()) wait_handle(0);
        return known();
    }
    exit_status wait() noexcept {
        while (!known())
            if (!wait_handle(INFINITE)) break;
        const auto s = known();
        return s ? *s : exit_status{};
    }
    /// Waits on the process handle, up to `limit` (rounded up to whole milliseconds).
    std::optional<exit_status> wait_for(std::chrono::nanoseconds limit) noexcept {
        const auto deadline = deadline_after(limit);
        while (!known()) {
            const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            const long long ms = left.count() < 0 ? 0 : left.count();
            if (!wait_handle(static_cast<DWORD>(ms > 0x7ffffffe ? 0x7ffffffe : ms))) break;
            if (ms == 0) break;
        }
        return known();
    }

    // --- stopping ----------------------------------------------------------------------------
    /// polite_signal: CTRL_BREAK_EVENT (a new_process_group() child sharing this console) and
    /// WM_CLOSE to its top-level windows; false when neither could be delivered. kill_signal:
    /// the whole job (new_process_group(), kill_on_parent_exit()) or the process, at once.
    bool send(int code) noexcept {
        if (known() || !process_) return false;
        if (code == kill_signal) {
            if (job_ && ::TerminateJobObject(job_.get(), killed_exit_code)) return true;
            return ::TerminateProcess(process_.get(), killed_exit_code) != 0;
        }
        bool delivered = false;
        if (group_ && ::GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, pid_)) delivered = true;
        if (close_windows()) delivered = true;
        polite_delivered_ = delivered;
        return delivered;
    }

    // --- signals the user sends (child::signal, interrupt, suspend, resume) --------------------
    /// What trace_event::signal says for interrupt(), suspend() and resume(): the Linux numbers
    /// of SIGINT, SIGSTOP and SIGCONT, standing for them.
    static constexpr int interrupt_code = 2;
    static constexpr int suspend_code = 19;
    static constexpr int resume_code = 18;

    /// Windows has no signals to send by number.
    std::error_code signal(int) noexcept { return make_error_code(errc::unsupported); }

    /// CTRL_C_EVENT to the child's console process group, which it has only with
    /// new_process_group() (else it shares this process's group, and the event would reach this
    /// process too: errc::unsupported). Windows starts such a group with CTRL+C ignored: only a
    /// child that turns it back on (SetConsoleCtrlHandler(NULL, FALSE)) sees it.
    std::error_code interrupt() noexcept {
        if (known() || !process_) return std::make_error_code(std::errc::no_such_process);
        if (!group_) return make_error_code(errc::unsupported);
        if (::GenerateConsoleCtrlEvent(CTRL_C_EVENT, pid_)) return {};
        return {static_cast<int>(::GetLastError()), std::system_category()};
    }
    /// Suspends every thread of the child (NtSuspendProcess), as a debugger does; resume()
    /// undoes one suspend() (they count, as SuspendThread does).
    std::error_code suspend() noexcept { return suspend_or_resume("NtSuspendProcess"); }
    std::error_code resume() noexcept { return suspend_or_resume("NtResumeProcess"); }

    /// wait_any(): blocks until one of `ps` may have ended or `deadline` (if any) passes: one
    /// WaitForMultipleObjects over their handles (64 at most at once), or for more, a thread pool
    /// wait on each, all setting one event. Never records a status (the caller looks at each).
    static void await_any_exit(const std::vector<windows_process*>& ps,
                               const std::chrono::steady_clock::time_point* deadline) noexcept {
        DWORD ms = INFINITE;
        if (deadline != nullptr) {
            const auto left =
                std::chrono::ceil<std::chrono::milliseconds>(*deadline - std::chrono::steady_clock::now()).count();
            ms = static_cast<DWORD>(left > 0x7ffffffe ? 0x7ffffffe : (left < 1 ? 1 : left));
        }
        std::vector<HANDLE> hs;
        hs.reserve(ps.size());
        for (windows_process* p : ps) {
            if (!p->process_) return;  // nothing to wait on: the caller looks
            hs.push_back(p->process_.get());
        }
        if (hs.size() <= MAXIMUM_WAIT_OBJECTS) {
            ::WaitForMultipleObjects(static_cast<DWORD>(hs.size()), hs.data(), FALSE, ms);
            return;
        }
        unique_handle any(::CreateEventW(nullptr, TRUE, FALSE, nullptr));
        if (!any) {  // nothing to gather them on: the first 64, then look again
            ::WaitForMultipleObjects(MAXIMUM_WAIT_OBJECTS, hs.data(), FALSE, ms < 50 ? ms : 50);
            return;
        }
        std::vector<HANDLE> waits;
        waits.reserve(hs.size());
        for (HANDLE h : hs) {
            HANDLE w = nullptr;
            if (!::RegisterWaitForSingleObject(&w, h, &windows_process::set_event, any.get(), INFINITE,
                                               WT_EXECUTEONLYONCE))
                break;
            waits.push_back(w);
        }
        if (waits.size() == hs.size())
            ::WaitForSingleObject(any.get(), ms);
        else  // the thread pool refused: the first 64, for a short while, then look again
            ::WaitForMultipleObjects(MAXIMUM_WAIT_OBJECTS, hs.data(), FALSE, ms < 50 ? ms : 50);
        for (HANDLE w : waits)
            ::UnregisterWaitEx(w, INVALID_HANDLE_VALUE);  // waits for a callback under way: `any` outlives it
    }

    /// After the polite stop: true when the child exited within `limit`. When nothing could be
    /// delivered there is nothing to wait for, so the kill follows at once.
    bool exited_unreaped(std::chrono::nanoseconds limit) noexcept {
        if (!polite_delivered_) return try_wait().has_value();
        return wait_for(limit).has_value();
    }
    /// The child has gone; the rest of its job (the tree) goes too.
    void kill_rest_of_group() noexcept {
        if (job_) ::TerminateJobObject(job_.get(), killed_exit_code);
    }

    // --- streams -----------------------------------------------------------------------------
    void note_exit() noexcept { drain_.child_exited(); }
    /// After an opener exits: finish the streams. A Windows pipe that nobody reads gives its
    /// writer an error, never a signal, so what a left-behind application writes cannot kill it.
    void settle_streams() noexcept { finish_streams(); }

    void finish_streams() noexcept {
        drain_.child_exited();
        drain_.join();
    }

    std::error_code write_stdin(std::string_view bytes) {
        std::lock_guard<std::mutex> lock(stdin_lock_);
        if (!stdin_pipe_) return std::make_error_code(std::errc::bad_file_descriptor);
        while (!bytes.empty()) {
            const DWORD chunk = static_cast<DWORD>(bytes.size() < (1u << 20) ? bytes.size() : (1u << 20));
            DWORD put = 0;
            if (!::WriteFile(stdin_pipe_.get(), bytes.data(), chunk, &put, nullptr)) {
                const DWORD e = ::GetLastError();
                if (e == ERROR_BROKEN_PIPE || e == ERROR_NO_DATA) return std::make_error_code(std::errc::broken_pipe);
                return {static_cast<int>(e), std::system_category()};
            }
            bytes.remove_prefix(put);
        }
        return {};
    }
    void close_stdin() noexcept {
        std::lock_guard<std::mutex> lock(stdin_lock_);
        stdin_pipe_.reset();
    }
    void close_stdin_if_idle() noexcept {
        std::unique_lock<std::mutex> lock(stdin_lock_, std::try_to_lock);
        if (lock) stdin_pipe_.reset();
    }

    // --- letting go --------------------------------------------------------------------------
    /// The child runs on. Its handles are closed (Windows has no zombies); what it still writes
    /// to liftoff's pipes is read and dropped by the process-wide I/O port. A kill_on_parent_exit()
    /// job stays open while anything runs in it, as that promise needs, and closes after.
    void release() {
        close_stdin();
        drain_.stop();
        drain_.join();
        auto pipes = drain_.take_pipes();
        for (auto& c : caller_)  // the caller's io::pipe() outputs: read and dropped from here on
            if (c && c->given())
                if (auto h = c->take().take()) pipes.push_back(std::move(h));
        if (!pipes.empty()) windows_io_port::instance().adopt(std::move(pipes));
        close_job();
        process_.reset();
        pid_ = 0;
    }

    /// The status, once recorded (the one record of it: child_state asks here).
    std::optional<exit_status> known() const {
        std::lock_guard<std::mutex> lock(status_lock_);
        return status_;
    }

private:
    // Waits up to `ms`; records the status once the process has ended. False on a failed wait.
    bool wait_handle(DWORD ms) noexcept {
        if (!process_) {
            record(exit_status{});
            return false;
        }
        const DWORD r = ::WaitForSingleObject(process_.get(), ms);
        if (r == WAIT_TIMEOUT) return true;
        DWORD code = 0;
        if (r == WAIT_OBJECT_0 && ::GetExitCodeProcess(process_.get(), &code))
            record(exit_status::from_code(static_cast<int>(code)));
        else
            record(exit_status{});
        return r == WAIT_OBJECT_0;
    }

    static VOID CALLBACK set_event(PVOID event, BOOLEAN) noexcept { ::SetEvent(static_cast<HANDLE>(event)); }

    /// A function of ntdll, by name (these have no import library in every toolchain).
    template <class F>
    static F ntdll_function(const char* name) noexcept {
        HMODULE ntdll = ::GetModuleHandleW(L"ntdll.dll");
        FARPROC f = ntdll != nullptr ? ::GetProcAddress(ntdll, name) : nullptr;
        F out = nullptr;
        static_assert(sizeof out == sizeof f, "a function pointer");
        if (f != nullptr) std::memcpy(&out, &f, sizeof out);  // FARPROC to its real type, without a cast warning
        return out;
    }

    std::error_code suspend_or_resume(const char* name) noexcept {
        if (known() || !process_) return std::make_error_code(std::errc::no_such_process);
        const auto call = ntdll_function<LONG(NTAPI*)(HANDLE)>(name);
        if (call == nullptr) return make_error_code(errc::unsupported);
        const LONG status = call(process_.get());
        if (status >= 0) return {};
        const auto to_dos = ntdll_function<ULONG(NTAPI*)(LONG)>("RtlNtStatusToDosError");
        return {static_cast<int>(to_dos != nullptr ? to_dos(status) : ERROR_GEN_FAILURE), std::system_category()};
    }

    void record(exit_status s) noexcept {
        {
            std::lock_guard<std::mutex> lock(status_lock_);
            if (status_) return;
            status_ = s;
        }
        note_exit();
    }

    struct window_search {
        DWORD pid;
        bool posted;
    };
    static BOOL CALLBACK close_window(HWND w, LPARAM p) noexcept {
        auto* s = reinterpret_cast<window_search*>(p);
        DWORD owner = 0;
        ::GetWindowThreadProcessId(w, &owner);
        if (owner == s->pid && ::PostMessageW(w, WM_CLOSE, 0, 0)) s->posted = true;
        return TRUE;
    }
    // Posts WM_CLOSE to each top-level window the child owns (as taskkill without /f does).
    bool close_windows() noexcept {
        window_search s{pid_, false};
        ::EnumWindows(&windows_process::close_window, reinterpret_cast<LPARAM>(&s));
        return s.posted;
    }

    // A job that kills on close and still has processes in it is left open rather than killing
    // what the child left running: the I/O port closes it when the job reports that
    // none is left (or, when it could not watch the job, this process's exit does).
    void close_job() noexcept {
        if (!job_ || !job_kills_) {
            job_.reset();
            return;
        }
        if (job_key_ != 0) {
            windows_io_port::instance().adopt_job(job_key_, std::move(job_));
            return;
        }
        JOBOBJECT_BASIC_ACCOUNTING_INFORMATION info{};
        if (::QueryInformationJobObject(job_.get(), JobObjectBasicAccountingInformation, &info, sizeof info, nullptr) &&
            info.ActiveProcesses > 0)
            job_.release();
        else
            job_.reset();
    }

    unique_handle process_;
    DWORD pid_ = 0;
    unique_handle job_;
    bool group_ = false;
    bool job_kills_ = false;
    std::uintptr_t job_key_ = 0;
    bool polite_delivered_ = false;
    mutable std::mutex status_lock_;
    std::optional<exit_status> status_;
    windows_drain drain_;
    std::mutex stdin_lock_;
    unique_handle stdin_pipe_;
    std::unique_ptr<caller_stream_type> caller_[2];  // stdout, stderr when io::pipe(): read on the caller's thread
};

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
