// liftoff/platform/windows/platform.hpp: the Windows platform: CreateProcessW with an explicit
// application path, a UTF-16 environment block sorted as Windows expects, only the intended
// handles inherited (PROC_THREAD_ATTRIBUTE_HANDLE_LIST), .bat/.cmd through cmd.exe with safe
// escaping, a job object where a tree or a lifetime is asked for, and the words for each failure;
// the openers' ShellExecuteExW comes from shell.hpp.
// SPDX-License-Identifier: MIT
#pragma once

#include <cerrno>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "../../detail/launch_spec.hpp"
#include "../../detail/windows_command_line.hpp"
#include "../../detail/windows_env.hpp"
#include "../../detail/binary_format.hpp"
#include "../../detail/causes.hpp"
#include "../../detail/failure.hpp"
#include "../../error.hpp"
#include "drain.hpp"
#include "inspect.hpp"
#include "process.hpp"
#include "shell.hpp"
#include "system.hpp"
#include "win32.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

/// The longest working directory CreateProcessW takes, in UTF-16 units: MAX_PATH with room for
/// the trailing backslash and the terminating NUL it keeps it with (SetCurrentDirectoryW's rule).
constexpr std::size_t windows_max_cwd = MAX_PATH - 2;

/// A working directory's length as that limit counts it: without one trailing backslash.
inline std::size_t cwd_length(const std::wstring& dir) noexcept {
    return !dir.empty() && (dir.back() == L'\\' || dir.back() == L'/') ? dir.size() - 1 : dir.size();
}

/// Length in UTF-16 units of a UTF-8 path (0 when it is not UTF-8).
inline std::size_t wide_length(const std::string& utf8) {
    std::wstring w;
    return to_wide(utf8, w, surrogates::wtf8) ? w.size() : 0;
}

inline bool is_windows_resource_error(const std::error_code& e) noexcept {
    if (e.category() == std::generic_category())
        return e.value() == EMFILE || e.value() == ENFILE || e.value() == EAGAIN || e.value() == ENOMEM;
    switch (e.value()) {
    case ERROR_NOT_ENOUGH_MEMORY:
    case ERROR_OUTOFMEMORY:
    case ERROR_TOO_MANY_OPEN_FILES:
    case ERROR_NO_SYSTEM_RESOURCES:
    case ERROR_COMMITMENT_LIMIT:
    case ERROR_NOT_ENOUGH_QUOTA: return true;
    default: return false;
    }
}

struct windows_platform : windows_system, windows_inspect, windows_shell {
    using process = windows_process;
    using pid_type = DWORD;
    /// A job object with JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE.
    static constexpr bool supports_kill_on_parent_exit = true;

    /// The child's process state Windows has no meaning for: everything but arg0() (the first
    /// token of the command line), refused before anything runs.
    static failure refuse_unsupported(const command& cmd) {
        if (const char* stream = stream_of_kind(cmd, io::kind::fd))
            return make_failure(errc::unsupported, printable(cmd.program()),
                                std::string("io::fd() for its ") + stream +
                                    " is POSIX only: Windows passes HANDLEs, not descriptors (nothing was run)",
                                "use io::handle() with the HANDLE (_get_osfhandle() gives a CRT descriptor's)");
        const char* feature = !cmd.passed_fds().empty() ? "pass_fd()"
                              : cmd.umask()             ? "umask()"
                              : cmd.session_leader()    ? "new_session()"
                              : !cmd.limits().empty()   ? "limit()"
                              : cmd.credentials()       ? "credentials()"
                                                        : nullptr;
        if (feature == nullptr) return {};
        const std::string f = feature;
        const std::string remedy =
            f == "pass_fd()"       ? "Windows passes handles, not descriptors: give the child a handle's value through "
                                     "an argument and make it inheritable, or use its stdin/stdout"
            : f == "new_session()" ? "use new_process_group(), which gives it its own process group and job"
            : f == "limit()"       ? "limit it through a job object of your own"
            : f == "credentials()" ? "start it with CreateProcessAsUserW, runas or a scheduled task"
                                   : "Windows has no umask: set the file's security descriptor instead";
        return make_failure(errc::unsupported, printable(cmd.program()),
                            f + " is POSIX only: Windows has no such process state (nothing was run)", remedy);
    }

