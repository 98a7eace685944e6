// examples/timeouts.cpp: stop a child that takes too long, and a whole tree of processes.
// SPDX-License-Identifier: MIT
#include <liftoff/liftoff.hpp>

#include <chrono>
#include <cstdio>

int main() {
    using namespace std::chrono_literals;

    // [timeout]
    liftoff::result slow = liftoff::run(liftoff::command{"sleep", {"10"}}.timeout(200ms));
    if (slow.timed_out)  // a result, not an exception: SIGTERM at 200 ms (SIGKILL 2 s later if needed)
        std::printf("stopped: %s\n", slow.status.to_string().c_str());  // killed by signal 15 (SIGTERM)
    // [timeout]

    // [tree]
    liftoff::child tree = liftoff::launch(liftoff::command{"sh", {"-c", "sleep 30 & sleep 30"}}.new_process_group());
    liftoff::exit_status how = tree.terminate(500ms);  // SIGTERM to the group (the grandchild too), SIGKILL after 0.5 s
    std::printf("tree: %s\n", how.to_string().c_str());
    // [tree]

    // [wait_for]
    liftoff::child worker = liftoff::launch(liftoff::command{"sleep", {"1"}}.on_destroy(liftoff::on_destroy::kill));
    while (!worker.wait_for(100ms))  // never spins: a pidfd, a kqueue or a process handle
        std::printf("still working\n");
    // [wait_for]
    return slow.timed_out ? 0 : 1;
}
