// bench/compile/liftoff_separate.cpp: compile cost of liftoff built separately (every TU defines
// LIFTOFF_SEPARATE_COMPILATION; one other TU compiles the implementation): one run() call.
// SPDX-License-Identifier: MIT
#define LIFTOFF_SEPARATE_COMPILATION
#include <liftoff/liftoff.hpp>

int main() {
    return liftoff::run(liftoff::command{"/bin/true"}).status.code();
}
