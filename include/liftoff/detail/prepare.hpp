// liftoff/detail/prepare.hpp: the OS-independent half of a launch: checking a command's input
// and working out the child's environment. P is the platform (see platform/select.hpp).
// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../command.hpp"
#include "../error.hpp"
#include "failure.hpp"
#include "text.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

/// The first of the command's streams (stdin, stdout, stderr) whose spec is `k`: "stdin" ...,
/// or nullptr (io::fd() on Windows and io::handle() on POSIX are refused by name).
inline const char* stream_of_kind(const command& cmd, io::kind k) noexcept {
    if (cmd.stdin_from() && cmd.stdin_from()->what() == k) return "stdin";
    if (cmd.stdout_to() && cmd.stdout_to()->what() == k) return "stdout";
    if (cmd.stderr_to() && cmd.stderr_to()->what() == k) return "stderr";
    return nullptr;
}

/// Refuse input that cannot be passed to the OS intact: nothing runs after a failure here.
template <class P>
failure validate(const command& cmd) {
    const std::string& prog = cmd.program();
    auto bad = [&](errc code, const std::string& what, const std::string& remedy) {
        failure f = make_failure(code, printable(prog), what, remedy);
        f.findings.emplace_back("invalid-argument");  // preflight()'s id for the same cause
        return f;
    };
    // Each check returns nothing when all is well: the words of a failure (escaped names,
    // numbers) are put together only for a failure, not at every launch.
    using refusal = std::optional<failure>;
    // `item()`: what the text is, for the message ("argument 2 ('...')").
    auto check = [&](std::string_view text, auto&& item) -> refusal {
        if (find_nul(text) != std::string_view::npos)
            return bad(errc::invalid_argument, item() + " contains a NUL byte",
                       "remove it: the OS cannot pass it on (nothing was run)");
        if (!P::valid_text(text))
            return bad(errc::encoding_error, item() + " is not valid UTF-8",
                       "convert it to UTF-8 first (from_system_encoding() for ANSI text); nothing was run");
        return std::nullopt;
    };

    if (prog.empty())
        return bad(errc::invalid_argument, "the program name is empty", "name a program or a path (nothing was run)");
    if (auto f = check(prog, [] { return std::string("the program name"); })) return std::move(*f);
    const auto& args = cmd.arguments();
    for (std::size_t i = 0; i < args.size(); ++i)
        if (auto f =
                check(args[i], [&] { return "argument " + std::to_string(i + 1) + " ('" + printable(args[i]) + "')"; }))
            return std::move(*f);
    if (const auto& dir = cmd.cwd()) {
        if (dir->empty())
            return bad(errc::invalid_argument, "the working directory is an empty string",
                       "give a directory, or do not call cwd() (nothing was run)");
        if (auto f = check(*dir, [&] { return "the working directory '" + printable(*dir) + "'"; }))
            return std::move(*f);
    }
    for (const auto& change : cmd.env_changes()) {
        const std::string& name = change.first;
        auto shown = [&] { return "environment variable name '" + printable(name) + "'"; };
        if (name.empty())
            return bad(errc::invalid_argument, "an environment variable name is empty",
                       "give the variable a name (nothing was run)");
        if (auto f = check(name, shown)) return std::move(*f);
        if (name.find('=') != std::string::npos)
            return bad(errc::invalid_argument, shown() + " contains '='",
                       "a name cannot contain '='; put it in the value (nothing was run)");
        if (change.second)
            if (auto f = check(*change.second,
                               [&] { return "the value of environment variable '" + printable(name) + "'"; }))
                return std::move(*f);
    }
    if (cmd.stdout_to() && cmd.stdout_to()->what() == io::kind::merge)
        return bad(errc::invalid_argument, "stdout_to(io::merge()) has nothing to merge into",
                   "io::merge() is for stderr only (nothing was run)");
    auto check_file = [&](io::kind k, const std::string& path, const char* stream) -> refusal {
        if (k != io::kind::file && k != io::kind::append) return std::nullopt;
        auto item = [&] { return std::string("the ") + stream + " file"; };
        if (path.empty())
            return bad(errc::invalid_argument, item() + " name is empty", "give a file name (nothing was run)");
        return check(path, [&] { return item() + " '" + printable(path) + "'"; });
    };
    if (const auto& s = cmd.stdin_from())
        if (auto f = check_file(s->what(), s->path(), "stdin")) return std::move(*f);
    if (const auto& s = cmd.stdout_to())
        if (auto f = check_file(s->what(), s->path(), "stdout")) return std::move(*f);
    if (const auto& s = cmd.stderr_to())
        if (auto f = check_file(s->what(), s->path(), "stderr")) return std::move(*f);
    if (const auto& s = cmd.stdout_to())
        if (s->what() == io::kind::lines && !s->on_line())
            return bad(errc::invalid_argument, "io::lines() for stdout has no callback",
                       "pass a callback (nothing was run)");
    if (const auto& s = cmd.stderr_to())
        if (s->what() == io::kind::lines && !s->on_line())
            return bad(errc::invalid_argument, "io::lines() for stderr has no callback",
                       "pass a callback (nothing was run)");
    // Descriptors the caller already has (io::fd(), io::handle()): open, or refused here.
    auto check_native = [&](io::kind k, int fd, void* h, const char* stream, const char* setter) -> refusal {
        if (k == io::kind::fd && !P::descriptor_open(fd))
            return bad(errc::invalid_argument,
                       std::string(setter) + "(io::fd(" + std::to_string(fd) + ")): descriptor " + std::to_string(fd) +
                           " for its " + stream + " is not open in this process",
                       "pass a descriptor that stays open until the launch returns (nothing was run)");
        if (k == io::kind::handle && (h == nullptr || h == reinterpret_cast<void*>(std::intptr_t{-1})))  // NOLINT
            return bad(errc::invalid_argument,
                       std::string(setter) + "(io::handle(...)): the HANDLE for its " + stream +
                           " is null or INVALID_HANDLE_VALUE",
                       "pass a HANDLE that is open until the launch returns (nothing was run)");
        return std::nullopt;
    };
    if (const auto& s = cmd.stdin_from())
        if (auto f = check_native(s->what(), s->descriptor(), s->native_handle(), "stdin", "stdin_from"))
            return std::move(*f);
    if (const auto& s = cmd.stdout_to())
        if (auto f = check_native(s->what(), s->descriptor(), s->native_handle(), "stdout", "stdout_to"))
            return std::move(*f);
    if (const auto& s = cmd.stderr_to())
        if (auto f = check_native(s->what(), s->descriptor(), s->native_handle(), "stderr", "stderr_to"))
            return std::move(*f);
    // The child's process state: what can be refused before anything runs.
    if (const auto& name = cmd.arg0())
        if (auto f = check(*name, [&] { return "arg0 '" + printable(*name) + "'"; })) return std::move(*f);
    const auto& passed = cmd.passed_fds();
    for (std::size_t i = 0; i < passed.size(); ++i) {
        const passed_fd& p = passed[i];
        const std::string shown = "pass_fd(" + std::to_string(p.parent_fd) + ", " + std::to_string(p.child_fd) + ")";
        if (p.child_fd < 3)
            return bad(errc::invalid_argument, shown + ": the child's descriptor must be 3 or more",
                       "0, 1 and 2 are its streams: use stdin_from()/stdout_to()/stderr_to() (nothing was run)");
        for (std::size_t j = 0; j < i; ++j)
            if (passed[j].child_fd == p.child_fd)
                return bad(errc::invalid_argument,
                           shown + ": the child's descriptor " + std::to_string(p.child_fd) + " is given twice",
                           "give each child descriptor once (nothing was run)");
        if (!P::descriptor_open(p.parent_fd))
            return bad(errc::invalid_argument,
                       shown + ": descriptor " + std::to_string(p.parent_fd) + " is not open in this process",
                       "pass a descriptor that is open until the launch returns (nothing was run)");
    }
    for (const resource_limit& l : cmd.limits())
        if (l.soft > l.hard)
            return bad(errc::invalid_argument,
                       "limit(" + P::limit_name(l.resource) + ", " + std::to_string(l.soft) + ", " +
                           std::to_string(l.hard) + "): the soft limit is above the hard one",
                       "give a soft limit at most the hard one (nothing was run)");
    return {};
}