    // Pipelines (issue 14): the pipe between two stages, handed to each as an io::handle().
    /// One end of the pipe between two stages.
    using stage_end = unique_handle;
    /// An anonymous pipe, not inheritable: each stage gets an inheritable duplicate of its end,
    /// listed in its PROC_THREAD_ATTRIBUTE_HANDLE_LIST, so no other stage ever holds one.
    static spawn_failure make_stage_pipe(unique_handle& read_end, unique_handle& write_end) {
        HANDLE r = nullptr, w = nullptr;
        if (!::CreatePipe(&r, &w, nullptr, 64 * 1024)) return {spawn_stage::pipes, last_error()};
        read_end.reset(r);
        write_end.reset(w);
        return {};
    }
    /// The stream spec that gives a stage this end.
    static io::stream stage_stream(const unique_handle& end) { return io::handle(end.get()); }

    static spawn_failure spawn(const launch_spec& spec, process& proc) {
        const command& cmd = spec.cmd;
        unique_handle child_side[3];   // what the child gets as stdin, stdout, stderr
        unique_handle parent_side[3];  // our ends of its pipes

        if (auto f = open_input(spec.in, child_side[0], parent_side[0])) return f;
        if (auto f = open_output(spec.out, spawn_stage::redirect_stdout, 1, child_side[1], parent_side[1])) return f;
        const bool merged = spec.err.what() == io::kind::merge;
        if (!merged)
            if (auto f = open_output(spec.err, spawn_stage::redirect_stderr, 2, child_side[2], parent_side[2]))
                return f;
        HANDLE std_handles[3] = {child_side[0].get(), child_side[1].get(),
                                 merged ? child_side[1].get() : child_side[2].get()};

        // The working directory: checked first so that a bad one is named as such.
        std::wstring cwd;
        if (const auto& dir = cmd.cwd()) {
            if (!to_wide(*dir, cwd)) return {spawn_stage::chdir, std::make_error_code(std::errc::invalid_argument)};
            // Longer than CreateProcessW takes (whether it exists or not: a process that is not
            // long-path aware cannot even look): Windows refuses it as ERROR_DIRECTORY ("not a
            // directory"), wine 8 as ERROR_INVALID_NAME, after overrunning a buffer with it.
            if (cwd_length(cwd) > windows_max_cwd)
                return {spawn_stage::chdir, {ERROR_FILENAME_EXCED_RANGE, std::system_category()}};
            const DWORD attrs = ::GetFileAttributesW(cwd.c_str());
            if (attrs == INVALID_FILE_ATTRIBUTES) return {spawn_stage::chdir, last_error()};
            if ((attrs & FILE_ATTRIBUTE_DIRECTORY) == 0)
                return {spawn_stage::chdir, {ERROR_DIRECTORY, std::system_category()}};
        }

        // What to run and its command line.
        const bool batch = is_batch_file(spec.path) || is_batch_file(cmd.program());
        const std::string app = batch ? cmd_exe() : spec.path;
        const windows_command_line line =
            batch ? make_batch_command_line(app, spec.path, cmd.arguments())
                  : make_windows_command_line(cmd.arg0() ? *cmd.arg0() : cmd.program(), cmd.arguments());
        if (!line) {
            spawn_failure f{
                spawn_stage::arguments,
                std::make_error_code(line.too_long ? std::errc::argument_list_too_long : std::errc::invalid_argument)};
            f.detail = line.refusal;
            if (batch) f.detail += " (it is a batch script, run by cmd.exe)";
            return f;
        }
        std::wstring wapp, wline;
        if (!to_wide(app, wapp) || !to_wide(line.text, wline))
            return {spawn_stage::exec, std::make_error_code(std::errc::invalid_argument)};

        std::wstring block;
        if (!spec.env.inherited) {
            for (const auto& e : windows_environment(spec.env.entries)) {
                std::wstring w;
                if (!to_wide(e, w, surrogates::wtf8))
                    return {spawn_stage::exec, std::make_error_code(std::errc::invalid_argument)};
                block += w;
                block += L'\0';
            }
            if (block.empty()) block += L'\0';
            block += L'\0';
        }

        // Only these handles reach the child, whatever else is inheritable in this process.
        HANDLE inherit[3];
        DWORD count = 0;
        for (HANDLE h : std_handles) {
            bool seen = h == nullptr;
            for (DWORD k = 0; k < count && !seen; ++k)
                seen = inherit[k] == h;
            if (!seen) inherit[count++] = h;
        }
        SIZE_T size = 0;
        ::InitializeProcThreadAttributeList(nullptr, 1, 0, &size);
        std::unique_ptr<char[]> storage(new char[size]);
        auto* attrs = reinterpret_cast<LPPROC_THREAD_ATTRIBUTE_LIST>(storage.get());
        if (!::InitializeProcThreadAttributeList(attrs, 1, 0, &size)) return {spawn_stage::fork, last_error()};
        struct attribute_list_guard {
            LPPROC_THREAD_ATTRIBUTE_LIST list;
            ~attribute_list_guard() { ::DeleteProcThreadAttributeList(list); }
        } attrs_guard{attrs};
        if (count > 0 && !::UpdateProcThreadAttribute(attrs, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, inherit,
                                                      count * sizeof(HANDLE), nullptr, nullptr))
            return {spawn_stage::fork, last_error()};

        // A job where a tree (new_process_group) or a lifetime (kill_on_parent_exit) is asked for.
        unique_handle job;
        std::uintptr_t job_key = 0;  // its reports go to the I/O port, which closes it once empty
        const bool kills_on_close = cmd.dies_with_parent();
        if (cmd.process_group() || kills_on_close) {
            job.reset(::CreateJobObjectW(nullptr, nullptr));
            if (!job) return {spawn_stage::setup, last_error()};
            if (kills_on_close) {
                JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits{};
                limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
                if (!::SetInformationJobObject(job.get(), JobObjectExtendedLimitInformation, &limits, sizeof limits))
                    return {spawn_stage::setup, last_error()};
                job_key = windows_io_port::instance().watch_job(job.get());
            }
        }

        STARTUPINFOEXW si{};
        si.StartupInfo.cb = sizeof si;
        si.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
        si.StartupInfo.hStdInput = std_handles[0];
        si.StartupInfo.hStdOutput = std_handles[1];
        si.StartupInfo.hStdError = std_handles[2];
        si.lpAttributeList = attrs;
        DWORD flags = CREATE_UNICODE_ENVIRONMENT | EXTENDED_STARTUPINFO_PRESENT;
        if (cmd.process_group()) flags |= CREATE_NEW_PROCESS_GROUP;
        if (job) flags |= CREATE_SUSPENDED;  // assigned to the job before it runs a single instruction
        PROCESS_INFORMATION pi{};
        const BOOL created = ::CreateProcessW(wapp.c_str(), &wline[0], nullptr, nullptr, count > 0 ? TRUE : FALSE,
                                              flags, spec.env.inherited ? nullptr : &block[0],
                                              cwd.empty() ? nullptr : cwd.c_str(), &si.StartupInfo, &pi);
        if (!created) {
            const auto e = last_error();
            return {e.value() == ERROR_DIRECTORY && !cwd.empty() ? spawn_stage::chdir : spawn_stage::exec, e};
        }
        unique_handle process_handle(pi.hProcess);
        unique_handle thread(pi.hThread);
        for (auto& h : child_side)
            h.reset();  // the child has its copies; end of file must reach us
        if (job) {
            if (!::AssignProcessToJobObject(job.get(), process_handle.get())) {
                const auto e = last_error();
                ::TerminateProcess(process_handle.get(), process::killed_exit_code);
                ::WaitForSingleObject(process_handle.get(), INFINITE);
                return {spawn_stage::setup, e};
            }
            ::ResumeThread(thread.get());
        }
        thread.reset();

        proc.adopt(std::move(process_handle), pi.dwProcessId, std::move(job), cmd.process_group(), kills_on_close,
                   job_key);
        kill_unless_handed_over<process> cleanup(proc);  // the child runs: a failure from here ends it
        hand_over_streams(spec, proc, parent_side);
        if (proc.drain().needed()) {
            if (const auto e = proc.drain().start(cmd.drain_grace())) return {spawn_stage::thread, e};
        }
        cleanup.handed_over();
        return {};
    }

