// liftoff/impl/child.inl: the member functions of child (declared in child.hpp).
// SPDX-License-Identifier: MIT
#pragma once

#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#include "../child.hpp"
#include "../detail/caller_read.hpp"
#include "../detail/child_signals.hpp"
#include "../detail/child_state.hpp"
#include "../detail/clock.hpp"
#include "../detail/launch.hpp"
#include "../detail/config.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {
LIFTOFF_API void child_state_deleter::operator()(child_state* s) const noexcept {
    delete s;
}

// Reading on the caller's thread (0.2): which stream, and the words when it cannot be read.
inline native_platform::process::caller_stream_type* caller_stream_of(child_state* st, bool owned, stream s,
                                                                      std::error_code& ec) noexcept {
    if (st == nullptr || !owned) {
        ec = std::make_error_code(std::errc::bad_file_descriptor);
        return nullptr;
    }
    auto* c = s == stream::in ? nullptr : st->proc.caller_output(s == stream::out ? output::out : output::err);
    if (c == nullptr || !c->given()) {
        ec = std::make_error_code(std::errc::invalid_argument);
        return nullptr;
    }
    return c;
}
inline std::system_error caller_read_error(const child_state* st, stream s, std::error_code ec) {
    const std::string name = st ? st->program : std::string("an invalid child");
    const char* which = s == stream::in ? "stdin" : s == stream::out ? "stdout" : "stderr";
    std::string why;
    if (ec == std::errc::invalid_argument && s == stream::in)
        why =
            "stdin is its input, written with write_stdin(); read stream::out or stream::err, given "
            "stdout_to(io::pipe()) or stderr_to(io::pipe())";
    else if (ec == std::errc::invalid_argument)
        why = std::string(which) + " is not io::pipe(): give " + which + "_to(io::pipe()) to read it here (or " +
              "io::capture() to have it in " + (s == stream::out ? "out()" : "err()") + ")";
    else if (ec == std::errc::bad_file_descriptor)
        why = "the handle has no child (default-constructed, moved from or released)";
    else
        why = ec.message();
    return std::system_error(ec, "liftoff: cannot read the " + std::string(which) + " of '" + name + "': " + why);
}
}  // namespace detail

LIFTOFF_API child::child(detail::child_state_ptr s) noexcept : s_(std::move(s)) {}

LIFTOFF_API child::child(child&&) noexcept = default;

LIFTOFF_API bool child::valid() const noexcept {
    return s_ != nullptr;
}

LIFTOFF_API bool child::owned() const noexcept {
    return s_ && !detail::inherited_through_fork(s_->proc, 0);
}

LIFTOFF_API child& child::operator=(child&& other) noexcept {
    if (this != &other) {
        destroy();
        s_ = std::move(other.s_);
    }
    return *this;
}

LIFTOFF_API child::~child() {
    destroy();
}

LIFTOFF_API child::pid_type child::pid() const noexcept {
    static_assert(std::is_same<pid_type, detail::native_platform::process::pid_type>::value, "pid_type is wrong");
    return s_ ? s_->proc.pid() : pid_type{};
}

LIFTOFF_API bool child::running() {
    if (!owned()) return false;
    return !s_->observe(s_->proc.try_wait());
}

LIFTOFF_API exit_status child::wait() {
    if (!owned()) return {};
    const exit_status st = s_->wait_until_done();
    if (auto e = s_->take_callback_error()) std::rethrow_exception(e);
    return st;
}

LIFTOFF_API std::optional<exit_status> child::wait_for(std::chrono::nanoseconds limit) {
    if (!owned()) return std::nullopt;
    auto st = s_->observe(s_->proc.wait_for(limit));
    if (st) s_->finish_streams();
    return st;
}

LIFTOFF_API exit_status child::terminate(std::chrono::nanoseconds grace) {
    if (!owned()) return {};
    const exit_status st = s_->stop(grace);
    s_->finish_streams();
    return st;
}

LIFTOFF_API exit_status child::kill() {
    if (!owned()) return {};
    const exit_status st = s_->kill_now();
    s_->finish_streams();
    return st;
}

