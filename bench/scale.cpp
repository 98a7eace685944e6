// bench/scale.cpp: one case of the scale benchmark (issue 13) per process, so that peaks (threads,
// descriptors, VmPeak, VmHWM) of one case never mix with another's: many captured children at
// once with liftoff or with one hand-written epoll loop (the floor), or a limit case. Prints one
// JSON object; bench/run --scale starts one process per case and prints the tables.
//
//   scale_bench --child PATH [--hold-ms MS] measure liftoff|raw N
//   scale_bench --child PATH nofile liftoff|raw        launch captured children under ulimit -n 1024
//   scale_bench --child PATH nproc liftoff|raw         ... under RLIMIT_NPROC 1000 (as nobody if root)
//   scale_bench --child PATH released liftoff|raw      300 released children still running
//
// Every child (bench_child hold LOCK) writes a line to stdout and one to stderr, then waits for a
// shared lock on a file this process holds exclusively: all stay alive until it lets go (and die
// with it if it crashes), however long the launches take.
// SPDX-License-Identifier: MIT
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <spawn.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <liftoff/liftoff.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace {

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point t0) {
    return std::chrono::duration<double>(clock_type::now() - t0).count();
}

/// User+sys seconds of this process alone (its threads, not its children).
double cpu_self() {
    rusage u{};
    ::getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

/// A field of /proc/self/status ("Threads", or "VmPeak" in kB), -1 if absent.
long long status_field(const char* name) {
    std::ifstream f("/proc/self/status");
    std::string line;
    const std::size_t len = std::strlen(name);
    while (std::getline(f, line))
        if (line.compare(0, len, name) == 0 && line.size() > len && line[len] == ':')
            return std::atoll(line.c_str() + len + 1);
    return -1;
}

long long threads_now() {
    return status_field("Threads");
}

/// Open descriptors of this process (the directory's own one left out).
long long descriptors_now() {
    DIR* d = ::opendir("/proc/self/fd");
    if (d == nullptr) return -1;
    long long n = 0;
    while (const dirent* e = ::readdir(d))
        if (e->d_name[0] != '.') ++n;
    ::closedir(d);
    return n - 1;
}

std::string json_str(const std::string& s);

/// Open descriptors by kind ("pipe", "anon_inode:[pidfd]", "anon_inode:[eventfd]", ...) as a JSON
/// object: what each child costs, not only how much.
std::string descriptor_kinds() {
    std::map<std::string, long long> kinds;
    DIR* d = ::opendir("/proc/self/fd");
    if (d == nullptr) return "{}";
    const int own = ::dirfd(d);
    while (const dirent* e = ::readdir(d)) {
        if (e->d_name[0] == '.' || std::atoi(e->d_name) == own) continue;
        char target[256];
        const ssize_t n = ::readlinkat(own, e->d_name, target, sizeof target - 1);
        if (n < 0) continue;
        std::string t(target, static_cast<std::size_t>(n));
        if (t.compare(0, 5, "pipe:") == 0)
            t = "pipe";
        else if (t.compare(0, 1, "/") == 0)
            t = "file";
        else if (t.compare(0, 7, "socket:") == 0)
            t = "socket";
        ++kinds[t];
    }
    ::closedir(d);
    std::string out = "{";
    for (const auto& k : kinds)
        out += (out.size() > 1 ? ", " : "") + json_str(k.first) + ": " + std::to_string(k.second);
    return out + "}";
}

std::string json_str(const std::string& s) {
    std::string out = "\"";
    for (const char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

/// Written at once (not buffered): if the process dies, bench/run still sees how far it got.
void progress(const char* what, long long n) {
    char buf[64];
    const int len = std::snprintf(buf, sizeof buf, "progress %s %lld\n", what, n);
    if (::write(1, buf, static_cast<std::size_t>(len)) < 0) std::perror("write");
}

std::string errno_message(const char* call, int err) {
    return std::string(call) + ": " + std::strerror(err);
}

/// The file the children wait on: locked exclusively until release().
class hold_lock {
public:
    hold_lock() {
        char name[] = "/tmp/liftoff-scale-XXXXXX";
        fd_ = ::mkostemp(name, O_CLOEXEC);
        if (fd_ < 0) throw std::runtime_error(errno_message("mkostemp", errno));
        path_ = name;
        ::fchmod(fd_, 0644);  // readable by nobody too (the RLIMIT_NPROC case)
        if (::flock(fd_, LOCK_EX) != 0) throw std::runtime_error(errno_message("flock", errno));
    }
    ~hold_lock() {
        ::unlink(path_.c_str());
        ::close(fd_);
    }
    hold_lock(const hold_lock&) = delete;
    hold_lock& operator=(const hold_lock&) = delete;
    void release() { ::flock(fd_, LOCK_UN); }
    const std::string& path() const { return path_; }

private:
    int fd_ = -1;
    std::string path_;
};

/// What each contender does: launch one more child, pass time while they run, wait for all.
class contender {
public:
    virtual ~contender() = default;
    /// Launches child number `i`; throws with the message the user would see if it cannot.
    virtual void launch() = 0;
    /// Lets `ms` pass with the children running (the raw loop reads in the meantime).
    virtual void idle(int ms, long long& peak_threads) = 0;
    /// Waits for every child launched, reads all of their output; returns how many exited 0
    /// having written exactly their two lines.
    virtual long long wait_all(long long& peak_threads) = 0;
};

class lift final : public contender {
public:
    lift(const std::string& child, const std::string& lock, bool capture)
        : cmd_(child, {"hold", lock}), capture_(capture) {
        if (capture)
            cmd_.stdout_to(liftoff::io::capture()).stderr_to(liftoff::io::capture());
        else
            cmd_.stdout_to(liftoff::io::null()).stderr_to(liftoff::io::null());
    }
    void launch() override { kids_.push_back(liftoff::launch(cmd_)); }
    void idle(int ms, long long& peak) override {
        for (int t = 0; t < ms; t += 50) {
            std::this_thread::sleep_for(std::chrono::milliseconds(std::min(50, ms - t)));
            peak = std::max(peak, threads_now());
        }
    }
    long long wait_all(long long& peak) override {
        long long good = 0;
        for (std::size_t i = 0; i < kids_.size(); ++i) {
            if (i % 256 == 0) peak = std::max(peak, threads_now());
            const liftoff::exit_status s = kids_[i].wait();
            if (s.success() && (!capture_ || (kids_[i].out() == "out\n" && kids_[i].err() == "err\n"))) ++good;
        }
        return good;
    }
    /// Releases every child (they run on, unowned).
    void release_all() {
        for (auto& k : kids_)
            k.release();
        kids_.clear();
    }

private:
    liftoff::command cmd_;
    bool capture_;
    std::vector<liftoff::child> kids_;
};

/// The floor: posix_spawn, pipe2(O_CLOEXEC) for stdout and stderr, one level-triggered epoll
/// set read until every stream's EOF, then waitpid for each.
class raw final : public contender {
public:
    raw(const std::string& child, const std::string& lock, bool capture)
        : child_(child), lock_(lock), capture_(capture), ep_(::epoll_create1(EPOLL_CLOEXEC)) {
        if (ep_ < 0) throw std::runtime_error(errno_message("epoll_create1", errno));
        argv_ = {const_cast<char*>(child_.c_str()), const_cast<char*>("hold"), const_cast<char*>(lock_.c_str()),
                 nullptr};
    }
    ~raw() override { ::close(ep_); }
    raw(const raw&) = delete;
    raw& operator=(const raw&) = delete;

    void launch() override {
        kid k;
        int o[2] = {-1, -1}, e[2] = {-1, -1};
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        if (capture_) {
            if (::pipe2(o, O_CLOEXEC) != 0) throw std::runtime_error(errno_message("pipe2", errno));
            if (::pipe2(e, O_CLOEXEC) != 0) {
                const int err = errno;
                ::close(o[0]);
                ::close(o[1]);
                throw std::runtime_error(errno_message("pipe2", err));
            }
            posix_spawn_file_actions_adddup2(&fa, o[1], 1);
            posix_spawn_file_actions_adddup2(&fa, e[1], 2);
        } else {
            posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
            posix_spawn_file_actions_adddup2(&fa, 1, 2);
        }
        const int err = ::posix_spawn(&k.pid, child_.c_str(), &fa, nullptr, argv_.data(), environ);
        posix_spawn_file_actions_destroy(&fa);
        if (capture_) {
            ::close(o[1]);
            ::close(e[1]);
        }
        if (err != 0) {
            if (capture_) {
                ::close(o[0]);
                ::close(e[0]);
            }
            throw std::runtime_error(errno_message("posix_spawn", err));
        }
        if (capture_) {
            k.fd[0] = o[0];
            k.fd[1] = e[0];
            for (std::uint64_t s = 0; s < 2; ++s) {
                epoll_event ev{};
                ev.events = EPOLLIN;
                ev.data.u64 = kids_.size() * 2 + s;
                if (::epoll_ctl(ep_, EPOLL_CTL_ADD, k.fd[s], &ev) != 0)
                    throw std::runtime_error(errno_message("epoll_ctl", errno));
            }
            open_ += 2;
        }
        kids_.push_back(std::move(k));
    }

    void idle(int ms, long long& peak) override {
        const auto end = clock_type::now() + std::chrono::milliseconds(ms);
        for (;;) {
            peak = std::max(peak, threads_now());
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - clock_type::now()).count();
            if (left <= 0) break;
            pump(static_cast<int>(std::min<long long>(left, 50)));
        }
    }

    long long wait_all(long long& peak) override {
        for (long long rounds = 0; open_ > 0; ++rounds) {
            if (rounds % 64 == 0) peak = std::max(peak, threads_now());
            pump(-1);
        }
        long long good = 0;
        for (auto& k : kids_) {
            int status = 0;
            while (::waitpid(k.pid, &status, 0) < 0 && errno == EINTR) {
            }
            if (WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
                (!capture_ || (k.buf[0] == "out\n" && k.buf[1] == "err\n")))
                ++good;
        }
        return good;
    }

private:
    struct kid {
        pid_t pid = 0;
        int fd[2] = {-1, -1};
        std::string buf[2];
    };

    /// One epoll_wait: reads what is ready, closes the streams at EOF.
    void pump(int timeout_ms) {
        epoll_event evs[256];
        const int n = ::epoll_wait(ep_, evs, 256, timeout_ms);
        char buf[4096];
        for (int i = 0; i < n; ++i) {
            kid& k = kids_[evs[i].data.u64 / 2];
            const std::size_t s = evs[i].data.u64 % 2;
            const ssize_t r = ::read(k.fd[s], buf, sizeof buf);
            if (r > 0) {
                k.buf[s].append(buf, static_cast<std::size_t>(r));
            } else if (r == 0 || (errno != EINTR && errno != EAGAIN)) {
                ::epoll_ctl(ep_, EPOLL_CTL_DEL, k.fd[s], nullptr);
                ::close(k.fd[s]);
                k.fd[s] = -1;
                --open_;
            }
        }
    }

    std::string child_, lock_;
    bool capture_;
    int ep_;
    std::vector<char*> argv_;
    std::vector<kid> kids_;
    long long open_ = 0;
};

std::unique_ptr<contender> make(const std::string& who, const std::string& child, const std::string& lock,
                                bool capture) {
    if (who == "liftoff") return std::make_unique<lift>(child, lock, capture);
    if (who == "raw") return std::make_unique<raw>(child, lock, capture);
    throw std::invalid_argument("contender must be liftoff or raw, not " + who);
}

/// The message a failed launch gave, with the exception's type when it is not launch_error.
std::string message_of(const std::exception& e) {
    if (dynamic_cast<const liftoff::launch_error*>(&e) != nullptr) return e.what();
    if (dynamic_cast<const std::system_error*>(&e) != nullptr) return std::string("std::system_error: ") + e.what();
    return e.what();
}

/// RLIMIT_NOFILE raised: the soft limit to `want` (the hard limit raised too when we may, i.e.
/// as root, up to fs.nr_open). Returns what was done, for the table.
std::string raise_nofile(rlim_t want) {
    rlimit before{};
    ::getrlimit(RLIMIT_NOFILE, &before);
    rlimit after = before;
    if (want > after.rlim_max && ::geteuid() == 0) {
        rlim_t nr_open = want;
        std::ifstream("/proc/sys/fs/nr_open") >> nr_open;
        after.rlim_max = std::min(want, nr_open);
    }
    after.rlim_cur = after.rlim_max;
    std::string why;
    if (::setrlimit(RLIMIT_NOFILE, &after) != 0) {  // a root without CAP_SYS_RESOURCE, in a container
        why = " (raising the hard limit to " + std::to_string(after.rlim_max) + ": " + std::strerror(errno) + ")";
        after = before;
        after.rlim_cur = after.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &after);
    }
    ::getrlimit(RLIMIT_NOFILE, &after);
    return "RLIMIT_NOFILE soft " + std::to_string(before.rlim_cur) + " -> " + std::to_string(after.rlim_cur) +
           ", hard " + std::to_string(before.rlim_max) + " -> " + std::to_string(after.rlim_max) + why;
}

/// Threads (tasks) of processes owned by `uid` now: what RLIMIT_NPROC counts.
long long tasks_of(uid_t uid) {
    long long n = 0;
    DIR* d = ::opendir("/proc");
    if (d == nullptr) return -1;
    while (const dirent* e = ::readdir(d)) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        std::ifstream f(std::string("/proc/") + e->d_name + "/status");
        std::string line;
        long long threads = 0;
        bool mine = false;
        while (std::getline(f, line)) {
            if (line.compare(0, 4, "Uid:") == 0) mine = std::strtoul(line.c_str() + 4, nullptr, 10) == uid;
            if (line.compare(0, 8, "Threads:") == 0) threads = std::atoll(line.c_str() + 8);
        }
        if (mine) n += threads;
    }
    ::closedir(d);
    return n;
}

