// liftoff/platform/signal_name.hpp: names of signals for exit_status::to_string (numbers differ by OS).
// SPDX-License-Identifier: MIT
#pragma once

#include <csignal>  // the SIG* numbers

namespace liftoff {
inline namespace v0 {
namespace detail {

/// "SIGKILL" for 9 on Linux, nullptr for numbers this OS does not name.
inline const char* signal_name(int sig) noexcept {
    switch (sig) {
    case SIGABRT: return "SIGABRT";
    case SIGFPE: return "SIGFPE";
    case SIGILL: return "SIGILL";
    case SIGINT: return "SIGINT";
    case SIGSEGV: return "SIGSEGV";
    case SIGTERM: return "SIGTERM";
#if !defined(_WIN32)
    case SIGHUP: return "SIGHUP";
    case SIGQUIT: return "SIGQUIT";
    case SIGTRAP: return "SIGTRAP";
    case SIGBUS: return "SIGBUS";
    case SIGKILL: return "SIGKILL";
    case SIGUSR1: return "SIGUSR1";
    case SIGUSR2: return "SIGUSR2";
    case SIGPIPE: return "SIGPIPE";
    case SIGALRM: return "SIGALRM";
    case SIGCHLD: return "SIGCHLD";
    case SIGCONT: return "SIGCONT";
    case SIGSTOP: return "SIGSTOP";
    case SIGTSTP: return "SIGTSTP";
    case SIGTTIN: return "SIGTTIN";
    case SIGTTOU: return "SIGTTOU";
    case SIGXCPU: return "SIGXCPU";
    case SIGXFSZ: return "SIGXFSZ";
    case SIGSYS: return "SIGSYS";
#endif  // !_WIN32
    default: return nullptr;
    }
}

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
