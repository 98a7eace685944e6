// liftoff/platform/posix/platform.hpp: the POSIX platform: streams set up as descriptors, a
// spawner (clone on Linux, posix_spawn elsewhere), and the words for each way it can fail.
// SPDX-License-Identifier: MIT
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <cstdint>
#include <cstdio>   // snprintf for a mode in octal
#include <cstdlib>  // atoll
#include <string>
#include <vector>

#include "../../detail/launch_spec.hpp"
#include "../../detail/binary_format.hpp"
#include "../../detail/causes.hpp"
#include "../../detail/failure.hpp"
#include "../../error.hpp"
#include "fd.hpp"
#include "inspect.hpp"
#include "os.hpp"
#include "process.hpp"
#include "event_loop.hpp"
#include "spawn_request.hpp"
#include "system.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

/// Facts about a file that explain why exec refused it (read only after a failure).
struct posix_exec_facts {
    static std::string interpreter(const std::string& path) {
        unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
        if (!fd) return {};
        char buf[256];
        const ssize_t n = retry_eintr([&] { return ::read(fd.get(), buf, sizeof buf); });
        if (n < 3 || buf[0] != '#' || buf[1] != '!') return {};
        std::string line(buf + 2, static_cast<std::size_t>(n) - 2);
        line = line.substr(0, line.find('\n'));
        const auto first = line.find_first_not_of(" \t");
        if (first == std::string::npos) return {};
        line = line.substr(first);
        return line.substr(0, line.find_first_of(" \t"));
    }
    static bool elf(const std::string& path) {
        unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
        char magic[4] = {};
        return fd && ::read(fd.get(), magic, 4) == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' &&
               magic[3] == 'F';
    }
    static std::string mode(const std::string& path) {
        struct stat st;
        if (::stat(path.c_str(), &st) != 0) return {};
        char buf[16];
        std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(st.st_mode & 07777));
        return buf;
    }
    static bool noexec_mount(const std::string& path) { return on_noexec_mount(path.c_str()); }
};

inline bool is_resource_error(int e) noexcept {
    return e == EMFILE || e == ENFILE || e == EAGAIN || e == ENOMEM || e == ENOSPC;
}

/// The remedy for a resource error: the limit behind that errno, not a list to guess from.
/// (Also the words for the rare errors of those stages that are not about resources.)
inline std::string posix_resource_remedy(int e) {
    switch (e) {
    case EMFILE: return "raise the limit on open descriptors (ulimit -n), or close some";
    case ENFILE: return "the system's file table is full: close files, or raise fs.file-max";
    case EAGAIN: return "raise the limit on processes and threads (ulimit -u), or end some";
    case ENOMEM: return "free memory, or raise the address-space limit (ulimit -v)";
    case ENOSPC: return "free memory or disk space";
    default: return "check this process's limits (ulimit -a) and any sandbox or security policy";
    }
}

template <class Spawner>
struct posix_family : posix_system, posix_inspect {
    using process = posix_process;
    using pid_type = pid_t;
    static constexpr bool supports_kill_on_parent_exit = Spawner::supports_die_with_parent;

    /// The child's process state this spawner cannot set (umask, limits, credentials, a new
    /// session with posix_spawn), refused before anything runs; empty if it can set them all.
    static failure refuse_unsupported(const command& cmd) {
        if (const char* stream = stream_of_kind(cmd, io::kind::handle))
            return make_failure(errc::unsupported, printable(cmd.program()),
                                std::string("io::handle() for its ") + stream +
                                    " is Windows only: POSIX has descriptors, not HANDLEs (nothing was run)",
                                "use io::fd() with the descriptor");
        const char* feature = nullptr;
        if (cmd.umask() && !Spawner::supports_umask)
            feature = "umask()";
        else if (!cmd.limits().empty() && !Spawner::supports_limits)
            feature = "limit()";
        else if (cmd.credentials() && !Spawner::supports_credentials)
            feature = "credentials()";
        else if (cmd.session_leader() && !Spawner::supports_new_session)
            feature = "new_session()";
        if (feature == nullptr) return {};
        spawn_failure sf{spawn_stage::unsupported, std::make_error_code(std::errc::not_supported)};
        sf.detail = feature;
        return describe(cmd, std::string(), sf);
    }

