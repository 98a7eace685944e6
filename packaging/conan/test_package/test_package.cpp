// packaging/conan/test_package/test_package.cpp: run a program through the packaged liftoff.
// SPDX-License-Identifier: MIT
#include <liftoff/liftoff.hpp>

#include <cstdio>

int main() {
    liftoff::result r = liftoff::run(liftoff::command{"echo", {"liftoff", LIFTOFF_VERSION_STRING}});
    std::printf("%s", r.out.c_str());
    return r.ok() ? 0 : 1;
}
