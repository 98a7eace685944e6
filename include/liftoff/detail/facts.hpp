// liftoff/detail/facts.hpp: the facts a platform gathers for diagnose() and preflight(); what
// they mean is decided in diagnose.hpp, the same on every OS.
// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

namespace liftoff {
inline namespace v0 {
namespace detail {

struct system_facts {
    std::string os, kernel, arch;
    std::string user;
    long long uid = -1, gid = -1;
    std::vector<long long> groups;
    std::string umask;
    std::string cwd;
    bool cwd_exists = false;
    bool terminal = false;             ///< stdin is a terminal
    bool dbus_socket = false;          ///< $XDG_RUNTIME_DIR/bus exists
    std::vector<std::string> sandbox;  ///< "flatpak", "snap", "wsl", "container", "wine"
};

struct dir_facts {
    bool exists = false;
    bool directory = false;
    bool searchable = false;  ///< this process may enter it
    bool writable_by_others =
        false;  ///< world-writable (or group-writable by a group not ours), without a sticky owner check
};

struct file_facts {
    bool exists = false;  ///< following symlinks
    bool regular = false;
    bool directory = false;
    bool dangling_symlink = false;
    std::string link_target;
    bool executable = false;  ///< by this process's effective ids
    bool noexec_mount = false;
    bool setuid = false;
    std::string mode;  ///< "0755"
    long long owner = -1;
    std::string capabilities;  ///< Linux security.capability, described
    bool quarantined = false;  ///< macOS com.apple.quarantine
    int zone_id = 0;           ///< Windows: the ZoneId of its Mark of the Web (3: the Internet), 0 if none
    bool readable = false;     ///< its first bytes could be read (a 0711 program cannot be)
    std::string head;          ///< the first bytes (up to 4 KiB) of a regular file
};

// Issue 15: the session's sockets and its runtime directory, for diagnose()'s session faults.

/// What a connect() to a unix socket found.
enum class socket_state {
    listening,    ///< it was accepted (or the listener's backlog is full): something is there
    missing,      ///< no such file (or, in the abstract namespace, no such name)
    not_socket,   ///< the path is not a socket
    refused,      ///< a socket file nobody listens on (its server is gone)
    no_access,    ///< permission denied
    failed,       ///< another error (errno in `error`)
    unsupported,  ///< not checked: an abstract socket outside Linux, a path too long for sun_path
};

struct socket_facts {
    socket_state state = socket_state::unsupported;
    int error = 0;  ///< errno of a failed connect() or stat()
};

struct owner_facts {
    bool exists = false;
    bool directory = false;
    long long owner = -1;  ///< uid
    unsigned mode = 0;     ///< permission bits (07777)
};

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
