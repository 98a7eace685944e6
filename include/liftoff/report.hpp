// liftoff/report.hpp: what diagnose() and preflight() return: a report of facts and findings,
// each with a stable id, a severity and a remedy.
// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace liftoff {
inline namespace v0 {

enum class severity { info, warning, error };

inline const char* to_string(severity s) noexcept {
    switch (s) {
    case severity::info: return "info";
    case severity::warning: return "warning";
    case severity::error: return "error";
    }
    return "info";
}

/// One thing found: a stable id (e.g. "not-executable"), how bad it is, what was found (naming
/// the path or variable) and what a person can do about it.
struct finding {
    std::string id;
    liftoff::severity severity = liftoff::severity::info;
    std::string what;
    std::string remedy;
};

/// One entry of PATH, as found.
struct path_entry {
    std::string dir;
    bool empty = false;
    bool relative = false;
    bool exists = false;
    bool directory = false;
    bool writable_by_others = false;
};

/// What preflight() found out about the program of a command.
struct program_facts {
    std::string program;                ///< as given
    std::string resolved;               ///< the file that would run ("" if none)
    std::string found_by;               ///< "given as a path", "PATH entry '/usr/bin'", "not found"
    std::vector<std::string> searched;  ///< PATH entries searched for a bare name
    bool exists = false, regular = false, directory = false, dangling_symlink = false;
    bool executable = false;    ///< by this process's effective ids
    bool noexec_mount = false;  ///< on a file system mounted noexec
    bool setuid = false;
    std::string mode;          ///< "0755"
    long long owner = -1;      ///< uid
    std::string format;        ///< "ELF 64-bit little-endian x86-64", "a script (#!/bin/sh)", ...
    std::string interpreter;   ///< the #! program, or an ELF's loader
    std::string capabilities;  ///< Linux file capabilities, if any
    bool quarantined = false;  ///< macOS: carries com.apple.quarantine
    std::string cwd;           ///< the working directory it would start in
    std::size_t argument_bytes = 0, argument_limit = 0;  ///< arguments + environment, and ARG_MAX
};

/// The session this process runs in (diagnose()), and a program's facts (preflight()); the
/// findings that follow from them. to_text() is for people, to_json() for programs.
struct report {
    std::string version = LIFTOFF_VERSION_STRING;
    std::string os, kernel, arch;
    std::string user;
    long long uid = -1, gid = -1;
    std::vector<long long> groups;
    std::string umask;
    std::string cwd;
    bool cwd_exists = false;
    std::string session;  ///< "x11", "wayland", "macos", "windows", "ssh", "terminal", "none"
    std::vector<std::pair<std::string, std::optional<std::string>>> session_variables;
    std::vector<std::string> sandbox;  ///< "flatpak", "snap", "wsl", "container", "wine"
    bool utf8 = false;
    std::string locale;  ///< the LC_CTYPE a child gets (from LC_ALL, LC_CTYPE or LANG)
    std::vector<path_entry> path;
    std::vector<std::string> openers;                              ///< opener programs found in PATH
    std::string open_url_plan;                                     ///< what open_url would do now, or why it cannot
    std::vector<std::pair<std::string, std::string>> environment;  ///< secrets redacted
    std::optional<program_facts> program;
    std::vector<finding> findings;

    bool has_errors() const noexcept {
        for (const auto& f : findings)
            if (f.severity == liftoff::severity::error) return true;
        return false;
    }
    /// The finding with this id, or nullptr.
    const finding* find(std::string_view id) const noexcept {
        for (const auto& f : findings)
            if (f.id == id) return &f;
        return nullptr;
    }
    /// An aligned table; ANSI colour only when asked (the doctor asks on a TTY without NO_COLOR).
    std::string to_text(bool colour = false) const;
    /// One JSON object: {"liftoff":…, "os":…, "user":…, "session":…, …, "findings":[…]}.
    std::string to_json() const;
};

/// Where diagnose() reads from: tests point `root` at a fake tree and pass an environment.
struct diagnose_options {
    std::string root = "/";                               ///< prefix for /proc, /.flatpak-info, /.dockerenv ...
    std::optional<std::vector<std::string>> environment;  ///< "NAME=value"; default: this process's
};

}  // namespace v0
}  // namespace liftoff
