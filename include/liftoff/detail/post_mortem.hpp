// liftoff/detail/post_mortem.hpp: why a child that died soon after it started died: from its
// exit, from the tail of what it wrote to stderr (where liftoff captured or drained it), and,
// for an exit 127 with nothing to read, from preflight()'s judging of its file after the fact.
// The signatures the field meets most (the loader's missing library, a toolkit without a
// display, Chromium's sandbox, its GPU process) live in one table: add a row to add one.
// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../exit_status.hpp"
#include "../report.hpp"
#include "../platform/signal_name.hpp"
#include "causes.hpp"
#include "judge.hpp"
#include "text.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

/// A child that ends badly within this long of its start is explained (after that, a failure
/// is the program's own business, not a launch that did not take).
constexpr std::chrono::seconds early_death_window{3};

/// How much of a drained or captured stderr the post-mortem reads: its last bytes.
constexpr std::size_t post_mortem_tail = 4096;

/// One thing a dying program writes that says why, and what to do about it.
struct death_signature {
    const char* id;      ///< the finding's id
    const char* needle;  ///< found in a line of its stderr, compared in lower case
    int exit_code;       ///< only with this exit code; -1: any ending
    const char* cause;   ///< what it means
    const char* remedy;  ///< what to do
};

// clang-format off
constexpr death_signature death_signatures[] = {
    {"library-missing", "error while loading shared libraries", -1,
     "the dynamic loader could not load a shared library it needs",
     "install the package that provides it, or add its directory to LD_LIBRARY_PATH"},
    {"display-unreachable", "cannot open display", -1,
     "it could not reach the display server", "run it in a graphical session, or check that DISPLAY or "
     "WAYLAND_DISPLAY names a display server that runs (liftoff doctor names what is wrong)"},
    {"display-unreachable", "can't open display", -1,
     "it could not reach the display server (Xlib)", "run it in a graphical session, or check that DISPLAY "
     "names an X server that runs (liftoff doctor names what is wrong)"},
    {"display-unreachable", "could not connect to display", -1,
     "it could not reach the display server (Qt)", "run it in a graphical session, or check that DISPLAY or "
     "WAYLAND_DISPLAY names a display server that runs (liftoff doctor names what is wrong)"},
    {"display-unreachable", "could not load the qt platform plugin", -1,
     "Qt found no display to use (its xcb or wayland platform plugin could not start)",
     "run it in a graphical session; QT_QPA_PLATFORM=offscreen runs it without one"},
    {"display-unreachable", "missing x server or $display", -1,
     "it found no X server (Chromium, Electron)", "run it in a graphical session, or check DISPLAY "
     "(liftoff doctor names what is wrong)"},
    {"display-unreachable", "no available video device", -1,
     "SDL found no display to use", "run it in a graphical session; SDL_VIDEODRIVER=dummy runs it without one"},
    {"chromium-root-sandbox", "running as root without --no-sandbox is not supported", -1,
     "Chromium and Electron refuse to run as root with their sandbox on",
     "run it as a normal user (--no-sandbox runs it as root, without the sandbox)"},
    {"chromium-suid-sandbox", "suid sandbox helper binary was found, but is not configured correctly", -1,
     "its SUID sandbox helper (chrome-sandbox) is not owned by root with mode 4755",
     "chown root:root chrome-sandbox && chmod 4755 chrome-sandbox, or allow unprivileged user namespaces"},
    {"chromium-suid-sandbox", "no usable sandbox!", -1,
     "it found no sandbox it can use (no user namespaces, no SUID helper)",
     "allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1), or set up chrome-sandbox"},
    {"gpu-process-crash", "gpu process isn't usable", -1,
     "its GPU process kept crashing", "pass --disable-gpu, or update the graphics driver"},
    {"gpu-process-crash", "exiting gpu process due to errors during initialization", -1,
     "its GPU process could not start", "pass --disable-gpu, or update the graphics driver"},
    {"shell-command-not-found", "command not found", 127,
     "a shell could not find the command it was to run",
     "install that command, or fix its name or the child's PATH"},
    {"shell-command-not-found", ": not found", 127,
     "a shell could not find the command it was to run",
     "install that command, or fix its name or the child's PATH"},
    {"shell-command-not-found", "no such file or directory", 127,
     "the command it was to run (through env, a shell or a wrapper) does not exist",
     "install that command, or fix its name or the child's PATH"},
    {"shell-permission-denied", "permission denied", 126,
     "a shell found the command it was to run but could not execute it",
     "make that command executable (chmod +x), or fix its path"},
};

