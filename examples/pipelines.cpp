// examples/pipelines.cpp: give a child a descriptor this process already has (a socket, a pipe,
// a terminal), and run a pipeline whose data flows from child to child.
// SPDX-License-Identifier: MIT
#include <liftoff/liftoff.hpp>

#if !defined(_WIN32)
#include <sys/socket.h>
#include <unistd.h>
#endif  // !_WIN32

#include <cstddef>
#include <cstdio>

int main() {
#if !defined(_WIN32)
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) return 1;
    // [fd]
    // The child's stdout is a duplicate of our socket; we keep (and still use) our own.
    liftoff::run(liftoff::command{"uname", {"-s"}}.stdout_to(liftoff::io::fd(sv[1])));
    char name[64] = {};
    if (::read(sv[0], name, sizeof name - 1) > 0) std::printf("from the socket: %s", name);
    // [fd]
    ::close(sv[0]);
    ::close(sv[1]);

    // [pipeline]
    liftoff::pipeline_result r =
        liftoff::run(liftoff::command{"ls", {"-1"}} | liftoff::command{"grep", {"x"}} | liftoff::command{"wc", {"-l"}});
    // r.out is wc's output; the listing went from ls to grep to wc, never through this process.
    if (!r.ok())  // pipefail: ok() only if every stage succeeded
        for (std::size_t i = 0; i < r.statuses.size(); ++i)
            std::printf("stage %zu: %s\n", i, r.statuses[i].to_string().c_str());
    // [pipeline]
#endif  // !_WIN32
    return 0;
}
