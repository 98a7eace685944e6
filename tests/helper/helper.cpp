// tests/helper/helper.cpp: the child every test launches. It runs the actions named on its
// command line in order, so one program can play every kind of child a real program is.
// SPDX-License-Identifier: MIT
//
//   out N / err N        write N bytes of a fixed pattern to stdout / stderr
//   say TEXT / esay TEXT write TEXT (no newline) to stdout / stderr
//   lines N              write "line 1\n" ... "line N\n" to stdout
//   args REST...         print every remaining argument as "<length>:<bytes>\n" (consumes the rest)
//   env NAME             print the variable's value, or "<unset>", and a newline
//   envcount             print the number of environment entries
//   cwd                  print the working directory and a newline
//   sleep MS             sleep
//   ignore-term          ignore SIGTERM from now on
//   grandchild MS        fork a grandchild that keeps our stdio and sleeps MS ms; print its pid
//   exit N               exit with code N
//   kill-self SIG        raise signal SIG
//   cat                  copy stdin to stdout until end of input
//   count-stdin          read stdin to its end; print the byte count
//   tee-both             copy stdin to stdout and to stderr until end of input
//   fds                  print the open descriptors above 2, space-separated, and a newline
//   sigstate             print how many of signals 1..31 are blocked, and the disposition of
//                        SIGPIPE, SIGUSR1, SIGINT and SIGTERM
//   pid / ppid / pgid    print the id and a newline
//   close-stdout         close descriptor 1
//   launch-kope FILE MS  (uses liftoff) launch "helper sleep MS" with kill_on_parent_exit from a
//                        short-lived thread, write its pid to FILE, and go on
//   launch-released N MS (uses liftoff) launch N x "helper sleep MS", release each
#include <liftoff/liftoff.hpp>

#include <dirent.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

std::string self_path;

void write_all(int fd, const char* p, size_t n) {
    while (n > 0) {
        const ssize_t w = ::write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            std::_Exit(errno == EPIPE ? 141 : 1);
        }
        p += w;
        n -= static_cast<size_t>(w);
    }
}
void write_str(int fd, const std::string& s) {
    write_all(fd, s.data(), s.size());
}

void write_pattern(int fd, long long n) {
    static char block[65536];
    static bool filled = false;
    if (!filled) {
        for (size_t i = 0; i < sizeof block; ++i)
            block[i] = static_cast<char>('a' + i % 26);
        filled = true;
    }
    while (n > 0) {
        const size_t chunk = n < static_cast<long long>(sizeof block) ? static_cast<size_t>(n) : sizeof block;
        write_all(fd, block, chunk);
        n -= static_cast<long long>(chunk);
    }
}

void copy_stdin(bool to_out, bool to_err, long long* count) {
    static char buf[65536];
    for (;;) {
        const ssize_t r = ::read(0, buf, sizeof buf);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return;
        if (count) *count += r;
        if (to_out) write_all(1, buf, static_cast<size_t>(r));
        if (to_err) write_all(2, buf, static_cast<size_t>(r));
    }
}

}  // namespace