LIFTOFF_API void child::release() {
    if (!s_) return;
    if (!owned())
        detail::abandon_in_fork(s_->proc, 0);
    else if (!s_->known())
        s_->proc.release();
    s_.reset();
}

LIFTOFF_API void child::write_stdin(std::string_view bytes, std::error_code& ec) noexcept {
    if (!owned()) {
        ec = std::make_error_code(std::errc::bad_file_descriptor);
        return;
    }
    ec = s_->proc.write_stdin(bytes);
}

LIFTOFF_API void child::write_stdin(std::string_view bytes) {
    std::error_code ec;
    write_stdin(bytes, ec);
    if (!ec) return;
    const std::string name = s_ ? s_->program : std::string("an invalid child");
    const std::string why = ec == std::errc::broken_pipe           ? "the child has closed its stdin or exited"
                            : ec == std::errc::bad_file_descriptor ? "stdin is not io::pipe() or was closed"
                            : ec == std::errc::operation_canceled
                                ? "close_stdin() was called while this write waited for the child to read"
                                : ec.message();
    throw std::system_error(ec, "liftoff: cannot write to the stdin of '" + name + "': " + why);
}

LIFTOFF_API void child::close_stdin() noexcept {
    if (owned()) s_->proc.close_stdin();
}

LIFTOFF_API bool child::timed_out() const {
    if (!owned()) return false;
    std::lock_guard<std::mutex> lock(s_->mutex);
    return s_->timed_out;
}

LIFTOFF_API std::string child::out() const {
    return owned() ? s_->captured(detail::output::out) : std::string();
}
LIFTOFF_API std::string child::err() const {
    return owned() ? s_->captured(detail::output::err) : std::string();
}
LIFTOFF_API bool child::out_truncated() const {
    return owned() && s_->flag(detail::output::out, detail::output_flag::truncated);
}
LIFTOFF_API bool child::err_truncated() const {
    return owned() && s_->flag(detail::output::err, detail::output_flag::truncated);
}
LIFTOFF_API std::vector<finding> child::findings() const {
    return owned() ? s_->explain_death() : std::vector<finding>();
}
LIFTOFF_API std::string child::explanation() const {
    return owned() ? detail::post_mortem_text(s_->program, s_->explain_death()) : std::string();
}
LIFTOFF_API bool child::out_cut() const {
    return owned() && s_->flag(detail::output::out, detail::output_flag::cut);
}
LIFTOFF_API bool child::err_cut() const {
    return owned() && s_->flag(detail::output::err, detail::output_flag::cut);
}

LIFTOFF_API void child::signal(int sig, std::error_code& ec) noexcept {
    ec = owned() ? detail::send_user_signal(*s_, detail::user_signal::number, sig)
                 : std::make_error_code(std::errc::no_such_process);
}
LIFTOFF_API void child::interrupt(std::error_code& ec) noexcept {
    ec = owned() ? detail::send_user_signal(*s_, detail::user_signal::interrupt, 0)
                 : std::make_error_code(std::errc::no_such_process);
}
LIFTOFF_API void child::suspend(std::error_code& ec) noexcept {
    ec = owned() ? detail::send_user_signal(*s_, detail::user_signal::suspend, 0)
                 : std::make_error_code(std::errc::no_such_process);
}
LIFTOFF_API void child::resume(std::error_code& ec) noexcept {
    ec = owned() ? detail::send_user_signal(*s_, detail::user_signal::resume, 0)
                 : std::make_error_code(std::errc::no_such_process);
}
LIFTOFF_API void child::signal(int sig) {
    const auto ec = owned() ? detail::send_user_signal(*s_, detail::user_signal::number, sig)
                            : std::make_error_code(std::errc::no_such_process);
    if (ec) throw detail::user_signal_error(owned() ? s_.get() : nullptr, detail::user_signal::number, sig, ec);
}
LIFTOFF_API void child::interrupt() {
    const auto ec = owned() ? detail::send_user_signal(*s_, detail::user_signal::interrupt, 0)
                            : std::make_error_code(std::errc::no_such_process);
    if (ec) throw detail::user_signal_error(owned() ? s_.get() : nullptr, detail::user_signal::interrupt, 0, ec);
}
LIFTOFF_API void child::suspend() {
    const auto ec = owned() ? detail::send_user_signal(*s_, detail::user_signal::suspend, 0)
                            : std::make_error_code(std::errc::no_such_process);
    if (ec) throw detail::user_signal_error(owned() ? s_.get() : nullptr, detail::user_signal::suspend, 0, ec);
}
LIFTOFF_API void child::resume() {
    const auto ec = owned() ? detail::send_user_signal(*s_, detail::user_signal::resume, 0)
                            : std::make_error_code(std::errc::no_such_process);
    if (ec) throw detail::user_signal_error(owned() ? s_.get() : nullptr, detail::user_signal::resume, 0, ec);
}

