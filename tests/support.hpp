// tests/support.hpp: what the suites share: where the helper child is, and counters of the
// process's descriptors, threads and zombie children (read from /proc), and a scratch directory.
// SPDX-License-Identifier: MIT
#pragma once

#include <liftoff/liftoff.hpp>

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace test {

inline std::string helper() {
    return LIFTOFF_TEST_HELPER;
}

/// A command running the helper with these actions.
inline liftoff::command helper_cmd(std::vector<std::string> actions) {
    return liftoff::command{helper(), std::move(actions)};
}

inline int count_entries(const char* dir) {
    int n = 0;
    if (DIR* d = ::opendir(dir)) {
        while (dirent* e = ::readdir(d))
            if (e->d_name[0] != '.') ++n;
        ::closedir(d);
    }
    return n;
}
inline int open_fds() {
    return count_entries("/proc/self/fd") - 1;
}  // minus opendir's own
inline int threads() {
    return count_entries("/proc/self/task");
}

/// Children of this process that are zombies (exited, not reaped).
inline int zombies() {
    int n = 0;
    const std::string me = std::to_string(::getpid());
    if (DIR* d = ::opendir("/proc")) {
        while (dirent* e = ::readdir(d)) {
            if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
            std::ifstream stat(std::string("/proc/") + e->d_name + "/stat");
            std::string line;
            std::getline(stat, line);
            const auto close = line.rfind(')');
            if (close == std::string::npos) continue;
            std::istringstream rest(line.substr(close + 2));
            std::string state, ppid;
            rest >> state >> ppid;
            if (ppid == me && state == "Z") ++n;
        }
        ::closedir(d);
    }
    return n;
}

/// True while /proc/<pid> exists and is not a zombie.
inline bool alive(long long pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) return false;
    const auto close = line.rfind(')');
    return close != std::string::npos && line.size() > close + 2 && line[close + 2] != 'Z';
}

/// Polls `cond` until true or `limit` passes (for facts the OS settles asynchronously).
inline bool eventually(const std::function<bool()>& cond, std::chrono::milliseconds limit = std::chrono::seconds(5)) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
        if (cond()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return cond();
}

/// Waits until every released child has been reaped and its descriptors closed.
inline bool reaper_idle() {
    return eventually([] { return liftoff::detail::posix_reaper::instance().pending() == 0 && zombies() == 0; },
                      std::chrono::seconds(10));
}

/// A fresh directory under TMPDIR, removed with everything in it.
class scratch_dir {
public:
    scratch_dir() {
        std::string base = std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp";
        std::string templ = base + "/liftoff-test-XXXXXX";
        path_ = ::mkdtemp(&templ[0]) ? templ : "";
    }
    ~scratch_dir() {
        if (!path_.empty()) std::filesystem::remove_all(path_);
    }
    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }
    std::string write(const std::string& name, const std::string& text, unsigned mode = 0644) const {
        const std::string p = file(name);
        std::ofstream(p, std::ios::binary) << text;
        ::chmod(p.c_str(), mode);
        return p;
    }

private:
    std::string path_;
};

inline std::string read_file(const std::string& p) {
    std::ifstream f(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

/// "<len>:<bytes>\n" lines, as the helper's `args` action prints them, parsed back.
inline std::vector<std::string> parse_args(const std::string& out) {
    std::vector<std::string> v;
    std::size_t pos = 0;
    while (pos < out.size()) {
        const auto colon = out.find(':', pos);
        const auto len = std::stoul(out.substr(pos, colon - pos));
        v.push_back(out.substr(colon + 1, len));
        pos = colon + 1 + len + 1;
    }
    return v;
}

inline bool contains(const std::string& hay, const std::string& needle) {
    return hay.find(needle) != std::string::npos;
}

}  // namespace test