int main(int argc, char** argv) {
    self_path = argv[0];
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "helper: %s needs an argument\n", a.c_str());
                std::exit(100);
            }
            return argv[++i];
        };
        if (a == "out") {
            write_pattern(1, std::atoll(next().c_str()));
        } else if (a == "err") {
            write_pattern(2, std::atoll(next().c_str()));
        } else if (a == "say") {
            write_str(1, next());
        } else if (a == "esay") {
            write_str(2, next());
        } else if (a == "lines") {
            const long n = std::atol(next().c_str());
            for (long k = 1; k <= n; ++k)
                write_str(1, "line " + std::to_string(k) + "\n");
        } else if (a == "args") {
            for (++i; i < argc; ++i)
                write_str(1, std::to_string(std::strlen(argv[i])) + ":" + argv[i] + "\n");
        } else if (a == "env") {
            const std::string name = next();
            const char* v = std::getenv(name.c_str());
            write_str(1, (v ? std::string(v) : std::string("<unset>")) + "\n");
        } else if (a == "envcount") {
            extern char** environ;
            int n = 0;
            for (char** e = environ; *e; ++e)
                ++n;
            write_str(1, std::to_string(n) + "\n");
        } else if (a == "cwd") {
            char buf[4096];
            write_str(1, std::string(::getcwd(buf, sizeof buf) ? buf : "?") + "\n");
        } else if (a == "sleep") {
            std::this_thread::sleep_for(std::chrono::milliseconds(std::atol(next().c_str())));
        } else if (a == "ignore-term") {
            ::signal(SIGTERM, SIG_IGN);
        } else if (a == "grandchild") {
            const long ms = std::atol(next().c_str());
            const pid_t p = ::fork();
            if (p == 0) {
                std::this_thread::sleep_for(std::chrono::milliseconds(ms));
                std::_Exit(0);
            }
            write_str(1, std::to_string(p) + "\n");
        } else if (a == "exit") {
            return std::atoi(next().c_str());
        } else if (a == "kill-self") {
            ::raise(std::atoi(next().c_str()));
        } else if (a == "cat") {
            copy_stdin(true, false, nullptr);
        } else if (a == "count-stdin") {
            long long n = 0;
            copy_stdin(false, false, &n);
            write_str(1, std::to_string(n) + "\n");
        } else if (a == "tee-both") {
            copy_stdin(true, true, nullptr);
        } else if (a == "fds") {
            std::string out;
            DIR* d = ::opendir("/proc/self/fd");
            if (d != nullptr) {
                const int self = ::dirfd(d);
                while (dirent* e = ::readdir(d)) {
                    const int fd = std::atoi(e->d_name);
                    if (e->d_name[0] != '.' && fd > 2 && fd != self) out += std::to_string(fd) + " ";
                }
                ::closedir(d);
            }
            write_str(1, out + "\n");
        } else if (a == "sigstate") {
            // Sanitizer runtimes install their own handlers (SEGV, BUS, FPE), so name the
            // signals the tests change rather than counting every handler.
            sigset_t mask;
            ::sigprocmask(SIG_SETMASK, nullptr, &mask);
            int blocked = 0;
            for (int s = 1; s < 32; ++s)
                if (::sigismember(&mask, s) == 1) ++blocked;
            std::string out = "blocked=" + std::to_string(blocked);
            const std::pair<int, const char*> named[] = {
                {SIGPIPE, "PIPE"}, {SIGUSR1, "USR1"}, {SIGINT, "INT"}, {SIGTERM, "TERM"}};
            for (const auto& n : named) {
                struct sigaction sa;
                ::sigaction(n.first, nullptr, &sa);
                out += std::string(" ") + n.second + "=" +
                       (sa.sa_handler == SIG_DFL   ? "default"
                        : sa.sa_handler == SIG_IGN ? "ignored"
                                                   : "handled");
            }
            write_str(1, out + "\n");
        } else if (a == "pid") {
            write_str(1, std::to_string(::getpid()) + "\n");
        } else if (a == "ppid") {
            write_str(1, std::to_string(::getppid()) + "\n");
        } else if (a == "pgid") {
            write_str(1, std::to_string(::getpgid(0)) + "\n");
        } else if (a == "close-stdout") {
            ::close(1);
        } else if (a == "launch-kope") {
            const std::string file = next();
            const std::string ms = next();
            long long pid = 0;
            std::thread([&] {
                auto c = liftoff::launch(liftoff::command{self_path, {"sleep", ms}}.kill_on_parent_exit().on_destroy(
                    liftoff::on_destroy::release));
                pid = c.pid();
                c.release();
            }).join();
            FILE* f = std::fopen(file.c_str(), "w");
            if (f == nullptr) return 101;
            std::fprintf(f, "%lld\n", pid);
            std::fclose(f);
        } else if (a == "launch-released") {
            const long n = std::atol(next().c_str());
            const std::string ms = next();
            for (long k = 0; k < n; ++k)
                liftoff::launch(liftoff::command{self_path, {"sleep", ms}}).release();
        } else {
            std::fprintf(stderr, "helper: unknown action '%s'\n", a.c_str());
            return 100;
        }
    }
    return 0;
}