LIFTOFF_API std::optional<std::string> child::read_line(liftoff::stream s, std::chrono::nanoseconds timeout,
                                                        std::error_code& ec) noexcept {
    auto* c = detail::caller_stream_of(s_.get(), owned(), s, ec);
    return c ? c->read_line(detail::deadline_after(timeout), ec) : std::nullopt;
}
LIFTOFF_API std::optional<std::string> child::read_line(liftoff::stream s, std::chrono::nanoseconds timeout) {
    std::error_code ec;
    auto line = read_line(s, timeout, ec);
    if (ec) throw detail::caller_read_error(s_.get(), s, ec);
    return line;
}
LIFTOFF_API std::string child::read_some(liftoff::stream s, std::chrono::nanoseconds timeout,
                                         std::error_code& ec) noexcept {
    auto* c = detail::caller_stream_of(s_.get(), owned(), s, ec);
    return c ? c->read_some(detail::deadline_after(timeout), ec) : std::string();
}
LIFTOFF_API std::string child::read_some(liftoff::stream s, std::chrono::nanoseconds timeout) {
    std::error_code ec;
    std::string some = read_some(s, timeout, ec);
    if (ec) throw detail::caller_read_error(s_.get(), s, ec);
    return some;
}
LIFTOFF_API bool child::eof(liftoff::stream s, std::error_code& ec) noexcept {
    auto* c = detail::caller_stream_of(s_.get(), owned(), s, ec);
    return c ? c->eof(ec) : false;
}
LIFTOFF_API bool child::eof(liftoff::stream s) {
    std::error_code ec;
    const bool end = eof(s, ec);
    if (ec) throw detail::caller_read_error(s_.get(), s, ec);
    return end;
}

LIFTOFF_API std::optional<std::size_t> wait_any(const std::vector<child*>& children, std::chrono::nanoseconds timeout,
                                                std::error_code& ec) {
    ec.clear();
    std::vector<detail::child_state*> states;
    states.reserve(children.size());
    for (child* c : children) {
        if (c == nullptr || !c->valid() || detail::inherited_through_fork(detail::child_access::state(*c).proc, 0)) {
            ec = make_error_code(errc::invalid_argument);
            return std::nullopt;
        }
        states.push_back(&detail::child_access::state(*c));
    }
    if (states.empty()) {
        ec = make_error_code(errc::invalid_argument);
        return std::nullopt;
    }
    return detail::wait_any_of(states, detail::deadline_after(timeout));
}

LIFTOFF_API std::optional<std::size_t> wait_any(const std::vector<child*>& children, std::chrono::nanoseconds timeout) {
    std::error_code ec;
    auto i = wait_any(children, timeout, ec);
    if (ec)
        throw launch_error(ec, children.empty() ? "liftoff: wait_any() needs at least one child to wait for"
                                                : "liftoff: wait_any() was given a null pointer or a handle without a "
                                                  "child (default-constructed, moved from or released)");
    return i;
}

LIFTOFF_API void child::destroy() noexcept {
    if (!s_) return;
    if (!owned()) {  // a copy made by fork(): nothing here to stop, wait for or join
        detail::abandon_in_fork(s_->proc, 0);
        s_.reset();
        return;
    }
    s_->end_as_destroyed();
    s_.reset();
}
}  // namespace v0
}  // namespace liftoff
