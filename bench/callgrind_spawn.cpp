// bench/callgrind_spawn.cpp: the spawn path for `valgrind --tool=callgrind`, which counts the
// instructions liftoff runs in the parent per launch (repeatable run to run, unlike time).
// bench/run counts the whole process, all threads, for 30 and for 10 iterations and divides the
// difference by 20, which cancels start-up and the warm-up; bench/run --guard compares that with
// bench/callgrind-baseline.txt.
// SPDX-License-Identifier: MIT
#include <liftoff/liftoff.hpp>

#include <cstdlib>

// Not inlined, so that callgrind_annotate shows the two loops apart. No --toggle-collect: it would
// count only the calling thread and miss run()'s drain thread (about 2,600 instructions of the
// 15,000 per iteration).
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
