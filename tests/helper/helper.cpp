// tests/helper/helper.cpp: the child every test launches. It runs the actions named on its
// command line in order, so one program can play every kind of child a real program is.
// SPDX-License-Identifier: MIT
//
//   out N / err N        write N bytes of a fixed pattern to stdout / stderr
//   say TEXT / esay TEXT write TEXT (no newline) to stdout / stderr
//   lines N              write "line 1\n" ... "line N\n" to stdout
//   args REST...         print every remaining argument as "<length>:<bytes>\n" (consumes the rest;
//                        on Windows as CommandLineToArgvW splits GetCommandLineW, in UTF-8)
//   record FILE REST...  as args, but into FILE (written whole, then renamed into place), for
//                        children whose stdout nobody reads (the openers' applications)
//   argv0                print argv[0] and a newline
//   env NAME             print the variable's value, or "<unset>", and a newline
//   envcount             print the number of environment entries (Windows: not counting the
//                        hidden "=C:=..." ones)
//   cwd                  print the working directory and a newline
//   sleep MS             sleep
//   ignore-term          ignore SIGTERM from now on (Windows: CTRL_BREAK and CTRL_C)
//   grandchild MS        start a grandchild that keeps our stdio and sleeps MS ms; print its pid
//   exit N               exit with code N
//   cat                  copy stdin to stdout until end of input
//   read-bytes N         read N bytes of stdin and go on without reading the rest
//   count-stdin          read stdin to its end; print the byte count
//   tee-both             copy stdin to stdout and to stderr until end of input
//   pid                  print the id and a newline
//   close-stdout         close stdout
//   launch-kope FILE MS  (uses liftoff) launch "helper sleep MS" with kill_on_parent_exit from a
//                        short-lived thread, write its pid to FILE, and go on
//   launch-released N MS (uses liftoff) launch N x "helper sleep MS", release each
//   catch-signals        POSIX: catch SIGHUP, SIGUSR1, SIGUSR2 and SIGINT, print "ready\n", wait for
//                        one and print "caught N\n" (its number). Windows: turn CTRL+C back on
//                        (SetConsoleCtrlHandler(NULL, FALSE)), catch console events, print
//                        "ready\n", wait for one and print "ctrl N\n" (CTRL_C_EVENT is 0)
//   ticks N              print "tick\n" every 20 ms, N times (a child that is seen to stop)
// POSIX only:
//   kill-self SIG        raise signal SIG
//   fds                  print the open descriptors above 2, space-separated, and a newline
//   sigstate             print how many of signals 1..31 are blocked, and the disposition of
//                        SIGPIPE, SIGUSR1, SIGINT and SIGTERM
//   ppid / pgid          print the id and a newline
//   run-as-limited KIB   (uses liftoff) lower RLIMIT_AS to this process's size + KIB, run
//                        "helper say drained" with its output captured (a drain thread), and
//                        print "ok <its output>" or "error <errc value> <message>"
//   umask                print the umask in octal and a newline
//   session              print "sid=S pgid=G pid=P" and a newline
//   rlimit NAME          print the soft and hard limit of RLIMIT_<NAME> (NOFILE, CORE, FSIZE),
//                        "unlimited" for none, and a newline
//   ids                  print "uid=U gid=G groups=A,B" (groups ascending) and a newline
//   write-fd N TEXT      write TEXT to descriptor N; exit 105 if it cannot
//   read-fd N            print what descriptor N gives until its end, and a newline
//   drop-to UID GID      become that user and group (no supplementary groups); exit 104 if not
//   try-limit NAME SOFT HARD, try-credentials UID GID
//                        (uses liftoff) run "helper say ok" with that limit or those ids, and
//                        print "ok <its output>" or "error <errc value> <message>"
//   try-pass-all MAX [NOFILE]  (uses liftoff; first launch of this process) run "helper fds"
//                        with a pipe passed as every descriptor 3..MAX (the spawner's own report
//                        pipe among them), and RLIMIT_NOFILE set to NOFILE if given; print as
//                        try-limit does
// Windows only:
//   crtargs REST...      as args, but as the C runtime split them (__wargv)
//   narrowargs REST...   as args, but the narrow __argv: GetCommandLineA split by the C runtime
//                        (bytes in the ANSI code page, as a narrow main() gets them)
//   cmdline REST...      print GetCommandLineW in UTF-8, as it is, and a newline (the rest is data)
//   cmdline-ansi REST... print GetCommandLineA (ANSI code page bytes) and a newline (the same)
//   has-handle N         print "yes" if N (a handle value in decimal) is a valid handle here
//   window               show a top-level window and exit 0 when it gets WM_CLOSE
#include <liftoff/liftoff.hpp>

