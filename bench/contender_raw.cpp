// bench/contender_raw.cpp: raw system calls (the floor), fork+exec, std::system and popen.
// SPDX-License-Identifier: MIT
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "contenders.hpp"

extern char** environ;

namespace bench {
namespace {

std::vector<char*> argv_of(const std::string& path, const std::vector<std::string>& args) {
    std::vector<char*> v;
    v.push_back(const_cast<char*>(path.c_str()));
    for (const auto& a : args)
        v.push_back(const_cast<char*>(a.c_str()));
    v.push_back(nullptr);
    return v;
}

void reap(pid_t pid) {
    int st;
    while (::waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
}

std::string shell_line(const std::string& path, const std::vector<std::string>& args) {
    std::string line = path;
    for (const auto& a : args)
        line += " " + a;  // the bench's arguments need no quoting
    return line;
}

}  // namespace

void raw::spawn_wait(const std::string& path, const std::vector<std::string>& args) {
    auto argv = argv_of(path, args);
    pid_t pid;
    if (::posix_spawn(&pid, path.c_str(), nullptr, nullptr, argv.data(), environ) != 0)
        throw std::runtime_error("posix_spawn");
    reap(pid);
}

std::string raw::capture(const std::string& path, const std::vector<std::string>& args) {
    auto argv = argv_of(path, args);
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2");
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    pid_t pid;
    const int err = ::posix_spawn(&pid, path.c_str(), &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    ::close(fds[1]);
    if (err != 0) throw std::runtime_error("posix_spawn");
    std::string out;
    char buf[65536];
    for (;;) {
        const ssize_t n = ::read(fds[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        out.append(buf, static_cast<size_t>(n));
    }
    ::close(fds[0]);
    reap(pid);
    return out;
}

long long raw::many(const std::string& path, const std::vector<std::string>& args, int children) {
    auto argv = argv_of(path, args);
    std::vector<pid_t> pids;
    std::vector<pollfd> fds;
    std::vector<std::string> bufs;
    for (int c = 0; c < children; ++c) {
        int o[2], e[2];
        if (::pipe2(o, O_CLOEXEC) != 0 || ::pipe2(e, O_CLOEXEC) != 0) throw std::runtime_error("pipe2");
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_adddup2(&fa, o[1], 1);
        posix_spawn_file_actions_adddup2(&fa, e[1], 2);
        pid_t pid;
        if (::posix_spawn(&pid, path.c_str(), &fa, nullptr, argv.data(), environ) != 0)
            throw std::runtime_error("spawn");
        posix_spawn_file_actions_destroy(&fa);
        ::close(o[1]);
        ::close(e[1]);
        pids.push_back(pid);
        fds.push_back({o[0], POLLIN, 0});
        fds.push_back({e[0], POLLIN, 0});
    }
    bufs.resize(fds.size());
    std::size_t open = fds.size();
    char buf[65536];
    while (open > 0) {
        if (::poll(fds.data(), fds.size(), -1) < 0) continue;
        for (std::size_t i = 0; i < fds.size(); ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0) continue;
            const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
            if (n > 0) {
                bufs[i].append(buf, static_cast<size_t>(n));
            } else if (n == 0 || errno != EINTR) {
                ::close(fds[i].fd);
                fds[i].fd = -1;
                --open;
            }
        }
    }
    for (pid_t p : pids)
        reap(p);
    long long total = 0;
    for (const auto& b : bufs)
        total += static_cast<long long>(b.size());
    return total;
}

void forkexec::spawn_wait(const std::string& path, const std::vector<std::string>& args) {
    auto argv = argv_of(path, args);
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::execve(path.c_str(), argv.data(), environ);
        ::_exit(127);
    }
    if (pid < 0) throw std::runtime_error("fork");
    reap(pid);
}

void forkexec::vfork_wait(const std::string& path, const std::vector<std::string>& args) {
    auto argv = argv_of(path, args);
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"  // vfork: the floor, on purpose
#endif
    const pid_t pid = ::vfork();
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
    if (pid == 0) {
        ::execve(path.c_str(), argv.data(), environ);
        ::_exit(127);
    }
    if (pid < 0) throw std::runtime_error("vfork");
    reap(pid);
}

void libc::system_wait(const std::string& path, const std::vector<std::string>& args) {
    if (std::system(shell_line(path, args).c_str()) != 0) throw std::runtime_error("system");
}

std::string libc::popen_capture(const std::string& path, const std::vector<std::string>& args) {
    FILE* f = ::popen(shell_line(path, args).c_str(), "r");
    if (f == nullptr) throw std::runtime_error("popen");
    std::string out;
    char buf[65536];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
        out.append(buf, n);
    ::pclose(f);
    return out;
}

}  // namespace bench
