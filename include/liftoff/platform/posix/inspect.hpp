// liftoff/platform/posix/inspect.hpp: the facts diagnose() and preflight() need from a POSIX
// system: who and where we are, what a file or directory is, which sandbox we run in.
// Files under `root` are read so that tests can fake /proc and the sandbox markers.
// SPDX-License-Identifier: MIT
#pragma once

#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <unistd.h>
#if defined(__linux__) || defined(__APPLE__)
#include <sys/xattr.h>
#endif
#if defined(__linux__)
#include <iconv.h>  // legacy_readings(): what a name that is not UTF-8 reads as
#endif

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstddef>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../../detail/binary_format.hpp"
#include "../../detail/causes.hpp"
#include "../../detail/elf.hpp"
#include "../../detail/macho.hpp"
#include "../../detail/facts.hpp"
#include "../../detail/file.hpp"
#include "fd.hpp"
#include "os.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

struct posix_inspect {
#if defined(__APPLE__)
    static constexpr bool native_desktop = true;  ///< a macOS login session always has one
    static constexpr const char* native_desktop_name = "macos";
    static constexpr bool locale_always_utf8 = true;  ///< file names are UTF-8 whatever LANG says
#else
    static constexpr bool native_desktop = false;
    static constexpr const char* native_desktop_name = "";
    static constexpr bool locale_always_utf8 = false;
#endif  // __APPLE__

    static constexpr bool runs_scripts = true;  ///< the kernel runs #! scripts

    using env_lookup = std::function<std::optional<std::string>(std::string_view)>;

    static bool exists_at(const std::string& root, const std::string& path) {
        struct stat st;
        return ::stat(join_root(root, path).c_str(), &st) == 0;
    }
    static std::string read_at(const std::string& root, const std::string& path, std::size_t limit = 4096) {
        std::string s;
        read_file_prefix(join_root(root, path), s, limit);
        return s;
    }
    static std::string join_root(const std::string& root, const std::string& path) {
        if (root.empty() || root == "/") return path;
        return (root.back() == '/' ? root.substr(0, root.size() - 1) : root) + path;
    }

    /// Flatpak, Snap, WSL and containers, from the markers each leaves.
    static std::vector<std::string> detect_sandbox(const std::string& root, const env_lookup& env) {
        std::vector<std::string> found;
        const auto runtime = env("XDG_RUNTIME_DIR");
        if (exists_at(root, "/.flatpak-info") ||
            (runtime && !runtime->empty() && exists_at("/", *runtime + "/flatpak-info")))
            found.emplace_back("flatpak");
        if (const auto snap = env("SNAP"); snap && !snap->empty()) found.emplace_back("snap");
        std::string cgroup = read_at(root, "/proc/1/cgroup");
        const bool container =
            exists_at(root, "/.dockerenv") || exists_at(root, "/run/.containerenv") ||
            (env("container") && !env("container")->empty()) || cgroup.find("docker") != std::string::npos ||
            cgroup.find("kubepods") != std::string::npos || cgroup.find("containerd") != std::string::npos ||
            cgroup.find("/lxc") != std::string::npos;
        std::string release = read_at(root, "/proc/sys/kernel/osrelease");
        for (char& c : release)
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        const bool wsl =
            exists_at(root, "/proc/sys/fs/binfmt_misc/WSLInterop") || release.find("microsoft") != std::string::npos;
        if (wsl && !container) found.emplace_back("wsl");
        if (container) found.emplace_back("container");
        return found;
    }

