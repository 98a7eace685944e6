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

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
