// liftoff/detail/launch_spec.hpp: what the portable launch code hands a platform's spawn, and
// the stage a failure happened in.
// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <system_error>
#include <utility>

#include "../command.hpp"
#include "../error.hpp"
#include "failure.hpp"
#include "prepare.hpp"
#include "sink.hpp"
#include "text.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

/// Where a launch failed; decides the errc and the wording of the message.
enum class spawn_stage : unsigned char {
    none,
    pipes,            ///< creating pipes or opening the null device
    redirect_stdin,   ///< opening an io::file for stdin
    redirect_stdout,  ///< opening an io::file / io::append for stdout
    redirect_stderr,
    fork,         ///< creating the process
    setup,        ///< in the child before exec: process group, parent-death signal, streams
    chdir,        ///< the working directory
    exec,         ///< running the program
    thread,       ///< starting the drain thread
    unsupported,  ///< asked for something this OS cannot do
    arguments,    ///< the arguments cannot be passed on intact (Windows: cmd.exe for .bat/.cmd)
    // The child's process state (command::new_session() ... credentials()), in the child
    // before exec; spawn_failure::item says which limit or descriptor.
    session,   ///< setsid()
    limit,     ///< setrlimit() of command::limits()[item]
    pass_fd,   ///< giving the child command::passed_fds()[item]
    groups,    ///< setgroups()
    group_id,  ///< setgid()
    user_id,   ///< setuid()
};

/// What a platform's probe_file() says of a path.
struct file_probe {
    bool exists = false;
    bool regular = false;
    bool directory = false;
    bool executable = false;  ///< POSIX: by this process's effective ids; Windows: by its extension
};

/// A command with its defaults applied and its program resolved: everything a platform's
/// spawn needs, decided by portable code.
struct launch_spec {
    const command& cmd;
    std::string path;  ///< the resolved program
    const child_environment& env;
    io::source in;
    io::sink out;
    io::sink err;
    /// run(): the caller blocks until the child ends, so its own thread may serve the streams
    /// (where the platform can; else they go to the event loop as a launch()'s do).
    bool caller_waits = false;
};

/// The drain's sink for an output spec (inherit, null and files never reach the drain).
inline output_sink sink_for(const io::sink& s) {
    output_sink sink;
    if (s.what() == io::kind::capture) sink.capture(s.limit());
    if (s.what() == io::kind::lines) sink.lines(s.on_line());
    return sink;
}

/// After a spawn, liftoff's ends of the child's pipes (`parent_side`: stdin, stdout, stderr) go
/// to the drain (output, io::text) or to the handle (io::pipe, either side: the caller serves
/// it, the drain never sees it). An empty io::text needs only its end closed.
template <class Process, class Handle>
void hand_over_streams(const launch_spec& spec, Process& proc, Handle (&parent_side)[3]) {
    const io::sink* outs[2] = {&spec.out, &spec.err};
    for (int i = 1; i <= 2; ++i) {
        if (!parent_side[i]) continue;
        const output o = i == 1 ? output::out : output::err;
        if (outs[i - 1]->what() == io::kind::pipe)
            proc.set_output_pipe(o, std::move(parent_side[i]));
        else
            proc.drain().watch(o, std::move(parent_side[i]), sink_for(*outs[i - 1]));
    }
    if (!parent_side[0]) return;
    if (spec.in.what() == io::kind::pipe)
        proc.set_stdin_pipe(std::move(parent_side[0]));
    else if (!spec.in.text()->empty())
        proc.drain().feed(std::move(parent_side[0]), spec.in.text());
}

struct spawn_failure {
    spawn_failure() = default;
    spawn_failure(spawn_stage s, std::error_code e, std::string d = {}) : stage(s), os(e), detail(std::move(d)) {}

