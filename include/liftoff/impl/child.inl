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

#include "../child.hpp"
#include "../detail/child_state.hpp"
#include "../detail/config.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {
LIFTOFF_API void child_state_deleter::operator()(child_state* s) const noexcept {
    delete s;
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
LIFTOFF_API bool child::out_cut() const {
    return owned() && s_->flag(detail::output::out, detail::output_flag::cut);
}
LIFTOFF_API bool child::err_cut() const {
    return owned() && s_->flag(detail::output::err, detail::output_flag::cut);
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