    /// Sets up the streams, spawns, and hands the running child to `proc`.
    static spawn_failure spawn(const launch_spec& spec, process& proc) {
        event_loop::retry_if_pending();      // a loop that could not start earlier
        unique_fd child_side[3];             // what the child gets as 0, 1, 2
        unique_fd parent_side[3];            // our ends of its pipes
        int inherit_from[3] = {-1, -1, -1};  // a parent stream the child shares instead

        if (auto f = open_input(spec.in, child_side[0], parent_side[0])) return f;
        if (auto f = open_output(spec.out, spawn_stage::redirect_stdout, child_side[1], parent_side[1])) return f;
        if (spec.err.what() == io::kind::merge) {
            if (child_side[1])
                inherit_from[2] = -2;  // resolved below to stdout's descriptor
            else
                inherit_from[2] = 1;  // stdout is inherited: share the parent's stdout
        } else if (auto f = open_output(spec.err, spawn_stage::redirect_stderr, child_side[2], parent_side[2])) {
            return f;
        }
        for (auto& fd : child_side)
            if (int e = move_above_stdio(fd)) return {spawn_stage::pipes, {e, std::generic_category()}};

        posix_spawn_request r;
        for (int i = 0; i < 3; ++i)
            r.fds[i] = child_side[i] ? child_side[i].get() : inherit_from[i];
        if (r.fds[2] == -2) r.fds[2] = r.fds[1];

        const command& cmd = spec.cmd;
        std::vector<char*> argv;
        argv.reserve(cmd.arguments().size() + 2);
        argv.push_back(const_cast<char*>(cmd.program().c_str()));
        for (const auto& a : cmd.arguments())
            argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        std::vector<char*> envp;
        if (!spec.env.inherited) {
            envp.reserve(spec.env.entries.size() + 1);
            for (const auto& e : spec.env.entries)
                envp.push_back(const_cast<char*>(e.c_str()));
            envp.push_back(nullptr);
        }
        r.path = spec.path.c_str();
        r.argv = argv.data();
        r.envp = spec.env.inherited ? posix_environ() : envp.data();
        r.cwd = cmd.cwd() ? cmd.cwd()->c_str() : nullptr;
        r.new_group = cmd.process_group();
        r.die_with_parent = cmd.dies_with_parent();

        // The child's process state. arg0 is argv[0] only: the program run is still spec.path.
        if (cmd.arg0()) argv[0] = const_cast<char*>(cmd.arg0()->c_str());
        r.new_session = cmd.session_leader();
        if (cmd.umask()) r.umask = static_cast<int>(*cmd.umask() & 07777);
        std::vector<resource_limit> limits = cmd.limits();
        for (auto& l : limits) {  // the kernel's RLIM_INFINITY is all ones, whatever rlim_t's width
            if (l.soft == static_cast<std::uint64_t>(RLIM_INFINITY)) l.soft = ~std::uint64_t{0};
            if (l.hard == static_cast<std::uint64_t>(RLIM_INFINITY)) l.hard = ~std::uint64_t{0};
        }
        r.limits = limits.data();
        r.limit_count = limits.size();
        std::vector<passed_fd> passed;
        std::vector<unique_fd> sources;  // close-on-exec copies above every target, closed after the spawn
        std::vector<int> kept;
        if (auto f = prepare_passed_fds(cmd, passed, sources, kept)) return f;
        r.passed = passed.data();
        r.passed_count = passed.size();
        r.kept = kept.data();
        std::vector<gid_t> groups;
        if (const auto& c = cmd.credentials()) {
            groups.assign(c->groups.begin(), c->groups.end());
            r.set_groups = !same_groups_as_now(groups);
            r.groups = groups.data();
            r.group_count = groups.size();
            r.set_ids = true;
            r.uid = c->uid;
            r.gid = c->gid;
        }

        const posix_spawn_result res = Spawner::spawn(r);
        sources.clear();
        for (auto& fd : child_side)
            fd.reset();  // the child has its copies; EOF must reach us
        if (res.stage != spawn_stage::none) {
            spawn_failure f{res.stage, {res.error, std::generic_category()}};
            f.item = res.item;
            return f;
        }

        proc.adopt(res.pid, res.pidfd, r.new_group || r.new_session);  // a session leader leads its group
        kill_unless_handed_over<process> cleanup(proc);                // the child runs: a failure from here ends it
        hand_over_streams(spec, proc, parent_side);
        if (proc.drain().needed() && !proc.serve_streams_on_waiting_thread(spec.caller_waits, cmd.drain_grace())) {
            if (const int e = proc.drain().start(cmd.drain_grace()))
                return {spawn_stage::thread, {e, std::generic_category()}};
        }
        cleanup.handed_over();
        return {};
    }