    static system_facts probe_system(const std::string& root, const env_lookup& env) {
        system_facts s;
        struct utsname u;
        if (::uname(&u) == 0) {
            s.os = u.sysname;
            s.kernel = u.release;
            s.arch = u.machine;
        }
        s.uid = static_cast<long long>(::geteuid());
        s.gid = static_cast<long long>(::getegid());
        struct passwd pw;
        struct passwd* found = nullptr;
        char buf[4096];
        if (::getpwuid_r(::geteuid(), &pw, buf, sizeof buf, &found) == 0 && found != nullptr) s.user = pw.pw_name;
        const int n = ::getgroups(0, nullptr);
        if (n > 0) {
            std::vector<gid_t> g(static_cast<std::size_t>(n));
            const int got = ::getgroups(n, g.data());
            for (int i = 0; i < got; ++i)
                s.groups.push_back(static_cast<long long>(g[static_cast<std::size_t>(i)]));
        }
        s.umask = read_umask();
        std::string cwd(4096, '\0');
        if (::getcwd(&cwd[0], cwd.size()) != nullptr) {
            cwd.resize(std::strlen(cwd.c_str()));
            s.cwd = cwd;
            s.cwd_exists = true;
        } else {
            char link[4096];
            const ssize_t len = ::readlink("/proc/self/cwd", link, sizeof link - 1);
            s.cwd = len > 0 ? std::string(link, static_cast<std::size_t>(len)) : std::string("(unknown)");
        }
        s.terminal = ::isatty(0) == 1;
        if (const auto runtime = env("XDG_RUNTIME_DIR"); runtime && !runtime->empty()) {
            struct stat st;
            s.dbus_socket = ::stat((*runtime + "/bus").c_str(), &st) == 0 && S_ISSOCK(st.st_mode);
        }
        s.sandbox = detect_sandbox(root, env);
        return s;
    }

    /// The umask without changing it (Linux 4.7+ shows it in /proc); elsewhere set and restore.
    static std::string read_umask() {
        std::string status;
        read_file_prefix("/proc/self/status", status, 16384);
        const auto at = status.find("\nUmask:");
        if (at != std::string::npos) {
            const auto v = status.find_first_not_of(" \t", at + 7);
            const auto end = status.find('\n', at + 7);
            if (v != std::string::npos && v < end) return status.substr(v, end - v);
        }
        const mode_t m = ::umask(022);  // races with another thread creating files: only without /proc
        ::umask(m);
        char out[8];
        std::snprintf(out, sizeof out, "%04o", static_cast<unsigned>(m));
        return out;
    }

    static dir_facts inspect_directory(const std::string& dir) {
        dir_facts d;
        struct stat st;
        if (::stat(dir.c_str(), &st) != 0) return d;
        d.exists = true;
        d.directory = S_ISDIR(st.st_mode);
        d.searchable = d.directory && ::faccessat(AT_FDCWD, dir.c_str(), X_OK, AT_EACCESS) == 0;
        // Anyone may write (sticky or not, they can add a program), or another user owns it.
        d.writable_by_others =
            d.directory && ((st.st_mode & S_IWOTH) != 0 ||
                            (st.st_uid != ::geteuid() && st.st_uid != 0 && (st.st_mode & S_IWUSR) != 0));
        return d;
    }

    static file_facts inspect_program_file(const std::string& path) {
        file_facts f;
        if (path.empty()) return f;
        struct stat lst, st;
        const bool linked = ::lstat(path.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode);
        if (::stat(path.c_str(), &st) != 0) {
            if (linked) {
                f.dangling_symlink = true;
                char target[4096];
                const ssize_t n = ::readlink(path.c_str(), target, sizeof target - 1);
                if (n > 0) f.link_target.assign(target, static_cast<std::size_t>(n));
            }
            return f;
        }
        f.exists = true;
        f.regular = S_ISREG(st.st_mode);
        f.directory = S_ISDIR(st.st_mode);
        f.executable = f.regular && ::faccessat(AT_FDCWD, path.c_str(), X_OK, AT_EACCESS) == 0;
        f.setuid = (st.st_mode & S_ISUID) != 0;
        f.owner = static_cast<long long>(st.st_uid);
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
        f.mode = mode;
        f.noexec_mount = on_noexec_mount(path.c_str());
        if (f.regular) {
            unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
            if (fd) {
                f.readable = true;
                f.head.resize(4096);
                const ssize_t got = retry_eintr([&] { return ::read(fd.get(), &f.head[0], f.head.size()); });
                f.head.resize(got > 0 ? static_cast<std::size_t>(got) : 0);
            }
        }
#if defined(__linux__)
        if (::getxattr(path.c_str(), "security.capability", nullptr, 0) > 0)
            f.capabilities = "security.capability is set";
#elif defined(__APPLE__)
        f.quarantined = ::getxattr(path.c_str(), "com.apple.quarantine", nullptr, 0, 0, 0) >= 0;
#endif
        return f;
    }

