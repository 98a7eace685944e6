// examples/liftoff.cpp: the `liftoff` command-line demo: run a program the way the library
// does and show what happened, find a program in PATH, or open a URL, a file or an application
// (with --dry-run: show what would run).
// SPDX-License-Identifier: MIT
#include <liftoff/liftoff.hpp>

#include <unistd.h>  // isatty

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

/// `s` with control characters shown as escapes, for the terminal.
std::string shown(const std::string& s) {
    std::string out;
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c == 0x7f) {
            char esc[8];
            std::snprintf(esc, sizeof esc, "\\x%02x", c);
            out += esc;
        } else {
            out += ch;
        }
    }
    return out;
}

/// "https://..." or "mailto:..." (a scheme of two letters or more, so "C:\\x" stays a path).
bool has_scheme(const std::string& s) {
    const auto colon = s.find(':');
    if (colon == std::string::npos || colon < 2) return false;
    for (std::size_t i = 0; i < colon; ++i) {
        const char c = s[i];
        const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (!(alpha || (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')))) return false;
    }
    return true;
}

const char* const usage =
    "usage: liftoff doctor [--json] [-- PROGRAM [ARGS...]]\n"
    "       liftoff run [--timeout SECONDS] [--capture] [--trace] [--explain] [--json] -- PROGRAM [ARGS...]\n"
    "       liftoff which NAME\n"
    "       liftoff open [--dry-run] [OPEN-OPTIONS] URL|PATH\n"
    "       liftoff open-with [--dry-run] [OPEN-OPTIONS] [--arg ARG]... APP [TARGET...]\n"
    "       liftoff reveal [--dry-run] PATH\n"
    "\n"
    "  doctor  explain this session (display, sandbox, locale, PATH, openers) and, given a\n"
    "          PROGRAM, why launching it would fail. Exit status 1 when there are errors.\n"
    "  run     start PROGRAM (a name is looked up in PATH), wait for it, report how it ended;\n"
    "          --capture collects its output and prints it afterwards, --trace prints each\n"
    "          step as it happens. Exit status: the program's, 128+N for signal N, 127/126\n"
    "          when it could not be started. A program that dies at once is explained; to\n"
    "          read its stderr for that, liftoff passes it through line by line (always with\n"
    "          --explain; on a terminal it is inherited otherwise, keeping it a tty). --json\n"
    "          prints how it ended and those findings, with their ids, as one line of JSON.\n"
    "  which   print where `run` would find NAME.\n"
    "  open    open a URL in its default application (http, https, mailto unless --scheme adds\n"
    "          one), or a file or folder (anything with no scheme is a path).\n"
    "  open-with  open the targets in APP: a desktop id (firefox, org.gnome.TextEditor), a program\n"
    "          in PATH, a path; on macOS an application name or bundle id. --arg ARG goes first.\n"
    "  reveal  show PATH selected in the file manager.\n"
    "  OPEN-OPTIONS: --confirm MS (wait this long for the opener's verdict; default 3000),\n"
    "          --wait, --background, --new-instance, --allow-executables, --scheme NAME.\n"
    "          --dry-run prints the plan (the opener and its exact argv) and runs nothing.\n"
    "          Exit status: 0 opened (or planned), 1 refused or failed, 2 usage.\n";

std::string ms(std::chrono::nanoseconds d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f ms", static_cast<double>(d.count()) / 1e6);
    return buf;
}

void print_trace(const liftoff::trace_event& e) {
    switch (e.kind) {
    case liftoff::trace_kind::resolved:
        std::fprintf(stderr, "liftoff: resolved '%s' -> %s\n", e.program.c_str(), e.path.c_str());
        break;
    case liftoff::trace_kind::spawned:
        std::fprintf(stderr, "liftoff: spawned pid %lld\n", static_cast<long long>(e.pid));
        break;
    case liftoff::trace_kind::spawn_failed:
        std::fprintf(stderr, "liftoff: spawn failed (%s)\n", e.error.message().c_str());
        break;
    case liftoff::trace_kind::signal_sent:
        std::fprintf(stderr, "liftoff: sent signal %d to pid %lld\n", e.signal, static_cast<long long>(e.pid));
        break;
    case liftoff::trace_kind::exited:
        std::fprintf(stderr, "liftoff: pid %lld %s after %s\n", static_cast<long long>(e.pid),
                     e.status.to_string().c_str(), ms(e.elapsed).c_str());
        break;
    }
}

int status_to_exit_code(const liftoff::result& r) {
    if (r.status.exited()) return r.status.code();
    if (r.status.signaled()) return 128 + r.status.signal();
    return 1;
}

/// `s` as a JSON string (the findings' text is UTF-8 with bytes that are not escaped as \xNN).
std::string json_string(const std::string& s) {
    std::string out = "\"";
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += ch;
        } else if (c < 0x20) {
            char esc[8];
            std::snprintf(esc, sizeof esc, "\\u%04x", c);
            out += esc;
        } else {
            out += ch;
        }
    }
    return out + "\"";
}

/// `liftoff run --json`: one line on stdout once the child has ended: how, and the findings
/// that explain an early death, with their stable ids.
void print_run_json(const liftoff::command& cmd, const liftoff::result& r) {
    std::string out = "{\"program\": " + json_string(cmd.program()) +
                      ", \"status\": " + json_string(r.status.to_string()) +
                      ", \"exit_code\": " + (r.status.exited() ? std::to_string(r.status.code()) : "null") +
                      ", \"signal\": " + (r.status.signaled() ? std::to_string(r.status.signal()) : "null") +
                      ", \"timed_out\": " + (r.timed_out ? "true" : "false") + ", \"elapsed_ms\": " +
                      std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(r.elapsed).count()) +
                      ", \"explanation\": " + json_string(r.explanation) + ", \"findings\": [";
    for (std::size_t i = 0; i < r.findings.size(); ++i) {
        const auto& f = r.findings[i];
        out += std::string(i ? ", " : "") + "{\"id\": " + json_string(f.id) +
               ", \"severity\": " + json_string(liftoff::to_string(f.severity)) + ", \"what\": " + json_string(f.what) +
               ", \"remedy\": " + json_string(f.remedy) + "}";
    }
    std::printf("%s]}\n", out.c_str());
}

