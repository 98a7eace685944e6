// tests/support.hpp: what the suites share: where the helper child is, counters of the process's
// descriptors (handles), threads and zombie children, liveness of a pid, a scratch directory,
// and the few words that differ between POSIX and Windows.
// SPDX-License-Identifier: MIT
#pragma once

#include <liftoff/liftoff.hpp>

#if defined(_WIN32)
#include <tlhelp32.h>  // thread counts (after liftoff, which brought <windows.h>)
#else
#include <dirent.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#endif  // _WIN32

#include <algorithm>
#include <cstdint>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <stdexcept>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace test {

/// The openers and from_system_encoding() on platform P (a test's opener or decoder swapped
/// in), throwing or reporting as the public functions do.
template <class P>
struct on {
    using options = liftoff::open_options;
    using strings = std::vector<std::string>;
    template <class Body>
    static auto throwing(Body body) {
        return liftoff::detail::throwing(body);
    }
    template <class Body>
    static auto reporting(std::error_code& ec, Body body) {
        return liftoff::detail::reporting(ec, body);
    }
#define LIFTOFF_TEST_FORMS(RET, NAME, PARAMS, ARGS)                                               \
    static RET NAME PARAMS {                                                                      \
        return throwing([&](liftoff::failure& f) { return liftoff::detail::NAME##_on<P> ARGS; }); \
    }
    LIFTOFF_TEST_FORMS(liftoff::child, open_url, (const std::string& u, const options& o = {}), (u, o, f))
    LIFTOFF_TEST_FORMS(liftoff::child, open_path, (const std::string& u, const options& o = {}), (u, o, f))
    LIFTOFF_TEST_FORMS(liftoff::child, reveal, (const std::string& u, const options& o = {}), (u, o, f))
    LIFTOFF_TEST_FORMS(liftoff::child, open_with, (const std::string& a, const strings& t, const options& o = {}),
                       (a, t, o, f))
    LIFTOFF_TEST_FORMS(liftoff::open_plan, plan_open_url, (const std::string& u, const options& o = {}), (u, o, f))
    LIFTOFF_TEST_FORMS(liftoff::open_plan, plan_open_path, (const std::string& u, const options& o = {}), (u, o, f))
    LIFTOFF_TEST_FORMS(liftoff::open_plan, plan_reveal, (const std::string& u, const options& o = {}), (u, o, f))
    LIFTOFF_TEST_FORMS(liftoff::open_plan, plan_open_with,
                       (const std::string& a, const strings& t, const options& o = {}), (a, t, o, f))
#undef LIFTOFF_TEST_FORMS
    static liftoff::open_plan plan_open_url(const std::string& u, const options& o, std::error_code& ec) {
        return reporting(ec, [&](liftoff::failure& f) { return liftoff::detail::plan_open_url_on<P>(u, o, f); });
    }
    static liftoff::open_plan plan_reveal(const std::string& u, const options& o, std::error_code& ec) {
        return reporting(ec, [&](liftoff::failure& f) { return liftoff::detail::plan_reveal_on<P>(u, o, f); });
    }
    static std::string from_system_encoding(const std::string& text) {
        std::string out;
        if (auto f = liftoff::detail::decode_system_text<P>(text, out)) liftoff::detail::raise(f);
        return out;
    }
    static std::string from_system_encoding(const std::string& text, std::error_code& ec) {
        std::string out;
        ec = liftoff::detail::decode_system_text<P>(text, out).code;
        return ec ? std::string() : out;
    }
};

/// A UTF-8 path as std::filesystem sees it (on Windows a std::string is read as ANSI otherwise).
inline std::filesystem::path fs_path(const std::string& utf8) {
    return std::filesystem::u8path(utf8);
}
inline std::string utf8(const std::filesystem::path& p) {
    return p.u8string();
}

inline std::string helper() {
    std::string p = LIFTOFF_TEST_HELPER;
#if defined(_WIN32)
    // Meson gives the build machine's path; wine shows the root of that file system as Z:.
    if (!p.empty() && p[0] == '/') p = "Z:" + p;
    std::replace(p.begin(), p.end(), '/', '\\');
#endif  // _WIN32
    return p;
}

/// A command running the helper with these actions.
inline liftoff::command helper_cmd(std::vector<std::string> actions) {
    return liftoff::command{helper(), std::move(actions)};
}

#if defined(_WIN32)
constexpr char sep = '\\';
constexpr char list_sep = ';';
inline std::string exe(const std::string& name) {
    return name + ".exe";
}
#else
constexpr char sep = '/';
constexpr char list_sep = ':';
inline std::string exe(const std::string& name) {
    return name;
}
#endif  // _WIN32

/// A PATH-style list in this OS's syntax.
inline std::string path_list(const std::vector<std::string>& dirs) {
    std::string out;
    for (std::size_t i = 0; i < dirs.size(); ++i)
        out += (i ? std::string(1, list_sep) : std::string()) + dirs[i];
    return out;
}

inline void set_env(const std::string& name, const std::string& value) {
#if defined(_WIN32)
    std::wstring n, v;
    liftoff::detail::utf8_to_utf16(name, n);
    liftoff::detail::utf8_to_utf16(value, v);
    ::SetEnvironmentVariableW(n.c_str(), v.c_str());
#else
    ::setenv(name.c_str(), value.c_str(), 1);
#endif  // _WIN32
}

/// True when this is wine standing in for Windows (tests say where wine differs).
inline bool under_wine() {
#if defined(_WIN32)
    const HMODULE ntdll = ::GetModuleHandleW(L"ntdll.dll");
    return ntdll != nullptr && ::GetProcAddress(ntdll, "wine_get_version") != nullptr;
#else
    return false;
#endif  // _WIN32
}

/// Calls `start()` (a launch or a run); under wine, once more if it failed with wine's
/// ERROR_INTERNAL_ERROR (a new wine process that died while starting, on a loaded machine;
/// Windows has no such failure), saying so.
template <class F>
auto retry_wine_start(F start) -> decltype(start()) {
    try {
        return start();
    } catch (const liftoff::launch_error& e) {
        if (!under_wine() || e.os_error().value() != 1359) throw;
        MESSAGE("wine: retried a start that failed with ERROR_INTERNAL_ERROR");
        return start();
    }
}

/// How many variables a child started with env_clear() has: none, but wine adds its own
/// (WINECONFIGDIR, SystemRoot, ...) where Windows passes the block as it is.
inline int cleared_env_count() {
    const auto r = liftoff::run(liftoff::command{helper(), {"envcount"}}.env_clear());
    return std::stoi(r.out);
}

#if defined(_WIN32)
/// The handle values in use here, found by probing each with GetHandleInformation: wine 8's
/// GetProcessHandleCount always says 0. Handle tables hand out the lowest free multiple of 4, so
/// the probe stops after 1024 free values in a row past the highest one seen.
inline int probe_handles() {
    int n = 0;
    std::uintptr_t last = 0;
    for (std::uintptr_t v = 4; v < last + 4 * 1024 + 8; v += 4) {
        DWORD flags = 0;
        if (::GetHandleInformation(reinterpret_cast<HANDLE>(v), &flags)) {
            ++n;
            last = v;
        }
    }
    return n;
}

/// Handles this process holds. The count checks itself: a handle it opens must be counted, and
/// if it is not (three tries, for other threads opening and closing handles meanwhile) this
/// throws, failing the test, instead of comparing two counts that see nothing.
inline int open_fds() {
    for (int attempt = 0; attempt < 3; ++attempt) {
        const int before = probe_handles();
        HANDLE h = ::CreateEventW(nullptr, FALSE, FALSE, nullptr);
        const int with = probe_handles();
        ::CloseHandle(h);
        if (h != nullptr && with == before + 1) return before;
    }
    throw std::runtime_error("tests/support.hpp: the handle count cannot see a handle it opened");
}
inline int threads() {
    int n = 0;
    HANDLE snap = ::CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0);
    if (snap == INVALID_HANDLE_VALUE) return -1;
    THREADENTRY32 e;
    e.dwSize = sizeof e;
    for (BOOL ok = ::Thread32First(snap, &e); ok; ok = ::Thread32Next(snap, &e))
        if (e.th32OwnerProcessID == ::GetCurrentProcessId()) ++n;
    ::CloseHandle(snap);
    return n;
}
/// Windows has no zombies: a process is gone when it has exited.
inline int zombies() {
    return 0;
}
inline bool alive(long long pid) {
    HANDLE h = ::OpenProcess(SYNCHRONIZE, FALSE, static_cast<DWORD>(pid));
    if (h == nullptr) return false;
    const bool running = ::WaitForSingleObject(h, 0) == WAIT_TIMEOUT;
    ::CloseHandle(h);
    return running;
}
inline void kill_pid(long long pid) {
    HANDLE h = ::OpenProcess(PROCESS_TERMINATE, FALSE, static_cast<DWORD>(pid));
    if (h == nullptr) return;
    ::TerminateProcess(h, 1);
    ::CloseHandle(h);
}
#else
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

/// Children of this process: all of them (running or zombie), or only the zombies (exited,
/// not reaped).
inline int children(bool zombies_only = false) {
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
            if (ppid == me && (!zombies_only || state == "Z")) ++n;
        }
        ::closedir(d);
    }
    return n;
}
inline int zombies() {
    return children(true);
}

