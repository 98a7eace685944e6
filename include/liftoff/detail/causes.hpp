// liftoff/detail/causes.hpp: the causes a launch fails for, each with the finding id preflight()
// gives it and its remedy, written once: the judging rules (judge.hpp) and each platform's
// describe() of a failed launch both take them from here, so the two cannot drift apart.
// SPDX-License-Identifier: MIT
#pragma once

namespace liftoff {
inline namespace v0 {
namespace detail {

/// A finding id and the remedy that goes with it.
struct cause {
    const char* id;
    const char* remedy;
};

namespace causes {
constexpr cause not_in_path{"not-in-path", "give a full path or install it"};
constexpr cause not_found{"not-found", "check the path, or give a bare name to look it up in PATH"};
constexpr cause dangling_symlink{"dangling-symlink", "fix or remove the link"};
constexpr cause is_directory{"is-directory", "name the program inside it"};
constexpr cause not_a_regular_file{"not-executable", "name a program file"};
/// The remedy of not-executable names the file ("chmod +x 'PATH'"): see chmod_remedy().
constexpr const char* not_executable = "not-executable";
constexpr cause noexec_mount{"noexec-mount", "copy it to an executable location, or remount without noexec"};
constexpr cause interpreter_missing{"bad-interpreter", "install the interpreter or fix the #! line"};
constexpr cause interpreter_not_runnable{"bad-interpreter", "make the interpreter executable or fix the #! line"};
constexpr cause loader_missing{"bad-interpreter",
                               "it was built for another system; install its loader or use a build for this one"};
/// The remedy of crlf-line-endings names the file: see crlf_remedy().
constexpr const char* crlf_line_endings = "crlf-line-endings";
/// Its remedy is the platform's (P::library_remedy): LD_LIBRARY_PATH, or the program's folder.
constexpr cause library_missing{"library-missing",
                                "install the package that provides it, or add its directory to LD_LIBRARY_PATH"};
constexpr cause wrong_architecture{"wrong-architecture", "use a build for this system"};
constexpr cause exec_format{"exec-format", "add a #! line to a script, or use a build for this system"};
constexpr cause working_directory_missing{"bad-working-directory", "create it, or pass an existing directory to cwd()"};
constexpr cause working_directory_not_searchable{"bad-working-directory",
                                                 "give this user search (x) permission on it and its parents"};
constexpr cause arguments_too_long{"arguments-too-long", "pass large data through stdin or a file"};
/// validate()'s refusals each carry their own remedy.
constexpr const char* invalid_argument = "invalid-argument";
}  // namespace causes

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
