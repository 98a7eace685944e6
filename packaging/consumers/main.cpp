// packaging/consumers/main.cpp: the program every consumer builds: it runs `echo` through liftoff.
// packaging/check copies it beside each consumer's build files and checks what it prints.
// SPDX-License-Identifier: MIT
#include <liftoff/liftoff.hpp>

#include <cstdio>

int main() {
    liftoff::result r = liftoff::run(liftoff::command{"echo", {"liftoff", LIFTOFF_VERSION_STRING}});
    if (!r.ok() || r.out != "liftoff " LIFTOFF_VERSION_STRING "\n") {
        std::fprintf(stderr, "consumer: echo %s, said '%s'\n", r.status.to_string().c_str(), r.out.c_str());
        return 1;
    }
    std::printf("%s", r.out.c_str());
    return 0;
}