/// True while /proc/<pid> exists and is not a zombie.
inline bool alive(long long pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) return false;
    const auto close = line.rfind(')');
    return close != std::string::npos && line.size() > close + 2 && line[close + 2] != 'Z';
}
inline void kill_pid(long long pid) {
    ::kill(static_cast<pid_t>(pid), SIGKILL);
}
#endif  // _WIN32

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
#if defined(_WIN32)
    return eventually([] { return liftoff::detail::windows_io_port::instance().pending() == 0; },
                      std::chrono::seconds(10));
#else
    return eventually([] { return liftoff::detail::event_loop::instance().pending() == 0 && zombies() == 0; },
                      std::chrono::seconds(10));
#endif  // _WIN32
}

/// How a child ended when terminate() had to kill it, and when the polite stop worked.
inline bool killed(const liftoff::exit_status& s) {
#if defined(_WIN32)
    return s == liftoff::exit_status::from_code(
                    static_cast<int>(liftoff::detail::native_platform::process::killed_exit_code));
#else
    return s.signaled() && s.signal() == SIGKILL;
#endif  // _WIN32
}

/// A fresh directory under the temporary directory, removed with everything in it. `tag` is
/// part of its name (non-ASCII tags test Unicode paths).
class scratch_dir {
public:
    explicit scratch_dir(const std::string& tag = "") {
        std::random_device rd;
        const auto base = std::filesystem::temp_directory_path();
        for (int i = 0; i < 100 && path_.empty(); ++i) {
            const auto p = base / fs_path("liftoff-test-" + tag + std::to_string(rd() % 1000000000u));
            std::error_code ec;
            if (std::filesystem::create_directory(p, ec)) path_ = utf8(std::filesystem::canonical(p));
        }
    }
    ~scratch_dir() {
        std::error_code ec;
        if (!path_.empty()) std::filesystem::remove_all(fs_path(path_), ec);
    }
    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + sep + name; }
    std::string write(const std::string& name, const std::string& text, unsigned mode = 0644) const {
        const std::string p = file(name);
        std::ofstream(fs_path(p), std::ios::binary) << text;
#if !defined(_WIN32)
        ::chmod(p.c_str(), mode);
#else
        (void)mode;
#endif  // !_WIN32
        return p;
    }
    /// A copy of the helper program here, runnable, as `name` (".exe" added on Windows).
    std::string copy_helper(const std::string& name) const {
        const std::string p = file(exe(name));
        std::filesystem::copy_file(fs_path(helper()), fs_path(p));
#if !defined(_WIN32)
        ::chmod(p.c_str(), 0755);
#endif  // !_WIN32
        return p;
    }