#if defined(_WIN32)
#include <shellapi.h>  // CommandLineToArgvW
#include <stdlib.h>    // __wargv
#else
#include <dirent.h>
#include <grp.h>  // setgroups
#include <signal.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/syscall.h>  // kill-self: the kernel's rt_sigaction, under a sanitizer's interceptors
#endif
#endif  // _WIN32

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <new>
#include <string>
#include <thread>
#include <vector>

namespace {

std::string self_path;

#if defined(_WIN32)
volatile LONG caught_ctrl = -1;
BOOL WINAPI record_ctrl(DWORD type) {
    ::InterlockedExchange(&caught_ctrl, static_cast<LONG>(type));
    return TRUE;
}
#else
volatile sig_atomic_t caught_signal = 0;
void record_signal(int sig) {
    caught_signal = sig;
}
#endif  // _WIN32

#if defined(_WIN32)
HANDLE std_handle(int fd) {
    return ::GetStdHandle(fd == 0 ? STD_INPUT_HANDLE : fd == 1 ? STD_OUTPUT_HANDLE : STD_ERROR_HANDLE);
}
void write_all(int fd, const char* p, size_t n) {
    while (n > 0) {
        DWORD w = 0;
        const DWORD chunk = static_cast<DWORD>(n < (1u << 20) ? n : (1u << 20));
        if (!::WriteFile(std_handle(fd), p, chunk, &w, nullptr))
            std::_Exit(::GetLastError() == ERROR_NO_DATA ? 141 : 1);
        p += w;
        n -= w;
    }
}
long read_some(char* buf, size_t n) {
    DWORD got = 0;
    if (!::ReadFile(std_handle(0), buf, static_cast<DWORD>(n), &got, nullptr)) return 0;  // broken pipe: the end
    return static_cast<long>(got);
}
std::wstring wide(const std::string& s) {
    std::wstring w;
    liftoff::detail::utf8_to_utf16(s, w);
    return w;
}
std::string get_env(const std::string& name, bool& set) {
    std::wstring buf(32768, L'\0');
    ::SetLastError(0);
    const DWORD n = ::GetEnvironmentVariableW(wide(name).c_str(), &buf[0], static_cast<DWORD>(buf.size()));
    set = n > 0 || ::GetLastError() != ERROR_ENVVAR_NOT_FOUND;
    buf.resize(n);
    return liftoff::detail::utf16_to_utf8(buf);
}
int env_count() {
    int n = 0;
    wchar_t* block = ::GetEnvironmentStringsW();
    for (const wchar_t* p = block; *p; p += std::wcslen(p) + 1)
        if (*p != L'=') ++n;
    ::FreeEnvironmentStringsW(block);
    return n;
}
std::string current_dir() {
    std::wstring buf(32768, L'\0');
    buf.resize(::GetCurrentDirectoryW(static_cast<DWORD>(buf.size()), &buf[0]));
    return liftoff::detail::utf16_to_utf8(buf);
}
BOOL WINAPI ignore_ctrl(DWORD) {
    return TRUE;
}
LRESULT CALLBACK window_proc(HWND w, UINT msg, WPARAM wp, LPARAM lp) {
    if (msg == WM_CLOSE) {
        ::PostQuitMessage(0);
        return 0;
    }
    return ::DefWindowProcW(w, msg, wp, lp);
}
int show_window() {
    WNDCLASSW wc{};
    wc.lpfnWndProc = window_proc;
    wc.hInstance = ::GetModuleHandleW(nullptr);
    wc.lpszClassName = L"liftoff_helper";
    if (!::RegisterClassW(&wc)) return 120;
    HWND w = ::CreateWindowW(L"liftoff_helper", L"liftoff helper", WS_OVERLAPPEDWINDOW, 0, 0, 100, 100, nullptr,
                             nullptr, wc.hInstance, nullptr);
    if (w == nullptr) return 121;
    ::ShowWindow(w, SW_SHOWNOACTIVATE);
    write_all(1, "ready", 5);
    MSG m;
    while (::GetMessageW(&m, nullptr, 0, 0) > 0) {
        ::TranslateMessage(&m);
        ::DispatchMessageW(&m);
    }
    return 0;
}
/// Starts this program with "sleep MS", sharing our standard handles; returns its pid.
unsigned long start_grandchild(const std::string& ms) {
    std::wstring line = L"\"" + wide(self_path) + L"\" sleep " + wide(ms);
    STARTUPINFOW si{};
    si.cb = sizeof si;
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = std_handle(0);
    si.hStdOutput = std_handle(1);
    si.hStdError = std_handle(2);
    PROCESS_INFORMATION pi{};
    if (!::CreateProcessW(wide(self_path).c_str(), &line[0], nullptr, nullptr, TRUE, 0, nullptr, nullptr, &si, &pi))
        std::_Exit(102);
    ::CloseHandle(pi.hThread);
    ::CloseHandle(pi.hProcess);
    return pi.dwProcessId;
}
#else
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
long read_some(char* buf, size_t n) {
    for (;;) {
        const ssize_t r = ::read(0, buf, n);
        if (r < 0 && errno == EINTR) continue;
        return r < 0 ? 0 : static_cast<long>(r);
    }
}
#endif  // _WIN32

void write_str(int fd, const std::string& s) {
    write_all(fd, s.data(), s.size());
}

/// Writes `text` to `path` (UTF-8) through a temporary file renamed into place, so a reader
/// polling for the file never sees half of it.
bool write_file_whole(const std::string& path, const std::string& text) {
    const std::string tmp = path + ".tmp";
#if defined(_WIN32)
    FILE* f = ::_wfopen(wide(tmp).c_str(), L"wb");
#else
    FILE* f = std::fopen(tmp.c_str(), "wb");
#endif  // _WIN32
    if (f == nullptr) return false;
    const bool written = std::fwrite(text.data(), 1, text.size(), f) == text.size();
    if (std::fclose(f) != 0 || !written) return false;
#if defined(_WIN32)
    return ::MoveFileExW(wide(tmp).c_str(), wide(path).c_str(), MOVEFILE_REPLACE_EXISTING) != 0;
#else
    return std::rename(tmp.c_str(), path.c_str()) == 0;
#endif  // _WIN32
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
        const long r = read_some(buf, sizeof buf);
        if (r <= 0) return;
        if (count) *count += r;
        if (to_out) write_all(1, buf, static_cast<size_t>(r));
        if (to_err) write_all(2, buf, static_cast<size_t>(r));
    }
}

