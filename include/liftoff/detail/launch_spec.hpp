// liftoff/detail/launch_spec.hpp: what the portable launch code hands a platform's spawn, and
// the stage a failure happened in.
// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <string>
#include <system_error>
#include <utility>

#include "../command.hpp"
#include "prepare.hpp"

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
};

struct spawn_failure {
    spawn_failure() = default;
    spawn_failure(spawn_stage s, std::error_code e, std::string d = {}) : stage(s), os(e), detail(std::move(d)) {}

    spawn_stage stage = spawn_stage::none;
    std::error_code os;
    std::string detail;  ///< what exactly could not be done, where the stage alone cannot say
    explicit operator bool() const noexcept { return stage != spawn_stage::none; }
};

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