/// What a signal that kills a program at once usually means.
struct death_signal {
    const char* name;    ///< as signal_name() spells it
    const char* cause;
    const char* remedy;
};
constexpr death_signal death_signals[] = {
    {"SIGILL", "an illegal instruction: built for a newer processor (AVX2, AVX-512 ...) or a damaged binary",
     "use a build for this processor"},
    {"SIGSEGV", "a segmentation fault", "run it under a debugger, or report it to its authors"},
    {"SIGBUS", "a bus error (a file it maps was truncated or replaced)", "reinstall it, or report it to its authors"},
    {"SIGABRT", "it aborted (a failed assertion or an uncaught exception: its stderr says which)",
     "read its stderr, or run it under a debugger"},
    {"SIGFPE", "an arithmetic fault (a division by zero)", "report it to its authors"},
    {"SIGSYS", "a system call it made was refused (a seccomp filter, a sandbox)",
     "allow that call in the sandbox's policy, or run it outside the sandbox"},
    {"SIGTRAP", "a trap (a debugger breakpoint, or a deliberate crash on a fatal error)",
     "read its stderr, or run it under a debugger"},
};
/// What a Windows exit code that is an NTSTATUS means (the loader's and the crash codes; no
/// POSIX exit code is this large).
struct death_status {
    std::uint32_t code;
    const char* id;
    const char* cause;
    const char* remedy;
};
constexpr death_status death_statuses[] = {
    {0xC0000135u, "library-missing", "a DLL it needs was not found (STATUS_DLL_NOT_FOUND)",
     "install what provides it, or put the DLL in the program's folder or a PATH directory"},
    {0xC0000139u, "library-mismatch", "a DLL it loaded lacks a function it needs (STATUS_ENTRYPOINT_NOT_FOUND): "
     "another version of that DLL was found first", "put the DLL it was built with in the program's folder"},
    {0xC000007Bu, "library-mismatch", "a DLL it loaded is for another architecture (STATUS_INVALID_IMAGE_FORMAT: "
     "32-bit and 64-bit mixed)", "install the DLLs built for the program's architecture"},
    {0xC0000142u, "library-mismatch", "a DLL it loaded failed to initialise (STATUS_DLL_INIT_FAILED)",
     "reinstall it, or start it from a desktop session"},
    {0xC0000005u, "crashed", "an access violation (STATUS_ACCESS_VIOLATION)",
     "run it under a debugger, or report it to its authors"},
    {0xC000001Du, "crashed", "an illegal instruction (STATUS_ILLEGAL_INSTRUCTION): built for a newer processor",
     "use a build for this processor"},
    {0xC0000409u, "crashed", "a fail-fast exit or stack buffer overrun (STATUS_STACK_BUFFER_OVERRUN)",
     "read what it wrote, or run it under a debugger"},
};
// clang-format on

inline std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

/// The line of `text` that holds byte `at`, trimmed.
inline std::string_view line_at(std::string_view text, std::size_t at) {
    const std::size_t begin = text.rfind('\n', at);
    std::size_t end = text.find('\n', at);
    std::string_view line = text.substr(
        begin == std::string_view::npos ? 0 : begin + 1,
        (end == std::string_view::npos ? text.size() : end) - (begin == std::string_view::npos ? 0 : begin + 1));
    while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
        line.remove_suffix(1);
    return line;
}

/// The last non-empty line of `text`.
inline std::string_view last_line(std::string_view text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
        text.remove_suffix(1);
    return text.empty() ? text : line_at(text, text.size() - 1);
}