    spawn_stage stage = spawn_stage::none;
    std::error_code os;
    std::string detail;    ///< what exactly could not be done, where the stage alone cannot say
    std::size_t item = 0;  ///< stage limit or pass_fd: which one (an index into the command's list)
    explicit operator bool() const noexcept { return stage != spawn_stage::none; }
};

/// The words for the stages every OS shares: a redirect file that cannot be opened, pipes, the
/// process, the drain thread. `resource` says whether the OS error is an exhausted limit;
/// nullopt for the other stages, which each platform words itself.
inline std::optional<failure> describe_common_stage(const command& cmd, const std::string& path,
                                                    const spawn_failure& sf, bool resource,
                                                    const std::string& resource_remedy,
                                                    const char* creating_the_process) {
    const std::string prog = printable(cmd.program());
    const std::string os_text = sf.os.message();
    auto make = [&](errc code, std::string what, std::string remedy) {
        return make_failure(code, prog, std::move(what), std::move(remedy), path, sf.os);
    };
    switch (sf.stage) {
    case spawn_stage::redirect_stdin:
    case spawn_stage::redirect_stdout:
    case spawn_stage::redirect_stderr: {
        const bool in = sf.stage == spawn_stage::redirect_stdin;
        const char* stream = in ? "stdin" : sf.stage == spawn_stage::redirect_stdout ? "stdout" : "stderr";
        const io::kind k = in ? cmd.stdin_from()->what()
                              : (sf.stage == spawn_stage::redirect_stdout ? cmd.stdout_to() : cmd.stderr_to())->what();
        if (k == io::kind::fd || k == io::kind::handle) {  // io::fd()/io::handle(): duplicating it failed
            const int fd =
                in ? cmd.stdin_from()->descriptor()
                   : (sf.stage == spawn_stage::redirect_stdout ? cmd.stdout_to() : cmd.stderr_to())->descriptor();
            const std::string what =
                std::string("cannot duplicate ") +
                (k == io::kind::fd ? "descriptor " + std::to_string(fd) : std::string("the HANDLE")) + " for its " +
                stream + ": " + os_text;
            if (resource) return make(errc::resource_exhausted, what, resource_remedy);
            return make(errc::redirect_failed, what, "keep it open until the launch returns");
        }
        const std::string& file =
            in ? cmd.stdin_from()->path()
               : (sf.stage == spawn_stage::redirect_stdout ? cmd.stdout_to() : cmd.stderr_to())->path();
        const std::string what = "cannot open '" + printable(file) + "' for its " + stream + ": " + os_text;
        if (resource) return make(errc::resource_exhausted, what, resource_remedy);
        return make(
            errc::redirect_failed, what,
            in ? "check that the file exists and is readable" : "check that its directory exists and is writable");
    }
    case spawn_stage::pipes:
    case spawn_stage::fork:
    case spawn_stage::thread:
        return make(resource ? errc::resource_exhausted : errc::invalid_argument,
                    std::string(sf.stage == spawn_stage::fork     ? creating_the_process
                                : sf.stage == spawn_stage::thread ? "cannot start the thread that drains its output"
                                                                  : "cannot create its pipes") +
                        ": " + os_text,
                    resource_remedy);
    default: return std::nullopt;
    }
}

/// Kills and reaps a child that a platform's spawn has started, unless the spawn hands it over
/// (`handed_over()`): whatever fails between the two (an OS error, a bad_alloc, anything) leaves
/// nothing running and no zombie. Both platforms' spawns use it.
template <class Process>
class kill_unless_handed_over {
public:
    explicit kill_unless_handed_over(Process& proc) noexcept : proc_(&proc) {}
    kill_unless_handed_over(const kill_unless_handed_over&) = delete;
    kill_unless_handed_over& operator=(const kill_unless_handed_over&) = delete;
    ~kill_unless_handed_over() {
        if (proc_ == nullptr) return;
        proc_->send(Process::kill_signal);
        proc_->wait();
    }
    void handed_over() noexcept { proc_ = nullptr; }

private:
    Process* proc_;
};

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