    // Pipelines (issue 14): the pipe between two stages, handed to each as an io::fd().
    /// One end of the pipe between two stages.
    using stage_end = unique_fd;
    /// A pipe close-on-exec from birth: no stage but the two it joins ever holds an end.
    static spawn_failure make_stage_pipe(unique_fd& read_end, unique_fd& write_end) {
        if (const int e = make_pipe(read_end, write_end)) return {spawn_stage::pipes, {e, std::generic_category()}};
        return {};
    }
    /// The stream spec that gives a stage this end.
    static io::stream stage_stream(const unique_fd& end) { return io::fd(end.get()); }

    /// The message for a failed spawn: what happened, to what, and the remedy.
    static failure describe(const command& cmd, const std::string& path, const spawn_failure& sf) {
        const std::string prog = printable(cmd.program());
        const int e = sf.os.value();
        const std::string os_text = sf.os.message();
        const std::string shown = "'" + printable(path) + "'";
        // `finding`: the id preflight() gives the same cause (launch_error::findings()).
        auto make = [&](errc code, std::string what, std::string remedy, const char* finding = nullptr) {
            failure f = make_failure(code, prog, std::move(what), std::move(remedy), path, sf.os);
            if (finding != nullptr) f.findings.emplace_back(finding);
            return f;
        };
        // One of the causes preflight() knows (causes.hpp): its id and its remedy.
        auto because = [&](errc code, std::string what, const cause& c) {
            return make(code, std::move(what), c.remedy, c.id);
        };
        const std::string resource_remedy = posix_resource_remedy(e);
        switch (sf.stage) {
        case spawn_stage::fork:
            if (e == EPERM || e == ENOSYS)  // a seccomp filter or sandbox refuses clone/fork
                return make(errc::unsupported,
                            "cannot create a process: " + os_text + " (a seccomp filter or sandbox policy forbids it)",
                            "allow clone/fork in the sandbox's or container's policy, or launch from outside it");
            return *describe_common_stage(cmd, path, sf, is_resource_error(e), resource_remedy,
                                          "cannot create a process");
        case spawn_stage::thread:
            if (e == ENOMEM)  // no memory or address space for it, its stack above all (see posix_thread)
                return make(errc::resource_exhausted,
                            "cannot start the event loop thread that drains its output: out of memory or address "
                            "space for its " +
                                std::to_string(posix_thread::stack_size / 1024) + " KiB stack",
                            "raise the address-space limit (ulimit -v, RLIMIT_AS), or free memory");
            return *describe_common_stage(cmd, path, sf, is_resource_error(e), resource_remedy,
                                          "cannot create a process");
        case spawn_stage::redirect_stdin:
        case spawn_stage::redirect_stdout:
        case spawn_stage::redirect_stderr:
        case spawn_stage::pipes:
            return *describe_common_stage(cmd, path, sf, is_resource_error(e), resource_remedy,
                                          "cannot create a process");
        case spawn_stage::unsupported:
            if (!sf.detail.empty()) return describe_unsupported_state(cmd, sf);
            if (cmd.dies_with_parent() && !supports_kill_on_parent_exit)
                return make(errc::unsupported, "kill_on_parent_exit() is not available on this OS",
                            "use on_destroy(on_destroy::kill), which covers a normal exit of this process");
            return make(errc::unsupported,
                        "cwd() needs posix_spawn_file_actions_addchdir_np, which this C library lacks",
                        "start the child in the current directory, or chdir in a wrapper script");
        case spawn_stage::chdir: {
            const std::string dir = "working directory '" + printable(*cmd.cwd()) + "'";
            const cause& missing = causes::working_directory_missing;
            if (e == ENOENT) return because(errc::bad_working_directory, dir + " does not exist", missing);
            if (e == ENOTDIR) return because(errc::bad_working_directory, dir + " is not a directory", missing);
            if (e == EACCES)
                return because(errc::bad_working_directory, dir + " is not searchable (permission denied)",
                               causes::working_directory_not_searchable);
            return because(errc::bad_working_directory, dir + ": " + os_text, missing);
        }
        case spawn_stage::setup:
            if (is_resource_error(e))
                return make(errc::resource_exhausted, "cannot set up the child: " + os_text, resource_remedy);
            return make(errc::invalid_argument,
                        "cannot set up the child (process group, parent-death signal or streams): " + os_text,
                        "check that the parent's stdout is open when using io::merge()");
        case spawn_stage::arguments: return make(errc::invalid_argument, sf.detail, "nothing was run");
        case spawn_stage::session:
        case spawn_stage::limit:
        case spawn_stage::pass_fd:
        case spawn_stage::groups:
        case spawn_stage::group_id:
        case spawn_stage::user_id: return describe_process_state(cmd, path, sf);
        case spawn_stage::exec:
        case spawn_stage::none: break;
        }
        // exec
        if (is_resource_error(e))
            return make(errc::resource_exhausted, "cannot run " + shown + ": " + os_text, resource_remedy);
        if (e == ENOENT) {
            const file_facts file = inspect_program_file(path);
            if (file.dangling_symlink)
                return because(
                    errc::program_not_found,
                    shown + " is a symbolic link to '" + printable(file.link_target) + "', which does not exist",
                    causes::dangling_symlink);
            if (!file.exists) return because(errc::program_not_found, shown + " does not exist", causes::not_found);
            const std::string interp = posix_exec_facts::interpreter(path);
            if (!interp.empty())
                return because(
                    errc::program_not_found,
                    "its interpreter '" + printable(interp) + "' (the #! line of " + shown + ") does not exist",
                    causes::interpreter_missing);
            return because(errc::program_not_found, shown + " exists but its ELF interpreter (dynamic loader) does not",
                           causes::loader_missing);
        }
        if (e == EACCES || e == EPERM || e == EISDIR) {
            const auto probe = probe_file(path);
            if (probe.directory || e == EISDIR)
                return because(errc::not_executable, shown + " is a directory", causes::is_directory);
            if (probe.exists && posix_exec_facts::noexec_mount(path))
                return because(errc::not_executable, shown + " is on a file system mounted noexec",
                               causes::noexec_mount);
            if (probe.exists && !probe.executable)
                return make(errc::not_executable,
                            shown + " is not executable (mode " + posix_exec_facts::mode(path) + ")",
                            "chmod +x " + shown, causes::not_executable);
            const std::string interp = posix_exec_facts::interpreter(path);
            if (!interp.empty())
                return because(
                    errc::not_executable,
                    "its interpreter '" + printable(interp) + "' (the #! line of " + shown + ") cannot be executed",
                    causes::interpreter_not_runnable);
            return make(errc::not_executable, "permission denied running " + shown,
                        "check the modes of the file and its directories");
        }
        if (e == ENOEXEC) {
            // Named as preflight() names it: a known format of another system, or none known.
            const binary_format fmt = sniff_binary(inspect_program_file(path).head);
            if (fmt.what != binary_format::kind::unknown && fmt.what != binary_format::kind::empty &&
                fmt.what != binary_format::kind::script && !runs_format(path, fmt))
                return because(
                    errc::exec_format_error,
                    shown + " is " + fmt.description + ", not a program for this system (" + native_format_name() + ")",
                    causes::wrong_architecture);
            return because(errc::exec_format_error,
                           shown + " is not a program this system can run (no #! line, unknown format)",
                           causes::exec_format);
        }
        if (e == E2BIG)
            return because(errc::invalid_argument, "its arguments and environment are too long for the OS (E2BIG)",
                           causes::arguments_too_long);
        if (e == ETXTBSY)
            return make(errc::not_executable, shown + " is open for writing (text file busy)",
                        "wait until the writer has closed it");
        return make(errc::program_not_found, "cannot run " + shown + ": " + os_text, "check the path");
    }

private:
    static spawn_failure errno_failure(spawn_stage stage) { return {stage, {errno, std::generic_category()}}; }

