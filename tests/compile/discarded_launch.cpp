// tests/compile/discarded_launch.cpp: a launch() whose result is thrown away, which ends the child
// at once; tools/check-nodiscard expects the compiler to refuse it (with -Werror), and to accept
// the same file with the result kept (-DLIFTOFF_TEST_KEEP).
// SPDX-License-Identifier: MIT
#include <liftoff/liftoff.hpp>

int main() {
    const liftoff::command cmd{"/bin/sleep", {"1"}};
    std::error_code ec;
    liftoff::failure f;
#if defined(LIFTOFF_TEST_KEEP)
    liftoff::child a = liftoff::launch(cmd);
    liftoff::child b = liftoff::launch(cmd, ec);
    liftoff::child c = liftoff::launch(cmd, f);
#else
    liftoff::launch(cmd);
    liftoff::launch(cmd, ec);
    liftoff::launch(cmd, f);
#endif
    return 0;
}
