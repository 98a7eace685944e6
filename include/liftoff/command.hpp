// liftoff/command.hpp: what to run (command), where its streams go (io::), and on_destroy.
// Pure values: building a command touches no OS state.
// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>            // timeouts
#include <cstddef>           // std::size_t
#include <cstdint>           // std::int64_t pids in trace events
#include <filesystem>        // path overloads
#include <functional>        // io::lines callbacks, trace callbacks
#include <initializer_list>  // args({...})
#include <memory>            // shared text for io::text
#include <optional>          // unset stream specs and policies
#include <string>
#include <string_view>
#include <system_error>  // trace_event::error
#include <utility>
#include <vector>

#include "exit_status.hpp"

namespace liftoff {
inline namespace v0 {

/// A file system path as liftoff takes it, the same on every OS: a `const char*`, a `std::string`
/// or a `std::string_view` (UTF-8; on POSIX any bytes) or a `std::filesystem::path`.
class path_arg {
public:
    /// A NUL-terminated path (UTF-8; on POSIX any bytes).
    path_arg(const char* p) : text_(p) {}  // NOLINT: implicit on purpose
    /// Takes the string as it is (UTF-8; on POSIX any bytes).
    path_arg(std::string p) : text_(std::move(p)) {}  // NOLINT
    /// Copies the view's characters (UTF-8; on POSIX any bytes).
    path_arg(std::string_view p) : text_(p) {}  // NOLINT
    /// Converts the path to UTF-8 (its u8string()).
    path_arg(const std::filesystem::path& p) : text_(utf8(p)) {}  // NOLINT
    /// The path as UTF-8 (bytes on POSIX).
    const std::string& str() const noexcept { return text_; }

    /// `p` as UTF-8 in a std::string, in C++17 and in C++20 (where u8string() is a u8string).
    static std::string utf8(const std::filesystem::path& p) {
        const auto u8 = p.u8string();
        return std::string(u8.begin(), u8.end());
    }

private:
    std::string text_;
};

/// What a child's destructor does when the child is still running.
enum class on_destroy {
    wait,       ///< wait for the child to end (its streams finished)
    terminate,  ///< stop it politely, kill it after the grace, and reap it (launch()'s default)
    kill,       ///< kill it at once and reap it
    release,    ///< leave it running, unowned, as child::release() does
};

namespace io {

/// Which kind of stream spec a stream, source or sink is (what() says).
enum class kind : unsigned char {
    inherit,  ///< io::inherit(): the parent's stream
    null,     ///< io::null(): the null device
    capture,  ///< io::capture(): drained into memory
    lines,    ///< io::lines(): handed to a callback line by line
    file,     ///< io::file(): a file, read or created/truncated
    append,   ///< io::append(): a file appended to
    text,     ///< io::text(): a string written to stdin
    pipe,     ///< io::pipe(): stdin written with child::write_stdin(), or output the caller reads
    merge,    ///< io::merge(): stderr goes where stdout goes
    // Descriptors the caller already has (issue 14).
    fd,      ///< io::fd(): a duplicate of an open descriptor of this process (POSIX)
    handle,  ///< io::handle(): a duplicate of a HANDLE of this process (Windows)
};

class source;
class sink;

/// A spec usable on either side: inherit(), null(), file(path), pipe().
class stream {
public:
    /// Which spec this is: kind::inherit, kind::null, kind::file or kind::pipe.
    kind what() const noexcept { return kind_; }
    /// The file's path for kind::file (UTF-8), "" otherwise.
    const std::string& path() const noexcept { return path_; }
    /// The descriptor for kind::fd, -1 otherwise.
    int descriptor() const noexcept { return kind_ == kind::fd ? static_cast<int>(native_) : -1; }
    /// The HANDLE for kind::handle, nullptr otherwise.
    void* native_handle() const noexcept {
        return kind_ == kind::handle ? reinterpret_cast<void*>(native_) : nullptr;  // NOLINT: a HANDLE's bits
    }

private:
    friend stream inherit();
    friend stream null();
    friend stream file(const path_arg&);
    friend stream pipe();
    friend stream fd(int);
    friend stream handle(void*);
    friend class source;
    friend class sink;
    stream(kind k, std::string p, std::intptr_t n = 0) : kind_(k), path_(std::move(p)), native_(n) {}
    kind kind_;
    std::string path_;
    std::intptr_t native_;  ///< io::fd()'s descriptor or io::handle()'s HANDLE
};

/// Where a child's stdin comes from.
class source {
public:
    /// Reads stdin from io::inherit(), io::null(), io::file(path), io::pipe(), io::fd() or io::handle().
    source(const stream& s) : kind_(s.kind_), path_(s.path_), native_(s) {}  // NOLINT: inherit/null/file/pipe/fd read
    /// Which spec this is: inherit, null, file, text or pipe.
    kind what() const noexcept { return kind_; }
    /// The file's path for kind::file (UTF-8), "" otherwise.
    const std::string& path() const noexcept { return path_; }
    /// The bytes to write for kind::text (shared by copies of the command), null otherwise.
    const std::shared_ptr<const std::string>& text() const noexcept { return text_; }
    /// The descriptor for kind::fd, -1 otherwise.
    int descriptor() const noexcept { return native_.descriptor(); }
    /// The HANDLE for kind::handle, nullptr otherwise.
    void* native_handle() const noexcept { return native_.native_handle(); }

private:
    friend source text(std::string);
    source(kind k, std::shared_ptr<const std::string> t) : kind_(k), text_(std::move(t)) {}
    kind kind_;
    std::string path_;
    std::shared_ptr<const std::string> text_;
    stream native_{kind::inherit, {}};  ///< io::fd()/io::handle(): what to duplicate
};

/// Where a child's stdout or stderr goes.
class sink {
public:
    /// Writes to io::inherit(), io::null(), io::file(path), io::pipe(), io::fd() or io::handle().
    sink(const stream& s) : kind_(s.kind_), path_(s.path_), native_(s) {}  // NOLINT: inherit/null/file/pipe/fd write
    /// Which spec this is: inherit, null, file, capture, lines, append, merge, pipe, fd or handle.
    kind what() const noexcept { return kind_; }
    /// The file's path for kind::file and kind::append (UTF-8), "" otherwise.
    const std::string& path() const noexcept { return path_; }
    /// The byte limit for kind::capture, 0 otherwise.
    std::size_t limit() const noexcept { return limit_; }
    /// The callback for kind::lines, empty otherwise.
    const std::function<void(std::string_view)>& on_line() const noexcept { return on_line_; }
    /// The descriptor for kind::fd, -1 otherwise.
    int descriptor() const noexcept { return native_.descriptor(); }
    /// The HANDLE for kind::handle, nullptr otherwise.
    void* native_handle() const noexcept { return native_.native_handle(); }

private:
    friend sink capture(std::size_t);
    friend sink lines(std::function<void(std::string_view)>);
    friend sink append(const path_arg&);
    friend sink merge();
    explicit sink(kind k) : kind_(k) {}
    kind kind_;
    std::string path_;
    std::size_t limit_ = 0;
    std::function<void(std::string_view)> on_line_;
    stream native_{kind::inherit, {}};  ///< io::fd()/io::handle(): what to duplicate
};

/// Share the parent's stream (the default for launch()).
inline stream inherit() {
    return {kind::inherit, {}};
}
/// /dev/null (NUL on Windows).
inline stream null() {
    return {kind::null, {}};
}
/// Read stdin from a file, or write stdout/stderr to it (created or truncated).
inline stream file(const path_arg& path) {
    return {kind::file, path.str()};
}

// Descriptors the caller already has (issue 14).
/// The child's stream is a duplicate of this process's open descriptor `descriptor` (a socket,
/// a pipe, a tty, a file), for stdin_from(), stdout_to() or stderr_to(); the parent keeps its
/// own, open, and nothing of liftoff reads or writes it. POSIX; errc::unsupported on Windows
/// (use io::handle()). errc::invalid_argument before anything runs if it is not open.
inline stream fd(int descriptor) {
    return {kind::fd, {}, descriptor};
}
/// The child's stream is an inheritable duplicate of this process's HANDLE `h` (a pipe, a file,
/// a console), for stdin_from(), stdout_to() or stderr_to(); the parent keeps its own. Windows;
/// errc::unsupported on POSIX (use io::fd()). errc::invalid_argument before anything runs if it
/// is null or INVALID_HANDLE_VALUE.
inline stream handle(void* h) {
    return {kind::handle, {}, reinterpret_cast<std::intptr_t>(h)};  // NOLINT: a HANDLE's bits
}

/// Drained into memory by liftoff's event loop; bytes past `limit` are read and dropped and
/// the stream is marked truncated. The child is never blocked by a full pipe.
inline sink capture(std::size_t limit = std::size_t{64} << 20) {
    sink s(kind::capture);
    s.limit_ = limit;
    return s;
}
/// Each line (without its newline) is handed to `callback` on a thread of liftoff's event loop
/// as it arrives; an unterminated last line is handed over at the end. One child's callbacks
/// never run at the same time; a callback may block (it holds up its own child only). An
/// exception the callback throws stops the callbacks and is rethrown by wait()/run().
inline sink lines(std::function<void(std::string_view)> callback) {
    sink s(kind::lines);
    s.on_line_ = std::move(callback);
    return s;
}
/// Append stdout/stderr to a file (created if missing).
inline sink append(const path_arg& path) {
    sink s(kind::append);
    s.path_ = path.str();
    return s;
}
/// stderr only: goes wherever stdout goes.
inline sink merge() {
    return sink(kind::merge);
}

/// Written to the child's stdin by liftoff's event loop, then closed.
inline source text(std::string data) {
    return source(kind::text, std::make_shared<const std::string>(std::move(data)));
}
/// A pipe the caller serves, for either side. stdin_from(io::pipe()): the caller writes with
/// child::write_stdin() and ends with child::close_stdin(). stdout_to(io::pipe()),
/// stderr_to(io::pipe()) (launch() only; run() refuses them): nothing drains the stream, the
/// caller reads it with child::read_line() or child::read_some(). A child that fills such a pipe
/// (64 KiB on Linux) blocks until the caller reads, and so does a wait() for it meanwhile: read
/// with a timeout, or on another thread, while it runs.
inline stream pipe() {
    return {kind::pipe, {}};
}

}  // namespace io

/// How long a polite stop waits before it kills: the default of command::timeout()'s grace, of
/// child::terminate() and of the destructor's on_destroy::terminate.
constexpr std::chrono::seconds default_grace{2};

/// What a trace callback is told, in this order for one launch.
enum class trace_kind {
    resolved,      ///< the program was resolved to a path
    spawned,       ///< the child started
    spawn_failed,  ///< it could not start
    signal_sent,   ///< a stop or kill was sent to it
    exited,        ///< it ended and was reaped
};

/// One event a command's trace callback receives; which fields are set depends on `kind`.
struct trace_event {
    trace_kind kind{};                   ///< what happened
    std::string program;                 ///< as given to command
    std::string path;                    ///< the resolved path (resolved and after)
    std::int64_t pid = 0;                ///< spawned, signal_sent, exited
    std::error_code error;               ///< spawn_failed
    std::string message;                 ///< spawn_failed: the full message
    int signal = 0;                      ///< signal_sent: the signal (POSIX) or a platform code (Windows)
    exit_status status;                  ///< exited
    std::chrono::nanoseconds elapsed{};  ///< exited: since the launch began
};

// The child's process state (issue 14): what command::pass_fd(), limit() and credentials() hold.
/// One descriptor passed to the child by command::pass_fd().
struct passed_fd {
    int parent_fd = -1;  ///< open in this process
    int child_fd = -1;   ///< the number the child sees it as (>= 3)
};
/// One resource limit set in the child by command::limit().
struct resource_limit {
    int resource = 0;        ///< RLIMIT_NOFILE, RLIMIT_CORE, ... (<sys/resource.h>)
    std::uint64_t soft = 0;  ///< the soft limit; RLIM_INFINITY for none
    std::uint64_t hard = 0;  ///< the hard limit; RLIM_INFINITY for none
};
/// The user and groups a child runs as, set by command::credentials().
struct process_credentials {
    std::uint32_t uid = 0;              ///< its real, effective and saved user id
    std::uint32_t gid = 0;              ///< its real, effective and saved group id
    std::vector<std::uint32_t> groups;  ///< its supplementary groups (empty: none)
};

/// A program, its arguments and how to start it. A value: copying it is cheap apart from the
/// strings, and building it never touches the OS.
class command {
public:
    /// What trace() takes: called once for each trace_event of a launch.
    using trace_callback = std::function<void(const trace_event&)>;

    /// A program name without a directory separator is looked up in the PATH the child will get;
    /// anything else is a path, made absolute against the current directory at launch.
    command(std::string program, std::vector<std::string> args = {})  // NOLINT: implicit on purpose
        : program_(std::move(program)), args_(std::move(args)) {}
    /// As command(std::string, args).
    command(const char* program, std::vector<std::string> args = {})  // NOLINT
        : program_(program), args_(std::move(args)) {}
    /// As command(std::string, args) (a string_view would otherwise become a path, through the
    /// Windows code page).
    command(std::string_view program, std::vector<std::string> args = {})  // NOLINT
        : program_(program), args_(std::move(args)) {}
    /// As command(std::string, args), with the path as UTF-8.
    command(const std::filesystem::path& program, std::vector<std::string> args = {})  // NOLINT
        : program_(path_arg(program).str()), args_(std::move(args)) {}

    /// Appends one argument.
    command& arg(std::string a) {
        args_.push_back(std::move(a));
        return *this;
    }
    /// Appends these arguments, in order.
    command& args(const std::vector<std::string>& more) {
        args_.insert(args_.end(), more.begin(), more.end());
        return *this;
    }
    /// Appends these arguments, in order: `args({"-n", "3"})`.
    command& args(std::initializer_list<std::string> more) {
        args_.insert(args_.end(), more.begin(), more.end());
        return *this;
    }

    /// The child's working directory (UTF-8). Checked at launch: a bad one is
    /// errc::bad_working_directory, never reported as a missing program.
    command& cwd(const path_arg& dir) {
        cwd_ = dir.str();
        return *this;
    }

    /// Set (or override) one variable for the child.
    command& env(std::string name, std::string value) {
        set_env(std::move(name), std::optional<std::string>(std::move(value)));
        return *this;
    }
    /// Remove one variable from the child's environment.
    command& env_remove(std::string name) {
        set_env(std::move(name), std::nullopt);
        return *this;
    }
    /// Start the child from an empty environment; env() calls after this one add to it.
    command& env_clear() {
        env_cleared_ = true;
        env_changes_.clear();
        return *this;
    }

    /// Where the child's stdin comes from (launch(): inherited; run(): the null device).
    command& stdin_from(io::source s) {
        stdin_ = std::move(s);
        return *this;
    }
    /// Where the child's stdout goes (launch(): inherited; run(): captured).
    command& stdout_to(io::sink s) {
        stdout_ = std::move(s);
        return *this;
    }
    /// Where the child's stderr goes (launch(): inherited; run(): captured); io::merge() joins stdout.
    command& stderr_to(io::sink s) {
        stderr_ = std::move(s);
        return *this;
    }

    /// run()/wait() terminate the child after `limit` (polite stop, then a kill after `grace`).
    command& timeout(std::chrono::nanoseconds limit, std::chrono::nanoseconds grace = default_grace) {
        timeout_ = limit;
        grace_ = grace;
        return *this;
    }
    /// What the child handle's destructor does to a child still running (default: terminate).
    command& on_destroy(liftoff::on_destroy policy) {
        on_destroy_ = policy;
        return *this;
    }
    /// The child leads a new process group (POSIX) or job (Windows): terminate()/kill() reach its
    /// whole tree.
    command& new_process_group(bool yes = true) {
        new_group_ = yes;
        return *this;
    }
    /// The child is killed when this process dies, however it dies (Linux, Windows; see README).
    command& kill_on_parent_exit(bool yes = true) {
        kill_on_parent_exit_ = yes;
        return *this;
    }
    /// After the child exits, keep draining a pipe a grandchild still holds for this long, then
    /// stop (keeping what arrived). Default 250 ms.
    command& drain_grace(std::chrono::milliseconds grace) {
        drain_grace_ = grace;
        return *this;
    }
    /// Receive trace events (resolved, spawned, spawn_failed, signal_sent, exited).
    command& trace(trace_callback callback) {
        trace_ = std::move(callback);
        return *this;
    }

    // The child's process state (issue 14). Each is applied in the child between its creation and
    // exec; what the OS refuses there fails the launch with the step named ("cannot set the
    // limit RLIMIT_NOFILE to 64: ..."), and nothing runs. Where an OS cannot do one at all, the
    // launch fails with errc::unsupported before anything runs.
    /// argv[0] as the child sees it (POSIX), or the first token of its command line (Windows;
    /// not for a .bat/.cmd script, which cmd.exe runs by its path); the program run, and what
    /// errors and diagnose() name, stay the one resolved from program(). Every OS.
    command& arg0(std::string name) {
        arg0_ = std::move(name);
        return *this;
    }
    /// The child also gets this process's open descriptor `parent_fd` as its `child_fd` (>= 3;
    /// the parent keeps its own). POSIX (clone and posix_spawn alike); errc::unsupported on
    /// Windows. errc::invalid_argument before anything runs if `child_fd` < 3, is given twice,
    /// or `parent_fd` is not open.
    command& pass_fd(int parent_fd, int child_fd) {
        passed_fds_.push_back(passed_fd{parent_fd, child_fd});
        return *this;
    }
    /// The child's file mode creation mask (as umask(2), e.g. 0077). Linux; errc::unsupported
    /// on macOS, the BSDs (posix_spawn cannot set it) and Windows.
    command& umask(unsigned mode) {
        umask_ = mode;
        return *this;
    }
    /// The child leads a new session (setsid(2)): its own session and process group, no
    /// controlling terminal; terminate()/kill() reach its group. Linux; macOS and the BSDs
    /// where posix_spawn has POSIX_SPAWN_SETSID (glibc 2.26, macOS 10.15, FreeBSD 14), else
    /// errc::unsupported; errc::unsupported on Windows.
    command& new_session(bool yes = true) {
        new_session_ = yes;
        return *this;
    }
    /// setrlimit(2) in the child: `resource` is RLIMIT_NOFILE, RLIMIT_CORE ... (RLIM_INFINITY
    /// for no limit); a later call for the same resource replaces it. Linux; errc::unsupported
    /// on macOS, the BSDs and Windows. errc::invalid_argument before anything runs if `soft` >
    /// `hard`; the OS refusing it (a hard limit raised without privilege: EPERM) is
    /// errc::invalid_argument naming the limit.
    command& limit(int resource, std::uint64_t soft, std::uint64_t hard) {
        for (auto& l : limits_)
            if (l.resource == resource) {
                l.soft = soft;
                l.hard = hard;
                return *this;
            }
        limits_.push_back(resource_limit{resource, soft, hard});
        return *this;
    }
    /// Run the child as user `uid`, group `gid` with the supplementary `groups` (setgroups,
    /// setgid, setuid in the child, last before exec), where this process may (root, or
    /// CAP_SETUID and CAP_SETGID; a list equal to this process's own groups is not set again).
    /// Linux; errc::unsupported on macOS, the BSDs and Windows. The OS refusing it (EPERM) is
    /// errc::invalid_argument naming the id it could not take.
    command& credentials(std::uint32_t uid, std::uint32_t gid, std::vector<std::uint32_t> groups) {
        credentials_ = process_credentials{uid, gid, std::move(groups)};
        return *this;
    }

    // Reading a command back (open_plan::launch, a trace): each getter is named like its
    // setter, but for the flags, whose setters take an optional bool: env_cleared(),
    // process_group(), dies_with_parent(), session_leader(); and the lists, named for what they
    // hold: arguments(), passed_fds(), limits().
    /// The program as given to the constructor.
    const std::string& program() const noexcept { return program_; }
    /// The arguments, without the program.
    const std::vector<std::string>& arguments() const noexcept { return args_; }
    /// The working directory set by cwd(dir), or nullopt (the parent's).
    const std::optional<std::string>& cwd() const noexcept { return cwd_; }
    /// True after env_clear(): the child starts from an empty environment.
    bool env_cleared() const noexcept { return env_cleared_; }
    /// Variable changes in order of first mention: a value to set, or nullopt to remove.
    const std::vector<std::pair<std::string, std::optional<std::string>>>& env_changes() const noexcept {
        return env_changes_;
    }
    /// The stdin spec set by stdin_from(s), or nullopt (launch() and run() choose).
    const std::optional<io::source>& stdin_from() const noexcept { return stdin_; }
    /// The stdout spec set by stdout_to(s), or nullopt (launch() and run() choose).
    const std::optional<io::sink>& stdout_to() const noexcept { return stdout_; }
    /// The stderr spec set by stderr_to(s), or nullopt (launch() and run() choose).
    const std::optional<io::sink>& stderr_to() const noexcept { return stderr_; }
    /// The limit set by timeout(), or nullopt (no timeout).
    const std::optional<std::chrono::nanoseconds>& timeout() const noexcept { return timeout_; }
    /// The grace set by timeout() (default_grace unless given).
    std::chrono::nanoseconds timeout_grace() const noexcept { return grace_; }
    /// The policy set by on_destroy(policy), or nullopt (the launcher's default).
    const std::optional<liftoff::on_destroy>& on_destroy() const noexcept { return on_destroy_; }
    /// True after new_process_group(): the child leads its own group or job.
    bool process_group() const noexcept { return new_group_; }
    /// True after kill_on_parent_exit(): the child dies with this process.
    bool dies_with_parent() const noexcept { return kill_on_parent_exit_; }
    /// The grace set by drain_grace() (250 ms unless set).
    std::chrono::milliseconds drain_grace() const noexcept { return drain_grace_; }
    /// The callback set by trace(), or an empty one.
    const trace_callback& trace() const noexcept { return trace_; }
    /// argv[0] set by arg0(name), or nullopt (the program as given).
    const std::optional<std::string>& arg0() const noexcept { return arg0_; }
    /// The descriptors given by pass_fd(), in order (a list, as arguments() is to arg()).
    const std::vector<passed_fd>& passed_fds() const noexcept { return passed_fds_; }
    /// The mask set by umask(mode), or nullopt (the parent's).
    const std::optional<unsigned>& umask() const noexcept { return umask_; }
    /// True after new_session(): the child leads a new session.
    bool session_leader() const noexcept { return new_session_; }
    /// The limits set by limit(), one per resource, in order of first mention.
    const std::vector<resource_limit>& limits() const noexcept { return limits_; }
    /// The user and groups set by credentials(), or nullopt (this process's).
    const std::optional<process_credentials>& credentials() const noexcept { return credentials_; }

private:
    void set_env(std::string name, std::optional<std::string> value) {
        for (auto& change : env_changes_) {
            if (change.first == name) {
                change.second = std::move(value);
                return;
            }
        }
        env_changes_.emplace_back(std::move(name), std::move(value));
    }

    std::string program_;
    std::vector<std::string> args_;
    std::optional<std::string> cwd_;
    bool env_cleared_ = false;
    std::vector<std::pair<std::string, std::optional<std::string>>> env_changes_;
    std::optional<io::source> stdin_;
    std::optional<io::sink> stdout_;
    std::optional<io::sink> stderr_;
    std::optional<std::chrono::nanoseconds> timeout_;
    std::chrono::nanoseconds grace_ = default_grace;
    std::optional<liftoff::on_destroy> on_destroy_;
    bool new_group_ = false;
    bool kill_on_parent_exit_ = false;
    std::chrono::milliseconds drain_grace_{250};
    trace_callback trace_;
    // The child's process state (issue 14).
    std::optional<std::string> arg0_;
    std::vector<passed_fd> passed_fds_;
    std::optional<unsigned> umask_;
    bool new_session_ = false;
    std::vector<resource_limit> limits_;
    std::optional<process_credentials> credentials_;
};

}  // namespace v0
}  // namespace liftoff