    /// The names in `dir` (not "." and ".."), at most 4,096 of them; none if it cannot be read.
    static std::vector<std::string> directory_entries(const std::string& dir) {
        std::vector<std::string> names;
        if (DIR* d = ::opendir(dir.c_str())) {
            while (dirent* e = ::readdir(d)) {
                if (names.size() >= 4096) break;
                const std::string_view n = e->d_name;
                if (n != "." && n != "..") names.emplace_back(n);
            }
            ::closedir(d);
        }
        return names;
    }

    static constexpr const char* library_remedy = causes::library_missing.remedy;
    /// The shared libraries `program` needs that the loader would not find (Linux); an empty
    /// list where liftoff cannot tell. `env`: the child's variables; `secure`: a set-user-ID
    /// program, whose loader ignores LD_LIBRARY_PATH.
    template <class Env>
    static std::vector<missing_library> missing_libraries(const std::string& program, const Env& env, bool secure) {
#if defined(__APPLE__)
        (void)env;
        (void)secure;
#if defined(__aarch64__) || defined(__arm64__)
        const std::uint32_t cpu = 0x0100000cu;  // CPU_TYPE_ARM64
#else
        const std::uint32_t cpu = 0x01000007u;  // CPU_TYPE_X86_64
#endif
        return find_missing_dylibs(program, read_part, cpu,
                                   [](const std::string& p) { return ::access(p.c_str(), F_OK) == 0; });
#else
        const auto how = library_search_for(secure ? std::string() : env("LD_LIBRARY_PATH"));
        return how ? find_missing_libraries(program, *how) : std::vector<missing_library>();
#endif  // __APPLE__
    }

    /// Reads `size` bytes at `offset` of a file (a file_part_reader).
    static std::string read_part(const std::string& path, std::uint64_t offset, std::size_t size) {
        std::string out;
        unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
        if (!fd || size == 0) return out;
        out.resize(size);
        const ssize_t got = retry_eintr([&] { return ::pread(fd.get(), &out[0], size, static_cast<off_t>(offset)); });
        out.resize(got > 0 ? static_cast<std::size_t>(got) : 0);
        return out;
    }

    /// How the dynamic loader of a child with this LD_LIBRARY_PATH looks for shared libraries
    /// (glibc's ld.so, also musl's as far as the directories go); nullopt where liftoff cannot
    /// tell (macOS, the BSDs: other loaders, other caches).
    static std::optional<library_search> library_search_for(const std::string& ld_library_path) {
#if defined(__linux__)
        library_search how;
        how.read = read_part;
        how.real = [](const std::string& path) {
            char buf[PATH_MAX];
            return ::realpath(path.c_str(), buf) != nullptr ? std::string(buf) : std::string();
        };
        how.ld_library_path = ld_library_path;
        std::string cache;
        read_file_prefix("/etc/ld.so.cache", cache, 16 * 1024 * 1024);
        how.cache = parse_ld_so_cache(cache);
        // glibc's built-in directories: the multiarch pair of this machine (Debian, Ubuntu),
        // then the lib64 and lib pairs (a candidate of the wrong class is passed over).
#if defined(__x86_64__)
        how.default_dirs = {"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu"};
#elif defined(__aarch64__)
        how.default_dirs = {"/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu"};
#elif defined(__i386__)
        how.default_dirs = {"/lib/i386-linux-gnu", "/usr/lib/i386-linux-gnu"};
#endif
        for (const char* d : {"/lib64", "/usr/lib64", "/lib", "/usr/lib"})
            how.default_dirs.emplace_back(d);
        return how;
#else
        (void)ld_library_path;
        return std::nullopt;
#endif  // __linux__
    }