    /// command::pass_fd() made safe for a spawner that applies them in order with dup2: each
    /// source is first copied (close-on-exec) above every child descriptor and above 2, so no
    /// dup2 overwrites a source still to be used, nor the parent's stream a source may be.
    static spawn_failure prepare_passed_fds(const command& cmd, std::vector<passed_fd>& passed,
                                            std::vector<unique_fd>& sources, std::vector<int>& kept) {
        const auto& asked = cmd.passed_fds();
        if (asked.empty()) return {};
        int highest = 2;
        for (const auto& p : asked)
            highest = p.child_fd > highest ? p.child_fd : highest;
        for (std::size_t i = 0; i < asked.size(); ++i) {
            unique_fd copy(::fcntl(asked[i].parent_fd, F_DUPFD_CLOEXEC, highest + 1));
            if (!copy) {
                spawn_failure f = errno_failure(spawn_stage::pass_fd);
                f.item = i;
                return f;
            }
            passed.push_back(passed_fd{copy.get(), asked[i].child_fd});
            kept.push_back(asked[i].child_fd);
            sources.push_back(std::move(copy));
        }
        std::sort(kept.begin(), kept.end());
        return {};
    }

    /// True if `groups` is this process's supplementary group list (in any order): then it is
    /// not set again, which needs privilege even when nothing changes.
    static bool same_groups_as_now(std::vector<gid_t> groups) {
        const int n = ::getgroups(0, nullptr);
        if (n < 0) return false;
        std::vector<gid_t> now(static_cast<std::size_t>(n));
        if (n > 0 && ::getgroups(n, now.data()) != n) return false;
        std::sort(groups.begin(), groups.end());
        std::sort(now.begin(), now.end());
        return groups == now;
    }

