// examples/process_state.cpp: the child's process state: argv[0], extra descriptors, umask, a new
// session, resource limits and another user (issue 14).
// SPDX-License-Identifier: MIT
#include <liftoff/liftoff.hpp>

#if !defined(_WIN32)
#include <sys/resource.h>  // RLIMIT_NOFILE
#include <unistd.h>        // pipe, geteuid
#endif                     // !_WIN32

#include <cstdio>

int main() {
    // [arg0]
    // busybox is run (found in PATH as "busybox"), and sees itself called "sh".
    liftoff::result sh = liftoff::run(liftoff::command{"busybox", {"-c", "echo $0"}}.arg0("sh"));
    // [arg0]
    std::printf("%s", sh.out.c_str());
#if !defined(_WIN32)
    int progress[2];
    if (::pipe(progress) != 0) return 1;
    // [state]
    liftoff::command worker{"./worker"};
    worker
        .pass_fd(progress[1], 3)                                 // POSIX: its descriptor 3 is our pipe's write end
        .new_session()                                           // POSIX: its own session and group, no terminal
        .umask(0077)                                             // Linux: the files it creates are private
        .limit(RLIMIT_NOFILE, 256, 256)                          // Linux: at most 256 open files
        .limit(RLIMIT_CORE, 0, 0);                               // Linux: no core dumps
    if (::geteuid() == 0) worker.credentials(65534, 65534, {});  // Linux, as root: run it as nobody
    liftoff::failure why;
    liftoff::result r = liftoff::run(worker, why);
    // A step the OS refuses fails the launch with the step named, e.g. "liftoff: cannot launch
    // './worker': cannot set the limit RLIMIT_NOFILE to 256: ..."; on macOS and the BSDs, umask(),
    // limit() and credentials() are errc::unsupported (posix_spawn cannot set them).
    if (why) std::printf("%s\n", why.message.c_str());
    // [state]
    if (!why) std::printf("worker: %s\n", r.status.to_string().c_str());
#endif  // !_WIN32
    return 0;
}