int measure(const std::string& who, const std::string& child, long long n, int hold_ms) {
    const std::string limits = raise_nofile(static_cast<rlim_t>(8 * n + 1024));
    hold_lock lock;
    const long long fd0 = descriptors_now(), threads0 = threads_now();
    auto c = make(who, child, lock.path(), true);
    const double cpu0 = cpu_self();
    const auto t0 = clock_type::now();
    long long launched = 0;
    std::string failure;
    try {
        for (; launched < n; ++launched) {
            c->launch();
            if ((launched + 1) % 1000 == 0) progress("launched", launched + 1);
        }
    } catch (const std::exception& e) {
        failure = message_of(e);
    }
    const double launch_wall = seconds_since(t0);
    const double launch_cpu = cpu_self() - cpu0;
    long long peak = threads_now();
    const long long fds = descriptors_now() - fd0;
    const std::string kinds = descriptor_kinds();
    progress("launches-done", launched);
    c->idle(hold_ms, peak);
    lock.release();
    const auto t2 = clock_type::now();
    const long long good = c->wait_all(peak);
    const double wait_wall = seconds_since(t2);
    const double total_wall = seconds_since(t0);
    const double cpu = cpu_self() - cpu0;
    std::printf(
        "{\"case\": \"measure\", \"contender\": \"%s\", \"n\": %lld, \"launched\": %lld, \"ok\": %lld, "
        "\"failure\": %s, \"launch_wall\": %.4f, \"launch_cpu\": %.4f, \"wait_wall\": %.4f, \"total_wall\": "
        "%.4f, \"hold\": %.3f, \"cpu\": %.4f, \"threads_before\": %lld, \"peak_threads\": %lld, "
        "\"descriptors\": %lld, \"descriptor_kinds\": %s, \"vm_peak_kb\": %lld, \"hwm_kb\": %lld, \"limits\": %s}\n",
        who.c_str(), n, launched, good, json_str(failure).c_str(), launch_wall, launch_cpu, wait_wall, total_wall,
        hold_ms / 1000.0, cpu, threads0, peak, fds, kinds.c_str(), status_field("VmPeak"), status_field("VmHWM"),
        json_str(limits).c_str());
    return 0;
}