    /// Linux's ceiling on RLIMIT_NOFILE for every process (fs.nr_open), or -1 where unknown.
    static long long nofile_ceiling() {
        unique_fd fd(::open("/proc/sys/fs/nr_open", O_RDONLY | O_CLOEXEC));
        char buf[32] = {};
        if (!fd || ::read(fd.get(), buf, sizeof buf - 1) <= 0) return -1;
        return std::atoll(buf);
    }

    /// The words for a step of the child's process state that the OS refused in the child.
    static failure describe_process_state(const command& cmd, const std::string& path, const spawn_failure& sf) {
        const int e = sf.os.value();
        const std::string os_text = sf.os.message();
        auto make = [&](errc code, std::string what, std::string remedy) {
            return make_failure(code, printable(cmd.program()), std::move(what), std::move(remedy), path, sf.os);
        };
        const bool denied = e == EPERM || e == EACCES;
        const std::string privilege =
            "run this process as root (or with CAP_SETUID and CAP_SETGID), or drop credentials()";
        switch (sf.stage) {
        case spawn_stage::session:
            return make(errc::invalid_argument, "cannot start a new session (setsid): " + os_text,
                        "use new_process_group() instead");
        case spawn_stage::limit: {
            const resource_limit& l = cmd.limits().at(sf.item);
            const std::string name = limit_name(l.resource);
            std::string what = "cannot set the limit " + name + " to " + limit_value(l.soft);
            if (l.hard != l.soft) what += " (hard " + limit_value(l.hard) + ")";
            what += ": " + os_text;
            std::string remedy;
            const long long nr_open = l.resource == RLIMIT_NOFILE ? nofile_ceiling() : -1;
            if (denied && nr_open > 0 && l.hard > static_cast<std::uint64_t>(nr_open)) {
                remedy = "no process, root included, may set " + name + " above fs.nr_open (" +
                         std::to_string(nr_open) + "): ask for at most that, or raise fs.nr_open (sysctl)";
            } else if (denied) {
                struct rlimit now{};
                remedy = "only a privileged process (CAP_SYS_RESOURCE) may raise a hard limit";
                if (::getrlimit(l.resource, &now) == 0)
                    remedy += "; this process's hard limit of " + name + " is " + limit_value(now.rlim_max) +
                              ": ask for at most that";
            } else {
                remedy = "check the values: the kernel refused them for " + name;
            }
            return make(errc::invalid_argument, what, remedy);
        }
        case spawn_stage::pass_fd: {
            const passed_fd& p = cmd.passed_fds().at(sf.item);
            const std::string what = "cannot pass descriptor " + std::to_string(p.parent_fd) + " as its descriptor " +
                                     std::to_string(p.child_fd) + ": " + os_text;
            if (is_resource_error(e)) return make(errc::resource_exhausted, what, posix_resource_remedy(e));
            return make(errc::invalid_argument, what,
                        e == EBADF ? "keep the descriptor open until the launch returns"
                                   : "check the descriptor numbers given to pass_fd()");
        }
        case spawn_stage::groups: {
            std::string list;
            for (const auto g : cmd.credentials()->groups)
                list += (list.empty() ? "" : ", ") + std::to_string(g);
            return make(errc::invalid_argument,
                        "cannot set its supplementary groups to {" + list + "} (setgroups): " + os_text,
                        denied ? privilege : "check the group ids");
        }
        case spawn_stage::group_id:
            return make(
                errc::invalid_argument,
                "cannot set its group id to " + std::to_string(cmd.credentials()->gid) + " (setgid): " + os_text,
                denied ? privilege : "check the group id");
        default:
            return make(errc::invalid_argument,
                        "cannot set its user id to " + std::to_string(cmd.credentials()->uid) + " (setuid): " + os_text,
                        denied        ? privilege
                        : e == EAGAIN ? "that user is at its process limit (RLIMIT_NPROC)"
                                      : "check the user id");
        }
    }