int cmd_run(int argc, char** argv) {
    double timeout = 0;
    bool capture = false, trace = false, explain = false, json = false;
    int i = 0;
    for (; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--") {
            ++i;
            break;
        }
        if (a == "--capture") {
            capture = true;
        } else if (a == "--explain") {
            explain = true;
        } else if (a == "--json") {
            json = explain = true;  // the findings need what it says on stderr
        } else if (a == "--trace") {
            trace = true;
        } else if (a == "--timeout" && i + 1 < argc) {
            timeout = std::atof(argv[++i]);
        } else {
            std::fputs(usage, stderr);
            return 2;
        }
    }
    if (i >= argc) {
        std::fputs(usage, stderr);
        return 2;
    }
    liftoff::command cmd{argv[i]};
    for (++i; i < argc; ++i)
        cmd.arg(argv[i]);
    if (!capture) {
        cmd.stdin_from(liftoff::io::inherit()).stdout_to(liftoff::io::inherit()).stderr_to(liftoff::io::inherit());
        // Passed through line by line rather than inherited, liftoff sees the tail of stderr and
        // can explain a child that dies at once by what it said (the loader's, a toolkit's
        // message). Not on a terminal unless asked: the child would lose its tty (colours,
        // prompts) and a prompt without a newline would wait for one.
        if (explain || ::isatty(2) != 1)
            cmd.stderr_to(liftoff::io::lines([](std::string_view line) {
                std::fwrite(line.data(), 1, line.size(), stderr);
                std::fputc('\n', stderr);
            }));
    }
    if (timeout > 0)
        cmd.timeout(std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(timeout)));
    if (trace) cmd.trace(print_trace);
    try {
        const liftoff::result r = liftoff::run(cmd);
        if (capture) {
            std::printf("--- stdout (%zu bytes%s)\n%s", r.out.size(), r.out_truncated ? ", truncated" : "",
                        r.out.c_str());
            if (!r.out.empty() && r.out.back() != '\n') std::printf("\n");
            std::printf("--- stderr (%zu bytes%s)\n%s", r.err.size(), r.err_truncated ? ", truncated" : "",
                        r.err.c_str());
            if (!r.err.empty() && r.err.back() != '\n') std::printf("\n");
        }
        std::fprintf(stderr, "liftoff: '%s' %s after %s%s\n", cmd.program().c_str(), r.status.to_string().c_str(),
                     ms(r.elapsed).c_str(), r.timed_out ? " (timed out)" : "");
        for (const auto& f : r.findings)  // why it died at once, when something says
            std::fprintf(stderr, "  %-7s %-22s %s\n  %-30s -> %s\n", liftoff::to_string(f.severity), f.id.c_str(),
                         f.what.c_str(), "", f.remedy.c_str());
        if (json) print_run_json(cmd, r);
        return status_to_exit_code(r);
    } catch (const liftoff::launch_error& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return e.code() == liftoff::errc::not_executable ? 126 : 127;
    }
}

int cmd_doctor(int argc, char** argv) {
    bool json = false;
    int i = 0;
    for (; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--") {
            ++i;
            break;
        }
        if (a == "--json") {
            json = true;
        } else {
            std::fputs(usage, stderr);
            return 2;
        }
    }
    liftoff::report r;
    if (i < argc) {
        liftoff::command cmd{argv[i]};
        for (++i; i < argc; ++i)
            cmd.arg(argv[i]);
        r = liftoff::preflight(cmd);
    } else {
        r = liftoff::diagnose();
    }
    if (json) {
        std::printf("%s\n", r.to_json().c_str());
    } else {
        // Colour only for a person at a terminal, and never when NO_COLOR is set (no-color.org).
        const char* no_color = std::getenv("NO_COLOR");
        std::fputs(r.to_text(::isatty(1) == 1 && (no_color == nullptr || *no_color == '\0')).c_str(), stdout);
    }
    return r.has_errors() ? 1 : 0;
}