/// The child's environment as "NAME=value" entries, unless it is the parent's unchanged (then
/// `inherited` is true and `entries` is empty, so a launch copies nothing).
struct child_environment {
    bool inherited = true;
    std::vector<std::string> entries;
    std::optional<std::string> path;     ///< the child's PATH, if it will have one
    std::optional<std::string> pathext;  ///< the child's PATHEXT (Windows looks programs up with it)
};

template <class P>
child_environment make_environment(const command& cmd) {
    child_environment env;
    if (!cmd.env_cleared() && cmd.env_changes().empty()) {
        env.path = P::get_env("PATH");
        env.pathext = P::get_env("PATHEXT");
        return env;
    }
    env.inherited = false;
    if (!cmd.env_cleared()) env.entries = P::current_environment();
    for (const auto& change : cmd.env_changes()) {
        auto& entries = env.entries;
        for (auto it = entries.begin(); it != entries.end();) {
            if (P::env_names_equal(env_entry_name(*it), change.first))
                it = entries.erase(it);
            else
                ++it;
        }
        if (change.second) entries.push_back(change.first + "=" + *change.second);
    }
    for (const auto& entry : env.entries) {
        const std::string_view name = env_entry_name(entry);
        if (name.size() < entry.size() && P::env_names_equal(name, "PATH")) env.path = entry.substr(name.size() + 1);
        if (name.size() < entry.size() && P::env_names_equal(name, "PATHEXT"))
            env.pathext = entry.substr(name.size() + 1);
    }
    return env;
}

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
