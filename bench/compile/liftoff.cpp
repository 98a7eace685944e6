// bench/compile/liftoff.cpp: compile cost of liftoff: one run() call.
// SPDX-License-Identifier: MIT
#include <liftoff/liftoff.hpp>

int main() {
    return liftoff::run(liftoff::command{"/bin/true"}).status.code();
}