private:
    std::string path_;
};

inline std::string read_file(const std::string& p) {
    std::ifstream f(fs_path(p), std::ios::binary);
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

#if !defined(_WIN32)
/// Leaves this process no descriptor to spare (RLIMIT_NOFILE's soft limit lowered to 64, the
/// rest filled) until give_back() or the end of the scope; waits for `pid` to exit first (without
/// reaping it), so that what is looked at then is a zombie.
class no_spare_descriptors {
public:
    explicit no_spare_descriptors(pid_t pid) {
        siginfo_t info{};
        while (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR) {
        }
        ::getrlimit(RLIMIT_NOFILE, &was_);
        rlimit low = was_;
        low.rlim_cur = 64;
        ::setrlimit(RLIMIT_NOFILE, &low);
        for (int fd; (fd = ::dup(0)) >= 0;)
            filler_.push_back(fd);
    }
    no_spare_descriptors(const no_spare_descriptors&) = delete;
    no_spare_descriptors& operator=(const no_spare_descriptors&) = delete;
    ~no_spare_descriptors() {
        give_back();
        ::setrlimit(RLIMIT_NOFILE, &was_);
    }
    void give_back() {
        for (const int fd : filler_)
            ::close(fd);
        filler_.clear();
    }

private:
    rlimit was_{};
    std::vector<int> filler_;
};
#endif  // !_WIN32

}  // namespace test
