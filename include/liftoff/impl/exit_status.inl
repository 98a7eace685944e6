// liftoff/impl/exit_status.inl: exit_status::to_string() (declared in exit_status.hpp).
// SPDX-License-Identifier: MIT
#pragma once

#include <string>

#include "../detail/config.hpp"
#include "../exit_status.hpp"
#include "../platform/signal_name.hpp"

namespace liftoff {
inline namespace v0 {

LIFTOFF_API std::string exit_status::to_string() const {
    switch (how_) {
    case how::exited: return "exited with code " + std::to_string(value_);
    case how::signaled: {
        std::string s = "killed by signal " + std::to_string(value_);
        if (const char* name = detail::signal_name(value_)) s += std::string(" (") + name + ")";
        return s;
    }
    case how::lost:
        return "exit status unknown (the system reaped it: SIGCHLD is ignored in this process, by SIG_IGN or "
               "SA_NOCLDWAIT)";
    case how::reaped_elsewhere:
        return "exit status unknown (something else in this process reaped it: a SIGCHLD handler or another "
               "waitpid() took its status)";
    case how::unknown: break;
    }
    return "exit status unknown";
}

}  // namespace v0
}  // namespace liftoff