/// Launches captured children until one fails (at most `cap`); reports how many and the message.
int until_failure(const std::string& which, const std::string& who, const std::string& child, long long cap,
                  const std::string& setup) {
    hold_lock lock;
    auto c = make(who, child, lock.path(), true);
    long long launched = 0;
    std::string failure;
    try {
        for (; launched < cap; ++launched) {
            c->launch();
            progress("launched", launched + 1);
        }
    } catch (const std::exception& e) {
        failure = message_of(e);
    }
    const long long fds = descriptors_now();
    long long peak = threads_now();
    lock.release();
    const long long good = c->wait_all(peak);
    std::printf(
        "{\"case\": \"%s\", \"contender\": \"%s\", \"launched\": %lld, \"cap\": %lld, \"ok\": %lld, \"failure\": "
        "%s, \"descriptors\": %lld, \"peak_threads\": %lld, \"setup\": %s}\n",
        which.c_str(), who.c_str(), launched, cap, good, json_str(failure).c_str(), fds, peak, json_str(setup).c_str());
    return 0;
}

int nofile(const std::string& who, const std::string& child) {
    const rlimit lim{1024, 1024};
    if (::setrlimit(RLIMIT_NOFILE, &lim) != 0) throw std::runtime_error(errno_message("setrlimit", errno));
    return until_failure("nofile", who, child, 2000, "RLIMIT_NOFILE soft = hard = 1024");
}