    /// The message for a failed spawn: what happened, to what, and the remedy.
    static failure describe(const command& cmd, const std::string& path, const spawn_failure& sf) {
        const std::string prog = printable(cmd.program());
        const std::error_code& os = sf.os;
        const bool win = os.category() == std::system_category();
        const int e = os.value();
        const std::string os_text = os.message();
        const std::string shown = "'" + printable(path) + "'";
        // `finding`: the id preflight() gives the same cause (launch_error::findings()).
        auto make = [&](errc code, std::string what, std::string remedy, const char* finding = nullptr) {
            failure f = make_failure(code, prog, std::move(what), std::move(remedy), path, os);
            if (finding != nullptr) f.findings.emplace_back(finding);
            return f;
        };
        // One of the causes preflight() knows (causes.hpp): its id and its remedy.
        auto because = [&](errc code, std::string what, const cause& c) {
            return make(code, std::move(what), c.remedy, c.id);
        };
        const std::string resource_remedy = "close handles or processes, or free memory";
        const bool not_found = os == std::errc::no_such_file_or_directory ||
                               (win && (e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND));
        const bool denied = os == std::errc::permission_denied || (win && e == ERROR_ACCESS_DENIED);
        switch (sf.stage) {
        case spawn_stage::redirect_stdin:
        case spawn_stage::redirect_stdout:
        case spawn_stage::redirect_stderr:
        case spawn_stage::pipes:
        case spawn_stage::fork:
        case spawn_stage::thread:
            return *describe_common_stage(cmd, path, sf, is_windows_resource_error(os), resource_remedy,
                                          "cannot prepare the process");
        case spawn_stage::unsupported:
        case spawn_stage::session:  // the child's process state: refused before spawn (refuse_unsupported)
        case spawn_stage::limit:
        case spawn_stage::pass_fd:
        case spawn_stage::groups:
        case spawn_stage::group_id:
        case spawn_stage::user_id: return make(errc::unsupported, "not supported on Windows", "");
        case spawn_stage::arguments:
            return make(
                errc::invalid_argument, sf.detail, "pass such data through stdin or a file instead (nothing was run)",
                sf.os == std::errc::argument_list_too_long ? causes::arguments_too_long.id : causes::invalid_argument);
        case spawn_stage::chdir: {
            const std::string dir = "working directory '" + printable(*cmd.cwd()) + "'";
            const std::string remedy = causes::working_directory_missing.remedy;
            const char* const wd = causes::working_directory_missing.id;
            const std::size_t length = cwd_length(to_wide_or_empty(*cmd.cwd()));
            if (win && e == ERROR_FILENAME_EXCED_RANGE && length > windows_max_cwd)
                return make(errc::bad_working_directory,
                            dir + " is " + std::to_string(length) +
                                " characters long; CreateProcessW takes a working directory of at most " +
                                std::to_string(windows_max_cwd) + " (MAX_PATH, 260, less a backslash and the NUL)",
                            "pass a shorter path to the same directory (a drive letter from subst, or a directory "
                            "junction), or start the child in a shorter one",
                            wd);
            if (not_found) return make(errc::bad_working_directory, dir + " does not exist", remedy, wd);
            if (win && e == ERROR_DIRECTORY)
                return make(errc::bad_working_directory, dir + " is not a directory", remedy, wd);
            if (denied)
                return make(errc::bad_working_directory, dir + " cannot be entered (access denied)",
                            "give this user access to it", wd);
            return make(errc::bad_working_directory, dir + ": " + os_text, remedy, wd);
        }
        case spawn_stage::setup:
            return make(
                is_windows_resource_error(os) ? errc::resource_exhausted : errc::unsupported,
                "cannot put the child in a job object (for new_process_group() or kill_on_parent_exit()): " + os_text,
                "this process may be in a job that forbids nested jobs (Windows before 8) or breakaway");
        case spawn_stage::exec:
        case spawn_stage::none: break;
        }
        // CreateProcessW
        if (probe_file(path).directory)  // Windows says access denied, wine invalid handle
            return because(errc::not_executable, shown + " is a directory", causes::is_directory);
        if (is_windows_resource_error(os))
            return make(errc::resource_exhausted, "cannot run " + shown + ": " + os_text, resource_remedy);
        // liftoff found the program before CreateProcessW refused it: say so, and why if known.
        const bool exists = probe_file(path).exists;
        const std::size_t length = wide_length(path);
        if (exists && length >= MAX_PATH)
            return make(errc::invalid_argument,
                        shown + " exists, but its path is " + std::to_string(length) +
                            " characters long and CreateProcessW takes at most " + std::to_string(MAX_PATH - 1) +
                            " (MAX_PATH) here (" + os_text + ")",
                        "move it to a shorter path, or give it as a \\\\?\\-prefixed path or from a long-path "
                        "aware process (Windows 10 1607 and later, LongPathsEnabled)");
        if (not_found && !exists) return because(errc::program_not_found, shown + " does not exist", causes::not_found);
        if (denied)
            return make(errc::not_executable, "access denied running " + shown,
                        "check the file's permissions and that it is not blocked", causes::not_executable);
        if (win) {
            switch (e) {
            case ERROR_BAD_EXE_FORMAT:
            case ERROR_EXE_MACHINE_TYPE_MISMATCH:
            case ERROR_INVALID_EXE_SIGNATURE:
            case ERROR_BAD_FORMAT:
            case ERROR_EXE_MARKED_INVALID: {
                // Named as preflight() names it: a known format of another system, or none known.
                const binary_format fmt = sniff_binary(inspect_program_file(path).head);
                const bool known = fmt.what != binary_format::kind::unknown && fmt.what != binary_format::kind::empty &&
                                   !runs_format(path, fmt);
                if (known || e == ERROR_EXE_MACHINE_TYPE_MISMATCH)
                    return because(errc::exec_format_error,
                                   shown + " is " + (known ? fmt.description : std::string("a program")) +
                                       " for another machine, not " + native_format_name() + " (" + os_text + ")",
                                   causes::wrong_architecture);
                return make(errc::exec_format_error, shown + " is not a program Windows can run (" + os_text + ")",
                            "run an .exe, .com, .bat or .cmd, or use a build for this system", causes::exec_format.id);
            }
            case ERROR_FILENAME_EXCED_RANGE:
                return because(errc::invalid_argument,
                               "its command line or path is too long for Windows (" + os_text + ")",
                               causes::arguments_too_long);
            case 740:  // ERROR_ELEVATION_REQUIRED (not in every SDK's headers)
                return make(errc::not_executable, shown + " must run as administrator (it asks for elevation)",
                            "run this process elevated, or start it through ShellExecuteExW with \"runas\"");
            case ERROR_ACCESS_DISABLED_BY_POLICY:
                return make(errc::not_executable, shown + " is blocked by group policy", "ask an administrator");
            case 225:  // ERROR_VIRUS_INFECTED
            case 226:  // ERROR_VIRUS_DELETED
                return make(errc::not_executable, shown + " was blocked by the antivirus", "check the antivirus log");
            case ERROR_SHARING_VIOLATION:
                return make(errc::not_executable, shown + " is open for writing by another process",
                            "wait until the writer has closed it");
            default: break;
            }
        }
        if (!exists) return make(errc::program_not_found, "cannot run " + shown + ": " + os_text, "check the path");
        // An error liftoff has no words for: the program is there, so never "not found".
        return make(
            errc::not_executable,
            shown + " exists, but Windows could not start it: " + os_text + " (error " + std::to_string(e) + ")",
            "see the Windows error; if it is passing (ERROR_INTERNAL_ERROR while the system is loaded), try "
            "again");
    }

private:
    /// An inheritable copy of this process's stdin/stdout/stderr (empty when it has none).
    static unique_handle inherit_std(DWORD which) {
        HANDLE h = ::GetStdHandle(which);
        if (h == nullptr || h == INVALID_HANDLE_VALUE) return {};
        HANDLE copy = nullptr;
        if (!::DuplicateHandle(::GetCurrentProcess(), h, ::GetCurrentProcess(), &copy, 0, TRUE, DUPLICATE_SAME_ACCESS))
            return {};
        return unique_handle(copy);
    }