    /// The program format this system runs directly (scripts are judged apart).
    static bool runs_format(const std::string& /*path*/, const binary_format& f) {
#if defined(__APPLE__)
        return f.what == binary_format::kind::mach_o || f.what == binary_format::kind::mach_o_fat;
#else
        if (f.what != binary_format::kind::elf) return false;
        const native_elf n = native();
        if (f.machine == n.machine && f.elf_class == n.elf_class && f.little_endian == n.little_endian) return true;
        // 64-bit kernels run their 32-bit siblings (given the loader, which is checked apart).
        return (n.machine == 62 && f.machine == 3) || (n.machine == 183 && f.machine == 40);
#endif  // __APPLE__
    }

    static std::string native_format_name() {
#if defined(__APPLE__)
        return "Mach-O";
#else
        const native_elf n = native();
        const char* m = elf_machine_name(n.machine);
        return "ELF " + std::to_string(n.elf_class) + "-bit " +
               (m != nullptr ? m : "machine " + std::to_string(n.machine));
#endif  // __APPLE__
    }

    /// Programs the openers may run, for diagnose() to look for.
    static std::vector<const char*> opener_programs() {
#if defined(__APPLE__)
        return {"open"};
#else
        return {"xdg-open", "gio", "kde-open", "kde-open5", "wslview", "explorer.exe", "wslpath"};
#endif  // __APPLE__
    }

    static std::size_t argument_limit() noexcept {
        const long v = ::sysconf(_SC_ARG_MAX);
        return v > 0 ? static_cast<std::size_t>(v) : 0;
    }
    /// Linux refuses any one argument of MAX_ARG_STRLEN (32 pages) or more.
    static std::size_t single_argument_limit() noexcept {
#if defined(__linux__)
        const long page = ::sysconf(_SC_PAGESIZE);
        return static_cast<std::size_t>(page > 0 ? page : 4096) * 32;
#else
        return 0;
#endif  // __linux__
    }

    // Issue 15: the session's sockets (DISPLAY, WAYLAND_DISPLAY, the D-Bus session bus), its
    // runtime directory, and what a name that is not UTF-8 reads as.

    /// diagnose() checks X11, Wayland, D-Bus and XDG_RUNTIME_DIR here (not on macOS, whose
    /// desktop is none of them).
#if defined(__APPLE__)
    static constexpr bool unix_session = false;
#else
    static constexpr bool unix_session = true;
#endif  // __APPLE__

