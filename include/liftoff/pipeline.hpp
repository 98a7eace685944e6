// liftoff/pipeline.hpp: pipelines (`a | b | c`): each stage's stdout feeds the next stage's
// stdin through a pipe between the two children; launch() and run() for them.
// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#include "child.hpp"
#include "command.hpp"
#include "error.hpp"
#include "exit_status.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {
struct pipeline_access;
}  // namespace detail

/// Commands run together, each stage's stdout feeding the next stage's stdin through a pipe that
/// liftoff makes between the two children: the data never passes through this process. Build
/// one with `|`: `command{"ls"} | command{"grep", {"x"}} | command{"wc", {"-l"}}`. A value,
/// like command.
///
/// The first stage's stdin and the last stage's stdout and stderr are what those commands say
/// (unset: as launch() and run() choose for one command). A middle stage's stderr is what its
/// command says, inherited when unset (by run() too: only the last stage's is captured);
/// stderr_to(io::merge()) sends it down the pipe with its stdout (`2>&1 |`). Setting stdout_to()
/// on any stage but the last, or stdin_from() on any but the first, is errc::invalid_argument.
/// Each stage keeps the rest of its command: its timeout() (the stage alone is stopped), its
/// on_destroy(), its trace, its process state.
class pipeline {
public:
    /// An empty pipeline: launching it is errc::invalid_argument.
    pipeline() = default;
    /// The stages, in order (one stage is allowed: it runs as that command alone would).
    explicit pipeline(std::vector<command> stages) : stages_(std::move(stages)) {}
    /// Appends a stage, whose stdin the current last stage's stdout feeds.
    pipeline& then(command next) {
        stages_.push_back(std::move(next));
        return *this;
    }
    /// The stages, in order.
    const std::vector<command>& stages() const noexcept { return stages_; }

private:
    std::vector<command> stages_;
};

/// `a | b`: the pipeline of two stages. (A template taking exactly two commands, so that
/// strings never become a pipeline through command's implicit constructors.)
template <class A, class B,
          std::enable_if_t<
              std::is_same<std::decay_t<A>, command>::value && std::is_same<std::decay_t<B>, command>::value, int> = 0>
pipeline operator|(A&& a, B&& b) {
    std::vector<command> stages;
    stages.reserve(2);
    stages.push_back(std::forward<A>(a));
    stages.push_back(std::forward<B>(b));
    return pipeline(std::move(stages));
}

/// `p | c`: `p` with `c` appended as its last stage.
template <class C, std::enable_if_t<std::is_same<std::decay_t<C>, command>::value, int> = 0>
pipeline operator|(pipeline p, C&& c) {
    p.then(std::forward<C>(c));
    return p;
}

/// What run() returns for a pipeline. A stage's non-zero exit or timeout is a result, not an
/// error.
struct pipeline_result {
    std::vector<exit_status> statuses;                  ///< how each stage ended, in stage order
    std::string out, err;                               ///< the last stage's captured text ("" where not captured)
    bool out_truncated = false, err_truncated = false;  ///< more than the capture limit arrived (last stage)
    bool out_cut = false, err_cut = false;              ///< a grandchild held the last stage's pipe; draining stopped
    bool timed_out = false;                             ///< some stage's timeout fired and that stage was terminated
    std::chrono::nanoseconds elapsed{};                 ///< from the launch until every stage's end was seen
    /// Every stage exited with code 0 and none timed out (as a shell's `set -o pipefail`). A
    /// stage killed by SIGPIPE because a later one stopped reading (`... | head -1`) counts as
    /// failed, as it does there: look at statuses to tell.
    bool ok() const noexcept {
        if (timed_out || statuses.empty()) return false;
        for (const auto& s : statuses)
            if (!s.success()) return false;
        return true;
    }
};

/// The running stages of a launched pipeline. Move-only; its destructor does what each stage's
/// on_destroy says (launch()'s default: terminate), with the polite stop sent to every stage
/// that terminates at once, so that their graces run together and not one after another.
///
/// Threads: as for child; one thread may wait() while another calls terminate() or kill().
class pipeline_child {
public:
    /// An invalid handle (valid() is false), to move a launched pipeline into.
    pipeline_child() noexcept = default;
    /// Takes the moved-from handle's stages, leaving that handle invalid.
    pipeline_child(pipeline_child&&) noexcept = default;
    /// Does what on_destroy says to the stages this handle had, then takes `other`'s.
    pipeline_child& operator=(pipeline_child&& other) noexcept;
    pipeline_child(const pipeline_child&) = delete;
    pipeline_child& operator=(const pipeline_child&) = delete;
    /// Does what each stage's on_destroy says (see the class).
    ~pipeline_child();

    /// False for a default-constructed or moved-from handle.
    bool valid() const noexcept { return !stages_.empty(); }
    /// The stages' children, in stage order: write_stdin() to the first (io::pipe()), out() of
    /// the last (io::capture()), a signal to one.
    std::vector<child>& stages() noexcept { return stages_; }
    /// The stages' children, in stage order.
    const std::vector<child>& stages() const noexcept { return stages_; }

    /// Closes the first stage's stdin (an io::pipe()), waits for every stage (honouring each
    /// stage's timeout, all at once), reaps them and finishes their streams; one status per
    /// stage, in stage order. Rethrows an exception thrown by an io::lines callback.
    std::vector<exit_status> wait();
    /// Stops every stage: the polite signal to all of them at once (SIGTERM; CTRL_BREAK on
    /// Windows; to each whole group with new_process_group()), then a kill to each still running
    /// after `grace`; reaps them. One status per stage.
    std::vector<exit_status> terminate(std::chrono::nanoseconds grace = default_grace);
    /// Kills every stage now and reaps them. One status per stage.
    std::vector<exit_status> kill();

private:
    friend struct detail::pipeline_access;
    std::vector<child> stages_;
};

/// Starts every stage of `p`, connected by pipes (close-on-exec: no stage holds another's pipe
/// ends, and this process closes its own as soon as the stages that use them are running).
/// Streams and on_destroy as launch(command) gives each stage (see pipeline). Throws
/// launch_error when a stage cannot start: the stages already running are killed and reaped
/// first, and the message names the stage ("stage 2 of 3 of the pipeline") and its program.
/// errc::invalid_argument for an empty pipeline or a redirection a pipe replaces.
[[nodiscard]] pipeline_child launch(const pipeline& p);

/// As launch(p), reporting failure in `ec` (a liftoff::errc) and returning an invalid handle.
[[nodiscard]] pipeline_child launch(const pipeline& p, std::error_code& ec) noexcept;

/// As launch(p), reporting failure in `f` (whose message names the stage) and returning an
/// invalid handle.
[[nodiscard]] pipeline_child launch(const pipeline& p, failure& f) noexcept;

/// Starts `p` with the first stage's stdin from the null device and the last stage's stdout
/// and stderr captured (each unless its command redirects it), waits for every stage, and
/// returns the last stage's output and every stage's status. Throws as launch(p) does;
/// rethrows an exception from an io::lines callback.
pipeline_result run(const pipeline& p);

/// As run(p), reporting a failure to start in `ec` (the result is then empty).
pipeline_result run(const pipeline& p, std::error_code& ec);

/// As run(p, ec), reporting a failure to start in `f`.
pipeline_result run(const pipeline& p, failure& f);

}  // namespace v0
}  // namespace liftoff
