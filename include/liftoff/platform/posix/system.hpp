// liftoff/platform/posix/system.hpp: what the portable layers ask of a POSIX system: the
// environment, file probes, paths, and signal-safe helpers for library threads.
// SPDX-License-Identifier: MIT
#pragma once

#include <pthread.h>       // pthread_sigmask
#include <signal.h>        // sigset_t, sigtimedwait
#include <fcntl.h>         // fcntl
#include <sys/resource.h>  // RLIMIT_* names
#include <sys/stat.h>      // stat
#include <unistd.h>        // faccessat, confstr, getcwd

#include <cerrno>
#include <cstdint>
#include <cstdlib>  // getenv
#include <cstring>  // strlen
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../../detail/launch_spec.hpp"  // file_probe
#include "fd.hpp"
#include "os.hpp"  // posix_environ

namespace liftoff {
inline namespace v0 {
namespace detail {

/// The file-system and environment verbs shared by every POSIX platform.
struct posix_system {
    static constexpr char path_list_separator = ':';

    static bool is_absolute(std::string_view p) noexcept { return !p.empty() && p.front() == '/'; }
    static bool has_directory_part(std::string_view name) noexcept { return name.find('/') != std::string_view::npos; }

    /// A relative path made absolute against the current directory (not normalised).
    static std::string make_absolute(std::string p) {
        if (is_absolute(p)) return p;
        std::string cwd(256, '\0');
        while (::getcwd(&cwd[0], cwd.size()) == nullptr) {
            if (errno != ERANGE) return p;  // the cwd is gone: leave the path as given
            cwd.resize(cwd.size() * 2);
        }
        cwd.resize(std::strlen(cwd.c_str()));
        if (p.compare(0, 2, "./") == 0) p.erase(0, 2);
        return cwd + (cwd.back() == '/' ? "" : "/") + p;
    }

    /// One candidate per directory: POSIX has no PATHEXT.
    static std::vector<std::string> path_candidates(const std::string& dir, std::string_view name,
                                                    const std::optional<std::string>& /*pathext*/) {
        std::string c = dir;
        if (c.back() != '/') c += '/';
        c.append(name.data(), name.size());
        return {std::move(c)};
    }

    static file_probe probe_file(const std::string& path) noexcept {
        file_probe p;
        struct stat st;
        if (::stat(path.c_str(), &st) != 0) return p;
        p.exists = true;
        p.regular = S_ISREG(st.st_mode);
        p.directory = S_ISDIR(st.st_mode);
        p.executable = ::faccessat(AT_FDCWD, path.c_str(), X_OK, AT_EACCESS) == 0;
        return p;
    }

    static std::filesystem::path to_path(const std::string& p) { return std::filesystem::path(p); }

    /// Reads the live environment; like getenv it races with setenv on other threads.
    static std::optional<std::string> get_env(const char* name) {
        const char* v = std::getenv(name);
        if (v == nullptr) return std::nullopt;
        return std::string(v);
    }

    static std::vector<std::string> current_environment() {
        std::vector<std::string> out;
        for (char** e = posix_environ(); e != nullptr && *e != nullptr; ++e)
            out.emplace_back(*e);
        return out;
    }

    static bool env_names_equal(std::string_view a, std::string_view b) noexcept { return a == b; }

    /// What execvp searches when there is no PATH at all.
    static std::string default_path() {
        char buf[256];
        const std::size_t n = ::confstr(_CS_PATH, buf, sizeof buf);
        if (n == 0 || n > sizeof buf) return "/bin:/usr/bin";
        return std::string(buf);
    }

    /// POSIX passes bytes: any string without NUL is fine.
    static bool valid_text(std::string_view) noexcept { return true; }

    /// from_system_encoding(): POSIX strings are bytes passed as they are, so text is unchanged.
    static std::optional<std::string> decode_system_text(std::string_view text) { return std::string(text); }
    static std::string system_encoding_name() { return "the system encoding"; }

    // The child's process state (command::pass_fd(), limit()): checks and names for messages.
    /// True if `fd` is an open descriptor of this process.
    static bool descriptor_open(int fd) noexcept { return fd >= 0 && ::fcntl(fd, F_GETFD) != -1; }
    /// "RLIMIT_NOFILE" for RLIMIT_NOFILE; "resource N" for one this system does not name.
    static std::string limit_name(int resource) {
        static const std::pair<int, const char*> names[] = {
            {RLIMIT_CORE, "RLIMIT_CORE"},
            {RLIMIT_CPU, "RLIMIT_CPU"},
            {RLIMIT_DATA, "RLIMIT_DATA"},
            {RLIMIT_FSIZE, "RLIMIT_FSIZE"},
            {RLIMIT_NOFILE, "RLIMIT_NOFILE"},
            {RLIMIT_STACK, "RLIMIT_STACK"},
            {RLIMIT_AS, "RLIMIT_AS"},
#if defined(RLIMIT_NPROC)
            {RLIMIT_NPROC, "RLIMIT_NPROC"},
#endif
#if defined(RLIMIT_MEMLOCK)
            {RLIMIT_MEMLOCK, "RLIMIT_MEMLOCK"},
#endif
#if defined(RLIMIT_RSS)
            {RLIMIT_RSS, "RLIMIT_RSS"},
#endif
#if defined(__linux__)
            {RLIMIT_LOCKS, "RLIMIT_LOCKS"},
            {RLIMIT_SIGPENDING, "RLIMIT_SIGPENDING"},
            {RLIMIT_MSGQUEUE, "RLIMIT_MSGQUEUE"},
            {RLIMIT_NICE, "RLIMIT_NICE"},
            {RLIMIT_RTPRIO, "RLIMIT_RTPRIO"},
            {RLIMIT_RTTIME, "RLIMIT_RTTIME"},
#endif
        };
        for (const auto& n : names)
            if (n.first == resource) return n.second;
        return "resource " + std::to_string(resource);
    }
    /// A limit's value for a message: "unlimited" for RLIM_INFINITY.
    static std::string limit_value(std::uint64_t v) {
        return v == static_cast<std::uint64_t>(RLIM_INFINITY) || v == ~std::uint64_t{0} ? "unlimited"
                                                                                        : std::to_string(v);
    }
};

/// Blocks every signal on this thread for the object's lifetime.
class signals_blocked {
public:
    signals_blocked() noexcept {
        sigset_t all;
        sigfillset(&all);
        ::pthread_sigmask(SIG_SETMASK, &all, &old_);
    }
    ~signals_blocked() { ::pthread_sigmask(SIG_SETMASK, &old_, nullptr); }
    signals_blocked(const signals_blocked&) = delete;
    signals_blocked& operator=(const signals_blocked&) = delete;

private:
    sigset_t old_;
};

/// write() that reports EPIPE instead of raising SIGPIPE on the calling (application) thread,
/// without touching process-wide signal state.
inline long write_without_sigpipe(int fd, const void* data, std::size_t n) noexcept {
#if LIFTOFF_HAS_PIPE_NOSIGPIPE
    return ::write(fd, data, n);  // the parent's stdin end has the flag (set_pipe_nosigpipe)
#else
    sigset_t pipe_only, old, pending;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    sigemptyset(&pending);
    ::sigpending(&pending);
    const bool was_pending = sigismember(&pending, SIGPIPE) == 1;
    ::pthread_sigmask(SIG_BLOCK, &pipe_only, &old);
    const long r = static_cast<long>(::write(fd, data, n));
    const int err = errno;
    // A write blocked on a full pipe whose reader goes away returns the bytes it wrote (not
    // EPIPE) and still raises SIGPIPE: look at what is pending, not at what write() returned.
    sigemptyset(&pending);
    ::sigpending(&pending);
    if (!was_pending && sigismember(&pending, SIGPIPE) == 1) {
        const struct timespec zero = {0, 0};
        retry_eintr([&] { return ::sigtimedwait(&pipe_only, nullptr, &zero); });
    }
    ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
    errno = err;
    return r;
#endif  // LIFTOFF_HAS_PIPE_NOSIGPIPE
}

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
