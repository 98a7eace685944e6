// bench/callgrind_spawn.cpp: the spawn path for `valgrind --tool=callgrind`, which counts the
// instructions liftoff runs in the parent per launch (repeatable run to run, unlike time).
// bench/run --guard compares the count with bench/callgrind-baseline.txt.
// SPDX-License-Identifier: MIT
#include <liftoff/liftoff.hpp>

#include <cstdlib>

// Only what this function runs is counted (--toggle-collect=measured_launches).
__attribute__((noinline)) void measured_launches(int n) {
    for (int i = 0; i < n; ++i)
        liftoff::launch(liftoff::command{"/bin/true"}).wait();
}

__attribute__((noinline)) void measured_runs(int n) {
    for (int i = 0; i < n; ++i)
        liftoff::run(liftoff::command{"/bin/echo", {"hello"}});
}

int main(int argc, char** argv) {
    const int n = argc > 1 ? std::atoi(argv[1]) : 20;
    liftoff::launch(liftoff::command{"/bin/true"}).wait();  // warm-up, not counted
    measured_launches(n);
    measured_runs(n);
    return 0;
}