/// The arguments in UTF-8: on Windows as CommandLineToArgvW reads the command line (the
/// reference for liftoff's quoting), elsewhere argv as it is.
#if !defined(_WIN32)
int rlimit_named(const std::string& name) {
    if (name == "NOFILE") return RLIMIT_NOFILE;
    if (name == "CORE") return RLIMIT_CORE;
    if (name == "FSIZE") return RLIMIT_FSIZE;
    std::fprintf(stderr, "helper: unknown limit '%s'\n", name.c_str());
    std::exit(100);
}
#endif  // _WIN32

std::vector<std::string> arguments(int argc, char** argv) {
    std::vector<std::string> args;
#if defined(_WIN32)
    (void)argc;
    (void)argv;
    int n = 0;
    wchar_t** w = ::CommandLineToArgvW(::GetCommandLineW(), &n);
    for (int i = 0; i < n; ++i)
        args.push_back(liftoff::detail::utf16_to_utf8(std::wstring_view(w[i])));
    ::LocalFree(w);
#else
    for (int i = 0; i < argc; ++i)
        args.emplace_back(argv[i]);
#endif  // _WIN32
    return args;
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> args = arguments(argc, argv);
    const int count = static_cast<int>(args.size());
    self_path = args.empty() ? std::string() : args[0];
#if defined(_WIN32)
    {
        std::wstring me(32768, L'\0');
        me.resize(::GetModuleFileNameW(nullptr, &me[0], static_cast<DWORD>(me.size())));
        self_path = liftoff::detail::utf16_to_utf8(me);
    }
#endif  // _WIN32
    for (int i = 1; i < count; ++i) {
        const std::string a = args[static_cast<size_t>(i)];
        auto next = [&]() -> std::string {
            if (i + 1 >= count) {
                std::fprintf(stderr, "helper: %s needs an argument\n", a.c_str());
                std::exit(100);
            }
            return args[static_cast<size_t>(++i)];
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
            for (++i; i < count; ++i)
                write_str(
                    1, std::to_string(args[static_cast<size_t>(i)].size()) + ":" + args[static_cast<size_t>(i)] + "\n");
        } else if (a == "record") {
            const std::string file = next();
            std::string text;
            for (++i; i < count; ++i)
                text += std::to_string(args[static_cast<size_t>(i)].size()) + ":" + args[static_cast<size_t>(i)] + "\n";
            if (!write_file_whole(file, text)) return 103;
        } else if (a == "argv0") {
            write_str(1, args[0] + "\n");
        } else if (a == "env") {
            const std::string name = next();
#if defined(_WIN32)
            bool set = false;
            const std::string v = get_env(name, set);
            write_str(1, (set ? v : std::string("<unset>")) + "\n");
#else
            const char* v = std::getenv(name.c_str());
            write_str(1, (v ? std::string(v) : std::string("<unset>")) + "\n");
#endif  // _WIN32
        } else if (a == "envcount") {
#if defined(_WIN32)
            write_str(1, std::to_string(env_count()) + "\n");
#else
            extern char** environ;
            int n = 0;
            for (char** e = environ; *e; ++e)
                ++n;
            write_str(1, std::to_string(n) + "\n");
#endif  // _WIN32
        } else if (a == "cwd") {
#if defined(_WIN32)
            write_str(1, current_dir() + "\n");
#else
            char buf[4096];
            write_str(1, std::string(::getcwd(buf, sizeof buf) ? buf : "?") + "\n");
#endif  // _WIN32
        } else if (a == "sleep") {
            std::this_thread::sleep_for(std::chrono::milliseconds(std::atol(next().c_str())));
        } else if (a == "ignore-term") {
#if defined(_WIN32)
            ::SetConsoleCtrlHandler(ignore_ctrl, TRUE);
#else
            ::signal(SIGTERM, SIG_IGN);
#endif  // _WIN32
        } else if (a == "grandchild") {
            const std::string ms = next();
#if defined(_WIN32)
            write_str(1, std::to_string(start_grandchild(ms)) + "\n");
#else
            const pid_t p = ::fork();
            if (p == 0) {
                std::this_thread::sleep_for(std::chrono::milliseconds(std::atol(ms.c_str())));
                std::_Exit(0);
            }
            write_str(1, std::to_string(p) + "\n");
#endif  // _WIN32
        } else if (a == "exit") {
            return std::atoi(next().c_str());
        } else if (a == "cat") {
            copy_stdin(true, false, nullptr);
        } else if (a == "read-bytes") {
            // Read exactly N bytes of stdin, then go on (and usually exit) without reading more.
            long long want = std::atoll(next().c_str());
            char buf[4096];
            while (want > 0) {
                const long r = read_some(buf, static_cast<size_t>(want < 4096 ? want : 4096));
                if (r <= 0) break;
                want -= r;
            }
        } else if (a == "count-stdin") {
            long long n = 0;
            copy_stdin(false, false, &n);
            write_str(1, std::to_string(n) + "\n");
        } else if (a == "wc") {  // pipelines (issue 14): "LINES BYTES" of stdin, as wc -l -c
            static char buf[65536];
            long long lines = 0, bytes = 0;
            for (long r; (r = read_some(buf, sizeof buf)) > 0;) {
                bytes += r;
                lines += std::count(buf, buf + r, '\n');
            }
            write_str(1, std::to_string(lines) + " " + std::to_string(bytes) + "\n");
        } else if (a == "tee-both") {
            copy_stdin(true, true, nullptr);
        } else if (a == "pid") {
#if defined(_WIN32)
            write_str(1, std::to_string(::GetCurrentProcessId()) + "\n");
#else
            write_str(1, std::to_string(::getpid()) + "\n");
#endif  // _WIN32
        } else if (a == "close-stdout") {
#if defined(_WIN32)
            ::CloseHandle(std_handle(1));
#else
            ::close(1);
#endif  // _WIN32
        } else if (a == "launch-kope") {
            const std::string file = next();
            const std::string ms = next();
            long long pid = 0;
            std::thread([&] {
                auto c = liftoff::launch(liftoff::command{self_path, {"sleep", ms}}.kill_on_parent_exit().on_destroy(
                    liftoff::on_destroy::release));
                pid = static_cast<long long>(c.pid());
                c.release();
            }).join();
            FILE* f = std::fopen(file.c_str(), "w");
            if (f == nullptr) return 101;
            std::fprintf(f, "%lld\n", pid);
            std::fclose(f);
        } else if (a == "catch-signals") {
#if defined(_WIN32)
            ::SetConsoleCtrlHandler(nullptr, FALSE);
            ::SetConsoleCtrlHandler(record_ctrl, TRUE);
            write_str(1, "ready\n");
            while (caught_ctrl < 0)
                ::Sleep(10);
            write_str(1, "ctrl " + std::to_string(caught_ctrl) + "\n");
#else
            sigset_t block, old;
            sigemptyset(&block);
            for (int sig : {SIGHUP, SIGUSR1, SIGUSR2, SIGINT}) {
                struct sigaction sa{};
                sa.sa_handler = record_signal;
                ::sigaction(sig, &sa, nullptr);
                sigaddset(&block, sig);
            }
            ::sigprocmask(SIG_BLOCK, &block, &old);  // no signal between the check and the wait
            write_str(1, "ready\n");
            while (caught_signal == 0)
                ::sigsuspend(&old);
            ::sigprocmask(SIG_SETMASK, &old, nullptr);
            write_str(1, "caught " + std::to_string(static_cast<int>(caught_signal)) + "\n");
#endif  // _WIN32
        } else if (a == "ticks") {
            const long n = std::atol(next().c_str());
            for (long k = 0; k < n; ++k) {
                write_str(1, "tick\n");
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
        } else if (a == "launch-released") {
            const long n = std::atol(next().c_str());
            const std::string ms = next();
            for (long k = 0; k < n; ++k)
                liftoff::launch(liftoff::command{self_path, {"sleep", ms}}).release();
#if defined(_WIN32)
        } else if (a == "crtargs") {
            for (++i; i < __argc; ++i) {
                const std::string s = liftoff::detail::utf16_to_utf8(std::wstring_view(__wargv[i]));
                write_str(1, std::to_string(s.size()) + ":" + s + "\n");
            }
        } else if (a == "narrowargs") {
            for (++i; i < __argc; ++i) {
                const std::string s = __argv[i];
                write_str(1, std::to_string(s.size()) + ":" + s + "\n");
            }
        } else if (a == "cmdline") {
            write_str(1, liftoff::detail::utf16_to_utf8(std::wstring_view(::GetCommandLineW())) + "\n");
            return 0;  // the rest is data
        } else if (a == "cmdline-ansi") {
            write_str(1, std::string(::GetCommandLineA()) + "\n");
            return 0;  // the rest is data
        } else if (a == "has-handle") {
            DWORD flags = 0;
            const auto h =
                reinterpret_cast<HANDLE>(static_cast<std::uintptr_t>(std::strtoull(next().c_str(), nullptr, 10)));
            write_str(1, ::GetHandleInformation(h, &flags) ? "yes\n" : "no\n");
        } else if (a == "window") {
            return show_window();
#else
        } else if (a == "kill-self") {
            const int sig = std::atoi(next().c_str());
#if defined(__linux__)
            // A sanitizer's own handler takes SIGSEGV, SIGILL ... and ends the process its own way
            // (SIGABRT, exit 66), and its interceptors refuse to change it: the default action is
            // set with the system call itself. All zeros is SIG_DFL, no flags, an empty mask.
            unsigned long dfl[4] = {};
            ::syscall(SYS_rt_sigaction, sig, dfl, nullptr, 8);
#endif
            ::raise(sig);
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
            // sigismember without ::, macOS defines it as a macro
            for (int s = 1; s < 32; ++s)
                if (sigismember(&mask, s) == 1) ++blocked;
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
        } else if (a == "ppid") {
            write_str(1, std::to_string(::getppid()) + "\n");
        } else if (a == "pgid") {
            write_str(1, std::to_string(::getpgid(0)) + "\n");
        } else if (a == "umask") {
            const mode_t m = ::umask(0);
            ::umask(m);
            char buf[16];
            std::snprintf(buf, sizeof buf, "%04o\n", static_cast<unsigned>(m));
            write_str(1, buf);
        } else if (a == "session") {
            write_str(1, "sid=" + std::to_string(::getsid(0)) + " pgid=" + std::to_string(::getpgid(0)) +
                             " pid=" + std::to_string(::getpid()) + "\n");
        } else if (a == "rlimit") {
            struct rlimit l;
            if (::getrlimit(rlimit_named(next()), &l) != 0) return 106;
            auto text = [](rlim_t v) { return v == RLIM_INFINITY ? std::string("unlimited") : std::to_string(v); };
            write_str(1, text(l.rlim_cur) + " " + text(l.rlim_max) + "\n");
        } else if (a == "ids") {
            std::vector<gid_t> groups(static_cast<size_t>(::getgroups(0, nullptr)));
            groups.resize(static_cast<size_t>(::getgroups(static_cast<int>(groups.size()), groups.data())));
            std::sort(groups.begin(), groups.end());
            std::string out = "uid=" + std::to_string(::getuid()) + " gid=" + std::to_string(::getgid()) + " groups=";
            for (size_t k = 0; k < groups.size(); ++k)
                out += (k == 0 ? "" : ",") + std::to_string(groups[k]);
            write_str(1, out + "\n");
        } else if (a == "write-fd") {
            const int fd = std::atoi(next().c_str());
            const std::string text = next();
            if (::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size())) return 105;
        } else if (a == "read-fd") {
            const int fd = std::atoi(next().c_str());
            std::string text;
            char buf[256];
            ssize_t n;
            while ((n = ::read(fd, buf, sizeof buf)) > 0)
                text.append(buf, static_cast<size_t>(n));
            write_str(1, text + "\n");
        } else if (a == "drop-to") {
            const uid_t uid = static_cast<uid_t>(std::atol(next().c_str()));
            const gid_t gid = static_cast<gid_t>(std::atol(next().c_str()));
            if (::geteuid() == 0 && ::setgroups(0, nullptr) != 0) return 104;
            if (::setgid(gid) != 0 || ::setuid(uid) != 0) return 104;
        } else if (a == "try-pass-all") {
            const int max = std::atoi(next().c_str());
            const bool fail = i + 1 < count;
            const auto nofile = fail ? std::strtoull(next().c_str(), nullptr, 10) : 0;
            int p[2];
            if (::pipe(p) != 0) return 107;
            liftoff::command cmd{self_path, {"fds"}};
            for (int fd = 3; fd <= max; ++fd)
                cmd.pass_fd(p[1], fd);
            if (fail) cmd.limit(RLIMIT_NOFILE, nofile, nofile);
            liftoff::failure why;
            const liftoff::result r = liftoff::run(cmd, why);
            write_str(
                1, why ? "error " + std::to_string(why.code.value()) + " " + why.message + "\n" : "ok " + r.out + "\n");
        } else if (a == "try-limit" || a == "try-credentials") {
            liftoff::command cmd{self_path, {"say", "ok"}};
            if (a == "try-limit") {
                const int resource = rlimit_named(next());
                const auto soft = std::strtoull(next().c_str(), nullptr, 10);
                const auto hard = std::strtoull(next().c_str(), nullptr, 10);
                cmd.limit(resource, soft, hard);
            } else {
                const auto uid = static_cast<std::uint32_t>(std::atol(next().c_str()));
                const auto gid = static_cast<std::uint32_t>(std::atol(next().c_str()));
                cmd.credentials(uid, gid, {});
            }
            liftoff::failure why;
            const liftoff::result r = liftoff::run(cmd, why);
            write_str(
                1, why ? "error " + std::to_string(why.code.value()) + " " + why.message + "\n" : "ok " + r.out + "\n");
        } else if (a == "run-as-limited") {
            const long long extra = std::atoll(next().c_str()) * 1024;
            long long pages = 0;
            if (FILE* statm = std::fopen("/proc/self/statm", "r")) {
                if (std::fscanf(statm, "%lld", &pages) != 1) pages = 0;
                std::fclose(statm);
            }
            struct rlimit limit;
            ::getrlimit(RLIMIT_AS, &limit);
            limit.rlim_cur = static_cast<rlim_t>(pages * ::sysconf(_SC_PAGESIZE) + extra);
            if (pages == 0 || ::setrlimit(RLIMIT_AS, &limit) != 0) return 101;
            std::string out;
            try {
                // launch(), not run(): run() serves its streams on its own thread, launch()
                // needs the event loop's thread, whose stack is what the limit is about.
                auto c =
                    liftoff::launch(liftoff::command{self_path, {"say", "drained"}}.stdout_to(liftoff::io::capture()));
                c.wait();
                out = "ok " + c.out();
            } catch (const liftoff::launch_error& e) {
                out = "error " + std::to_string(e.code().value()) + " " + e.what();
            } catch (const std::bad_alloc&) {
                out = "bad_alloc";
            }
            write_str(1, out + "\n");
#endif  // _WIN32
        } else {
            std::fprintf(stderr, "helper: unknown action '%s'\n", a.c_str());
            return 100;
        }
    }
    return 0;
}