    /// Whether something listens on the unix stream socket `path` (`abstract`: that name in
    /// Linux's abstract namespace, no file). A connect() to a unix socket does not wait: it is
    /// queued on the listener's backlog, refused or failed at once; non-blocking all the same.
    static socket_facts probe_unix_socket(const std::string& path, bool abstract) {
        socket_facts f;
        struct sockaddr_un addr;
        std::memset(&addr, 0, sizeof addr);
        addr.sun_family = AF_UNIX;
#if !defined(__linux__)
        if (abstract) return f;  // unsupported: only Linux has the abstract namespace
#endif
        const std::size_t room = sizeof addr.sun_path - 1;  // a NUL after a path, before an abstract name
        if (path.empty() || path.size() > room || path.find('\0') != std::string::npos) return f;
        if (!abstract) {
            struct stat st;
            if (::stat(path.c_str(), &st) != 0) {
                f.error = errno;
                f.state = errno == ENOENT || errno == ENOTDIR ? socket_state::missing
                          : errno == EACCES                   ? socket_state::no_access
                                                              : socket_state::failed;
                return f;
            }
            if (!S_ISSOCK(st.st_mode)) {
                f.state = socket_state::not_socket;
                return f;
            }
        }
        std::memcpy(addr.sun_path + (abstract ? 1 : 0), path.data(), path.size());
        const auto len =
            static_cast<socklen_t>(offsetof(struct sockaddr_un, sun_path) + path.size() + (abstract ? 1 : 0));
#if defined(SOCK_CLOEXEC)
        unique_fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
#else
        unique_fd fd(::socket(AF_UNIX, SOCK_STREAM, 0));  // macOS: see make_pipe() on the window
        if (fd) ::fcntl(fd.get(), F_SETFD, FD_CLOEXEC);
#endif
        if (!fd) {
            f.error = errno;
            f.state = socket_state::failed;
            return f;
        }
        set_nonblocking(fd.get());
        const int rc = retry_eintr([&] { return ::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), len); });
        f.error = rc == 0 ? 0 : errno;
        if (rc == 0 || f.error == EAGAIN || f.error == EINPROGRESS)
            f.state = socket_state::listening;
        else if (f.error == ECONNREFUSED)
            f.state = abstract ? socket_state::missing : socket_state::refused;  // an unbound name is refused
        else if (f.error == ENOENT)
            f.state = socket_state::missing;
        else if (f.error == EACCES || f.error == EPERM)
            f.state = socket_state::no_access;
        else
            f.state = socket_state::failed;
        return f;
    }

    /// Who owns `path` and its mode (for XDG_RUNTIME_DIR).
    static owner_facts inspect_owner(const std::string& path) {
        owner_facts o;
        struct stat st;
        if (::stat(path.c_str(), &st) != 0) return o;
        o.exists = true;
        o.directory = S_ISDIR(st.st_mode);
        o.owner = static_cast<long long>(st.st_uid);
        o.mode = static_cast<unsigned>(st.st_mode & 07777);
        return o;
    }

    /// What `bytes` (a name that is not UTF-8) read as in the legacy encodings such names are
    /// usually in, each where all of it decodes: {"GBK", "你好"}, {"Shift_JIS", ...}. Linux's
    /// C library converts (iconv); elsewhere, and where iconv lacks a table, nothing.
    static std::vector<std::pair<std::string, std::string>> legacy_readings(std::string_view bytes) {
        std::vector<std::pair<std::string, std::string>> out;
#if defined(__linux__)
        const std::pair<const char*, const char*> encodings[] = {
            {"GBK", "GBK"}, {"SHIFT_JIS", "Shift_JIS"}, {"CP1252", "Windows-1252"}};
        for (const auto& e : encodings) {
            const iconv_t cd = ::iconv_open("UTF-8", e.first);
            if (cd == reinterpret_cast<iconv_t>(-1)) continue;
            std::string in(bytes), text(bytes.size() * 4 + 4, '\0');
            char* src = &in[0];
            char* dst = &text[0];
            std::size_t src_left = in.size(), dst_left = text.size();
            const std::size_t rc = ::iconv(cd, &src, &src_left, &dst, &dst_left);
            ::iconv_close(cd);
            if (rc == static_cast<std::size_t>(-1) || src_left != 0) continue;
            text.resize(text.size() - dst_left);
            out.emplace_back(e.second, std::move(text));
        }
#else
        (void)bytes;
#endif  // __linux__
        return out;
    }

private:
    struct native_elf {
        unsigned machine;
        int elf_class;
        bool little_endian;
    };
    static native_elf native() noexcept {
        const bool le = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;
        const int bits = static_cast<int>(sizeof(void*) * 8);
#if defined(__x86_64__)
        return {62, bits, le};
#elif defined(__i386__)
        return {3, bits, le};
#elif defined(__aarch64__)
        return {183, bits, le};
#elif defined(__arm__)
        return {40, bits, le};
#elif defined(__riscv)
        return {243, bits, le};
#elif defined(__powerpc64__)
        return {21, bits, le};
#elif defined(__powerpc__)
        return {20, bits, le};
#elif defined(__s390x__)
        return {22, bits, le};
#elif defined(__loongarch__)
        return {258, bits, le};
#elif defined(__mips__)
        return {8, bits, le};
#else
        return {0, bits, le};
#endif
    }
};

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
