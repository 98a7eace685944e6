// liftoff/report.hpp: what diagnose() and preflight() return: a report of facts and findings,
// each with a stable id, a severity and a remedy.
// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "version.hpp"

namespace liftoff {
inline namespace v0 {

/// How bad a finding is.
enum class severity {
    info,     ///< worth knowing; nothing is wrong
    warning,  ///< may make a launch fail or behave unexpectedly
    error,    ///< makes a launch fail
};

/// "info", "warning" or "error".
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
    std::string id;                                        ///< stable, e.g. "not-executable"
    liftoff::severity severity = liftoff::severity::info;  ///< how bad it is
    std::string what;                                      ///< what was found, naming the path or variable
    std::string remedy;                                    ///< what a person can do about it
};

/// One entry of PATH, as found.
struct path_entry {
    std::string dir;                  ///< the entry as written
    bool empty = false;               ///< an empty entry (it means the current directory to a shell)
    bool relative = false;            ///< not an absolute directory
    bool exists = false;              ///< something exists at `dir`
    bool directory = false;           ///< and it is a directory
    bool writable_by_others = false;  ///< anyone may write to it, or its owner may and is neither this user nor root
};

/// What preflight() found out about the program of a command.
struct program_facts {
    std::string program;                ///< as given
    std::string resolved;               ///< the file that would run ("" if none)
    std::string found_by;               ///< "given as a path", "PATH entry '/usr/bin'", "not found"
    std::vector<std::string> searched;  ///< PATH entries searched for a bare name
    bool exists = false, regular = false, directory = false, dangling_symlink = false;  ///< what `resolved` is
    bool executable = false;                     ///< by this process's effective ids
    bool noexec_mount = false;                   ///< on a file system mounted noexec
    bool setuid = false;                         ///< the set-user-id bit is set
    std::string mode;                            ///< "0755"
    long long owner = -1;                        ///< uid
    std::string format;                          ///< "ELF 64-bit little-endian x86-64", "a script (#!/bin/sh)", ...
    std::string interpreter;                     ///< the #! program, or an ELF's loader
    std::vector<std::string> missing_libraries;  ///< Linux: shared libraries (DT_NEEDED) the loader would not find
    std::string capabilities;                    ///< Linux file capabilities, if any
    bool quarantined = false;                    ///< macOS: carries com.apple.quarantine
    int zone_id = 0;  ///< Windows: its Mark of the Web's ZoneId (3: downloaded from the Internet), 0 if none
    std::string cwd;  ///< the working directory it would start in
    std::size_t argument_bytes = 0, argument_limit = 0;  ///< arguments + environment, and ARG_MAX
};

/// The session this process runs in (diagnose()), and a program's facts (preflight()); the
/// findings that follow from them. to_text() is for people, to_json() for programs.
struct report {
    std::string version = LIFTOFF_VERSION_STRING;  ///< liftoff's version
    std::string os, kernel, arch;                  ///< e.g. "Linux", "6.8.0", "x86_64"
    std::string user;                              ///< the effective user's name
    long long uid = -1, gid = -1;                  ///< effective ids (-1 where there are none)
    std::vector<long long> groups;                 ///< supplementary group ids
    std::string umask;                             ///< e.g. "0022"
    std::string cwd;                               ///< this process's working directory
    bool cwd_exists = false;                       ///< false when it could not be read (removed under the process)
    std::string session;                           ///< "x11", "wayland", "macos", "windows", "ssh", "terminal", "none"
    /// DISPLAY, WAYLAND_DISPLAY, XDG_SESSION_TYPE, ... and their values (nullopt when unset).
    std::vector<std::pair<std::string, std::optional<std::string>>> session_variables;
    std::vector<std::string> sandbox;  ///< "flatpak", "snap", "wsl", "container", "wine"
    bool utf8 = false;                 ///< the locale a child gets (`locale`) is UTF-8
    std::string locale;                ///< the LC_CTYPE a child gets (from LC_ALL, LC_CTYPE or LANG)
    std::vector<path_entry> path;      ///< PATH, entry by entry
    std::vector<std::string> openers;  ///< opener programs found in PATH
    std::string open_url_plan;         ///< what open_url would do now, or why it cannot
    std::vector<std::pair<std::string, std::string>> environment;  ///< secrets redacted
    std::optional<program_facts> program;                          ///< preflight() only: the program's facts
    std::vector<finding> findings;                                 ///< what follows from the facts

    /// Some finding has severity::error.
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