int cmd_which(int argc, char** argv) {
    if (argc != 1) {
        std::fputs(usage, stderr);
        return 2;
    }
    if (const auto p = liftoff::find_program(argv[0])) {
        std::printf("%s\n", p->string().c_str());
        return 0;
    }
    // launch() explains a miss (the PATH searched, entries skipped) and fails before running.
    try {
        liftoff::launch(liftoff::command{argv[0]}.stdout_to(liftoff::io::null()).stderr_to(liftoff::io::null())).kill();
    } catch (const liftoff::launch_error& e) {
        std::fprintf(stderr, "%s\n", e.what());
    }
    return 1;
}

void print_plan(const liftoff::open_plan& p) {
    std::printf("opener: %s\n", p.opener.c_str());
    std::printf("would run: %s\n", p.description.c_str());
    if (!p.launch) return;
    std::printf("argv[0]: %s\n", p.launch->program().c_str());
    std::size_t n = 1;
    for (const auto& a : p.launch->arguments())
        std::printf("argv[%zu]: %s\n", n++, shown(a).c_str());
}

/// `open`, `open-with` and `reveal`: the options they share, then the verb's own arguments.
int cmd_open(const std::string& verb, int argc, char** argv) {
    liftoff::open_options opts;
    bool dry_run = false;
    int i = 0;
    for (; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--dry-run") {
            dry_run = true;
        } else if (a == "--wait") {
            opts.wait = true;
        } else if (a == "--background") {
            opts.background = true;
        } else if (a == "--new-instance") {
            opts.new_instance = true;
        } else if (a == "--allow-executables") {
            opts.allow_executables = true;
        } else if (a == "--confirm" && i + 1 < argc) {
            opts.confirm = std::chrono::milliseconds(std::atol(argv[++i]));
        } else if (a == "--scheme" && i + 1 < argc) {
            opts.allowed_schemes.push_back(argv[++i]);
        } else if (a == "--arg" && i + 1 < argc && verb == "open-with") {
            opts.app_args.push_back(argv[++i]);
        } else if (a == "--") {
            ++i;
            break;
        } else if (!a.empty() && a[0] == '-' && a.size() > 1) {
            std::fputs(usage, stderr);
            return 2;
        } else {
            break;
        }
    }
    const int left = argc - i;
    if (left < 1 || (verb != "open-with" && left != 1)) {
        std::fputs(usage, stderr);
        return 2;
    }
    const std::string first = argv[i];
    const std::vector<std::string> rest(argv + i + 1, argv + argc);
    // A word with a scheme ("https:", "mailto:") is a URL; anything else is a path.
    const bool url = verb == "open" && has_scheme(first);
    try {
        if (dry_run) {
            if (verb == "open")
                print_plan(url ? liftoff::plan_open_url(first, opts) : liftoff::plan_open_path(first, opts));
            else if (verb == "open-with")
                print_plan(liftoff::plan_open_with(first, rest, opts));
            else
                print_plan(liftoff::plan_reveal(first, opts));
            return 0;
        }
        liftoff::child c = verb == "open" ? (url ? liftoff::open_url(first, opts) : liftoff::open_path(first, opts))
                           : verb == "open-with" ? liftoff::open_with(first, rest, opts)
                                                 : liftoff::reveal(first, opts);
        if (opts.wait && c.valid())
            std::fprintf(stderr, "liftoff: the opener %s\n", c.wait().to_string().c_str());
        else
            std::fprintf(stderr, "liftoff: opened '%s'%s\n", shown(first).c_str(),
                         c.running() ? " (the opener runs on)" : "");
        return 0;  // the child's on_destroy is release: the opener is never killed
    } catch (const liftoff::launch_error& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fputs(usage, stderr);
        return 2;
    }
    const std::string verb = argv[1];
    if (verb == "doctor") return cmd_doctor(argc - 2, argv + 2);
    if (verb == "run") return cmd_run(argc - 2, argv + 2);
    if (verb == "which") return cmd_which(argc - 2, argv + 2);
    if (verb == "open" || verb == "open-with" || verb == "reveal") return cmd_open(verb, argc - 2, argv + 2);
    if (verb == "--help" || verb == "-h" || verb == "help") {
        std::fputs(usage, stdout);
        return 0;
    }
    std::fprintf(stderr, "liftoff: unknown command '%s'\n\n%s", verb.c_str(), usage);
    return 2;
}