    /// What this spawner cannot set at all, and how else to get it.
    static failure describe_unsupported_state(const command& cmd, const spawn_failure& sf) {
        const std::string& feature = sf.detail;
        std::string remedy;
        if (feature == "umask()")
            remedy = "set it in a wrapper: sh -c 'umask 077 && exec \"$0\" \"$@\"' PROGRAM ARGS...";
        else if (feature == "limit()")
            remedy = "set it in a wrapper: sh -c 'ulimit -n 64 && exec \"$0\" \"$@\"' PROGRAM ARGS...";
        else if (feature == "credentials()")
            remedy = "run it through sudo -u USER, or drop privileges in a wrapper";
        else
            remedy = "use new_process_group(), or run it through setsid(1) where there is one";
        failure f = make_failure(errc::unsupported, printable(cmd.program()),
                                 feature + " cannot be done by posix_spawn, which this system launches with (" +
                                     "macOS, the BSDs): nothing was run",
                                 remedy);
        f.os_error = sf.os;
        return f;
    }

    static spawn_failure open_input(const io::source& in, unique_fd& child, unique_fd& parent) {
        switch (in.what()) {
        case io::kind::null:
            child.reset(::open("/dev/null", O_RDONLY | O_CLOEXEC));
            if (!child) return errno_failure(spawn_stage::pipes);
            break;
        case io::kind::file:
            child.reset(retry_eintr([&] { return ::open(in.path().c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY); }));
            if (!child) return errno_failure(spawn_stage::redirect_stdin);
            break;
        case io::kind::fd:  // our own close-on-exec copy above 2; the child gets it as 0
            child.reset(::fcntl(in.descriptor(), F_DUPFD_CLOEXEC, 3));
            if (!child) return errno_failure(spawn_stage::redirect_stdin);
            break;
        case io::kind::text:
        case io::kind::pipe:
            if (int e = make_pipe(child, parent)) return {spawn_stage::pipes, {e, std::generic_category()}};
            set_pipe_nosigpipe(parent.get());  // ours alone: the child gets the read end
            break;
        default: break;  // inherit
        }
        return {};
    }

    static spawn_failure open_output(const io::sink& out, spawn_stage stage, unique_fd& child, unique_fd& parent) {
        switch (out.what()) {
        case io::kind::null:
            child.reset(::open("/dev/null", O_WRONLY | O_CLOEXEC));
            if (!child) return errno_failure(spawn_stage::pipes);
            break;
        case io::kind::file:
        case io::kind::append: {
            const int mode = out.what() == io::kind::file ? O_TRUNC : O_APPEND;
            child.reset(retry_eintr(
                [&] { return ::open(out.path().c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOCTTY | mode, 0666); }));
            if (!child) return errno_failure(stage);
            break;
        }
        case io::kind::fd:  // our own close-on-exec copy above 2; the child gets it as 1 or 2
            child.reset(::fcntl(out.descriptor(), F_DUPFD_CLOEXEC, 3));
            if (!child) return errno_failure(stage);
            break;
        case io::kind::capture:
        case io::kind::lines:
        case io::kind::pipe:  // the caller reads it (child::read_line)
            if (int e = make_pipe(parent, child)) return {spawn_stage::pipes, {e, std::generic_category()}};
            break;
        default: break;  // inherit
        }
        return {};
    }
};

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
