// bench/child.cpp: the benchmarks' child: writes N bytes to stdout and M bytes to stderr
// (interleaved in 64 KiB blocks), or sleeps, or writes a line to each and holds, then exits 0.
// No libraries, so it starts fast.
// SPDX-License-Identifier: MIT
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>

static void put(int fd, const char* p, long long n) {
    while (n > 0) {
        const ssize_t w = ::write(fd, p, static_cast<size_t>(n));
        if (w < 0) {
            if (errno == EINTR) continue;
            std::_Exit(1);
        }
        p += w;
        n -= w;
    }
}

int main(int argc, char** argv) {
    static char block[65536];
    std::memset(block, 'x', sizeof block);
    if (argc == 3 && std::strcmp(argv[1], "sleep") == 0) {
        const long ms = std::atol(argv[2]);
        const timespec t = {ms / 1000, (ms % 1000) * 1000000L};
        nanosleep(&t, nullptr);
        return 0;
    }
    if (argc == 3 && std::strcmp(argv[1], "hold") == 0) {
        // The scale case: one line to each stream, then stay alive until the bench drops its
        // exclusive lock on the file (a shared lock waits for it). Unlike a sleep this cannot end
        // before the last launch however long the launches take, and a child starting after the
        // release, or a bench that dies, never leaves it waiting.
        put(1, "out\n", 4);
        put(2, "err\n", 4);
        const int fd = ::open(argv[2], O_RDONLY | O_CLOEXEC);
        if (fd < 0) return 2;
        while (::flock(fd, LOCK_SH) != 0)
            if (errno != EINTR) return 3;
        return 0;
    }
    long long out = argc > 1 ? std::atoll(argv[1]) : 0;
    long long err = argc > 2 ? std::atoll(argv[2]) : 0;
    while (out > 0 || err > 0) {
        const long long o = out < 65536 ? out : 65536;
        const long long e = err < 65536 ? err : 65536;
        if (o > 0) put(1, block, o);
        if (e > 0) put(2, block, e);
        out -= o;
        err -= e;
    }
    return 0;
}
