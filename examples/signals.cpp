// examples/signals.cpp: send a child a signal, pause and resume it, and wait for whichever of
// several children ends first.
// SPDX-License-Identifier: MIT
#include <liftoff/liftoff.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <optional>
#include <system_error>
#include <vector>

int main() {
    using namespace std::chrono_literals;
#if !defined(_WIN32)
    // [signal]
    liftoff::child daemon = liftoff::launch(liftoff::command{"sleep", {"30"}}.new_process_group());
    daemon.suspend();  // SIGSTOP to its group (Windows: its threads)
    daemon.resume();   // SIGCONT
    std::error_code ec;
    daemon.signal(SIGHUP, ec);  // through its pidfd: never to a process that took its pid
    daemon.wait();
    daemon.signal(SIGHUP, ec);  // waited for: std::errc::no_such_process, nothing sent
    // [signal]
#endif  // !_WIN32

    // [wait_any]
    liftoff::child fast = liftoff::launch(liftoff::command{"sleep", {"0.1"}});
    liftoff::child slow = liftoff::launch(liftoff::command{"sleep", {"5"}});
    std::vector<liftoff::child*> both{&fast, &slow};
    if (std::optional<std::size_t> i = liftoff::wait_any(both, 2s))  // never spins; nullopt at the timeout
        std::printf("child %zu ended first: %s\n", *i, both[*i]->wait().to_string().c_str());
    // [wait_any]
    return 0;
}
