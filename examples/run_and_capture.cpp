// examples/run_and_capture.cpp: run a program, capture its output, and handle failure.
// SPDX-License-Identifier: MIT
#include <liftoff/liftoff.hpp>

#include <cstdio>

int main() {
    // [run]
    liftoff::result r = liftoff::run(liftoff::command{"uname", {"-sr"}}.timeout(std::chrono::seconds(5)));
    if (r.ok())
        std::printf("kernel: %s", r.out.c_str());
    else
        std::printf("uname %s: %s\n", r.status.to_string().c_str(), r.err.c_str());
    // [run]

    // [errors]
    try {
        liftoff::run(liftoff::command{"chrome", {"--version"}});
    } catch (const liftoff::launch_error& e) {
        // liftoff: cannot launch 'chrome': not found in PATH (searched /usr/local/bin:/usr/bin:/bin); give a full path
        // or install it
        std::printf("%s\n", e.what());
        if (e.code() == liftoff::errc::program_not_found) std::printf("(so we fall back to something else)\n");
    }
    // [errors]

    // [error_code]
    std::error_code ec;
    liftoff::child c = liftoff::launch(liftoff::command{"/no/such/tool"}, ec);
    if (ec == liftoff::errc::program_not_found) std::printf("not installed: %s\n", ec.message().c_str());
    // [error_code]

    // [command]
    liftoff::command build{"make", {"-j2"}};
    build.arg("all").cwd("/tmp").env("LC_ALL", "C").env_remove("MAKEFLAGS");
    liftoff::result made = liftoff::run(build, ec);  // no exception when make cannot start
    if (ec)
        std::printf("make did not start: %s\n", ec.message().c_str());
    else if (made.status.exited())
        std::printf("make exited with %d\n", made.status.code());
    // [command]
    return 0;
}