    static unique_handle open_file(const std::string& path, DWORD access, DWORD disposition) {
        std::wstring wide;
        if (!to_wide(path, wide)) {
            ::SetLastError(ERROR_INVALID_NAME);
            return {};
        }
        SECURITY_ATTRIBUTES inherit{sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE};
        return unique_handle(::CreateFileW(wide.c_str(), access, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                                           &inherit, disposition, FILE_ATTRIBUTE_NORMAL, nullptr));
    }

    /// An inheritable duplicate of the caller's HANDLE (io::handle()); the caller keeps its own.
    static unique_handle duplicate_inheritable(void* h) {
        HANDLE copy = nullptr;
        if (!::DuplicateHandle(::GetCurrentProcess(), static_cast<HANDLE>(h), ::GetCurrentProcess(), &copy, 0, TRUE,
                               DUPLICATE_SAME_ACCESS))
            return {};
        return unique_handle(copy);
    }

    static spawn_failure open_input(const io::source& in, unique_handle& child, unique_handle& parent) {
        switch (in.what()) {
        case io::kind::handle:
            child = duplicate_inheritable(in.native_handle());
            if (!child) return {spawn_stage::redirect_stdin, last_error()};
            break;
        case io::kind::null:
            child = open_file("NUL", GENERIC_READ, OPEN_EXISTING);
            if (!child) return {spawn_stage::pipes, last_error()};
            break;
        case io::kind::file:
            child = open_file(in.path(), GENERIC_READ, OPEN_EXISTING);
            if (!child) return {spawn_stage::redirect_stdin, last_error()};
            break;
        case io::kind::text:
        case io::kind::pipe:
            if (auto e = make_child_pipe(true, in.what() == io::kind::text, parent, child))
                return {spawn_stage::pipes, e};
            break;
        default: child = inherit_std(STD_INPUT_HANDLE); break;
        }
        return {};
    }

    static spawn_failure open_output(const io::sink& out, spawn_stage stage, int stream, unique_handle& child,
                                     unique_handle& parent) {
        switch (out.what()) {
        case io::kind::handle:
            child = duplicate_inheritable(out.native_handle());
            if (!child) return {stage, last_error()};
            break;
        case io::kind::null:
            child = open_file("NUL", GENERIC_WRITE, OPEN_EXISTING);
            if (!child) return {spawn_stage::pipes, last_error()};
            break;
        case io::kind::file:
            child = open_file(out.path(), GENERIC_WRITE, CREATE_ALWAYS);
            if (!child) return {stage, last_error()};
            break;
        case io::kind::append:
            child = open_file(out.path(), FILE_APPEND_DATA | SYNCHRONIZE, OPEN_ALWAYS);
            if (!child) return {stage, last_error()};
            break;
        case io::kind::capture:
        case io::kind::lines:
        case io::kind::pipe:  // the caller reads it (child::read_line), overlapped as the drain's are
            if (auto e = make_child_pipe(false, true, parent, child)) return {spawn_stage::pipes, e};
            break;
        default: child = inherit_std(stream == 1 ? STD_OUTPUT_HANDLE : STD_ERROR_HANDLE); break;
        }
        return {};
    }
};

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