int nproc(const std::string& who, const std::string& child) {
    raise_nofile(20000);  // descriptors must not be what stops it
    std::string setup;
    if (::geteuid() == 0) {  // root is exempt from RLIMIT_NPROC: become nobody (65534)
        const uid_t nobody = 65534;
        if (::setgroups(0, nullptr) != 0 || ::setgid(nobody) != 0 || ::setuid(nobody) != 0)
            throw std::runtime_error(errno_message("setuid(nobody)", errno));
        setup = "run as user nobody (uid 65534: root is exempt from RLIMIT_NPROC); ";
    }
    const rlimit lim{1000, 1000};
    if (::setrlimit(RLIMIT_NPROC, &lim) != 0) throw std::runtime_error(errno_message("setrlimit", errno));
    setup += "RLIMIT_NPROC soft = hard = 1000; tasks of uid " + std::to_string(::getuid()) +
             " before the launches: " + std::to_string(tasks_of(::getuid()));
    return until_failure("nproc", who, child, 2000, setup);
}

int released(const std::string& who, const std::string& child) {
    hold_lock lock;
    const long long fd0 = descriptors_now(), threads0 = threads_now();
    long long launched = 0;
    std::string failure;
    {
        std::unique_ptr<contender> c = make(who, child, lock.path(), false);
        try {
            for (; launched < 300; ++launched)
                c->launch();
        } catch (const std::exception& e) {
            failure = message_of(e);
        }
        // raw: forgetting the pids is its release (they stay zombies until this process ends).
        if (auto* l = dynamic_cast<lift*>(c.get())) l->release_all();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const long long fds = descriptors_now() - fd0, threads = threads_now();
    const std::string kinds = descriptor_kinds();
    lock.release();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const long long fds_after = descriptors_now() - fd0, threads_after = threads_now();
    std::printf(
        "{\"case\": \"released\", \"contender\": \"%s\", \"launched\": %lld, \"failure\": %s, \"descriptors\": "
        "%lld, \"descriptor_kinds\": %s, \"threads\": %lld, \"threads_before\": %lld, \"descriptors_after_exit\": "
        "%lld, "
        "\"threads_after_exit\": %lld}\n",
        who.c_str(), launched, json_str(failure).c_str(), fds, kinds.c_str(), threads, threads0, fds_after,
        threads_after);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::string child;
    int hold_ms = 1000;
    std::vector<std::string> rest;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--child" && i + 1 < argc)
            child = argv[++i];
        else if (a == "--hold-ms" && i + 1 < argc)
            hold_ms = std::atoi(argv[++i]);
        else
            rest.push_back(a);
    }
    if (child.empty() || rest.size() < 2) {
        std::fprintf(stderr,
                     "usage: scale_bench --child PATH [--hold-ms MS] measure|nofile|nproc|released "
                     "liftoff|raw [N]\n");
        return 2;
    }
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    try {
        const std::string& what = rest[0];
        const std::string& who = rest[1];
        if (what == "measure" && rest.size() == 3) return measure(who, child, std::atoll(rest[2].c_str()), hold_ms);
        if (what == "nofile") return nofile(who, child);
        if (what == "nproc") return nproc(who, child);
        if (what == "released") return released(who, child);
        std::fprintf(stderr, "scale_bench: unknown case %s\n", what.c_str());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "scale_bench: %s\n", e.what());
        return 1;
    }
}