/// The findings that explain an early death; empty when it did not die early or badly.
/// `err_tail`: the last bytes of its stderr where liftoff saw it ("" where it is inherited or
/// silent); `path` and `env`: what the judging after the fact reads.
template <class P>
std::vector<finding> post_mortem(const exit_status& status, std::chrono::nanoseconds elapsed, std::string_view err_tail,
                                 const std::string& path, const child_environment& env) {
    std::vector<finding> out;
    if (status.success() || status.unknown() || elapsed > early_death_window) return out;
    std::string code = std::to_string(status.code());
    if (status.exited() && (status.code() < 0 || status.code() > 255)) {  // a Windows NTSTATUS: in hex
        char hex[16];
        std::snprintf(hex, sizeof hex, "0x%08X", static_cast<unsigned>(status.code()));
        code = hex;
    }
    const std::string how = status.exited()
                                ? "it exited with code " + code
                                : "it was killed by " + status.to_string().substr(status.to_string().find("signal"));
    const std::string when = " " +
                             std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()) +
                             " ms after it started";
    if (err_tail.size() > post_mortem_tail) err_tail = err_tail.substr(err_tail.size() - post_mortem_tail);
    // What preflight() finds in its file now (judged once, when first asked): the first finding
    // `pick` takes becomes the explanation, worded as how and when it ended.
    std::optional<std::vector<finding>> judged;
    auto from_preflight = [&](auto pick) {
        if (!judged) {
            program_facts pf;
            judged.emplace();
            judge_program_file<P>(path, env, pf, *judged);
        }
        for (finding& f : *judged)
            if (pick(f)) {
                f.what = how + when + ": " + f.what;
                out.push_back(std::move(f));
                return true;
            }
        return false;
    };
    const bool shell_code = status.code() == 127 || status.code() == 126;
    // A #! line that ends in "\r" is the whole story of a 126/127, whatever the interpreter
    // said about it ("/usr/bin/env: 'sh\r': No such file"): one explanation with preflight().
    if (shell_code && from_preflight([](const finding& f) { return f.id == causes::crlf_line_endings; })) return out;
    const std::string lowered = lower_ascii(err_tail);
    for (const death_signature& s : death_signatures) {
        if (s.exit_code != -1 && status.code() != s.exit_code) continue;
        const std::size_t at = lowered.find(s.needle);
        if (at == std::string::npos) continue;
        // The first row that matches explains it: rows are in order of precedence (the
        // loader's line also says "No such file or directory").
        out.push_back(finding{s.id, severity::error,
                              how + when + ": " + s.cause + " (it wrote: " + printable(line_at(err_tail, at)) + ")",
                              s.remedy});
        return out;
    }
    if (status.signaled()) {
        const char* name = signal_name(status.signal());
        for (const death_signal& d : death_signals)
            if (name != nullptr && std::strcmp(name, d.name) == 0) {
                out.push_back(finding{"crashed", severity::error, how + when + ": " + d.cause, d.remedy});
                return out;
            }
        return out;  // SIGTERM, SIGKILL ...: stopped by someone, not a failure to start
    }
    const auto ntstatus = static_cast<std::uint32_t>(status.code());
    for (const death_status& d : death_statuses) {
        if (!status.exited() || ntstatus != d.code) continue;
        if (std::strcmp(d.id, "library-missing") == 0 &&  // preflight names which DLL, where it can
            from_preflight([&](const finding& f) { return f.id == d.id; }))
            return out;
        out.push_back(finding{d.id, severity::error, how + when + ": " + d.cause, d.remedy});
        return out;
    }
    // Nothing to read (stderr inherited, or silent): what preflight() finds in the file now,
    // the libraries it needs above all, is the likeliest cause.
    if (shell_code && from_preflight([](const finding& f) { return f.severity == severity::error; })) return out;
    const std::string_view said = last_line(err_tail);
    if (status.code() == 127)
        out.push_back(finding{"exit-127", severity::error,
                              how + when +
                                  ": a command it runs (through a shell, env or a wrapper script) was not found" +
                                  (said.empty() ? std::string() : " (it wrote: " + printable(said) + ")"),
                              "install that command, or fix its name or the child's PATH"});
    else if (status.code() == 126)
        out.push_back(finding{"exit-126", severity::error,
                              how + when + ": a command it runs was found but could not be executed" +
                                  (said.empty() ? std::string() : " (it wrote: " + printable(said) + ")"),
                              "make that command executable (chmod +x), or fix its path"});
    else if (!said.empty())  // a quick non-zero exit with nothing said is a program's answer (grep)
        out.push_back(finding{"exited-early", severity::warning, how + when + ": it wrote: " + printable(said),
                              "read what it wrote to stderr"});
    return out;
}

/// "liftoff: 'PROG' exited with code 127 4 ms after it started: ...; remedy": the first finding
/// in the words of a launch_error.
inline std::string post_mortem_text(const std::string& program, const std::vector<finding>& findings) {
    if (findings.empty()) return {};
    return "liftoff: '" + printable(program) + "' " + findings.front().what.substr(3) + "; " + findings.front().remedy;
}

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
