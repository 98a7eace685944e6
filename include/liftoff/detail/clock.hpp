// liftoff/detail/clock.hpp: deadlines that saturate, so "wait forever" durations
// (std::chrono::nanoseconds::max()) mean forever rather than overflowing into the past.
// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>

namespace liftoff {
inline namespace v0 {
namespace detail {

/// `from` + `d`, or the last time_point the clock has when that would not fit.
template <class Rep, class Period>
std::chrono::steady_clock::time_point deadline_after(std::chrono::steady_clock::time_point from,
                                                     std::chrono::duration<Rep, Period> d) noexcept {
    using clock = std::chrono::steady_clock;
    if (d <= d.zero()) return from;
    // Compared in d's own unit: converting d to the clock's could overflow first.
    const auto room = std::chrono::duration_cast<std::chrono::duration<Rep, Period>>((clock::time_point::max)() - from);
    if (room <= d) return (clock::time_point::max)();
    return from + std::chrono::duration_cast<clock::duration>(d);
}

/// The same from now.
template <class Rep, class Period>
std::chrono::steady_clock::time_point deadline_after(std::chrono::duration<Rep, Period> d) noexcept {
    return deadline_after(std::chrono::steady_clock::now(), d);
}

/// Milliseconds for poll() and epoll_wait() until `deadline` (nullptr: -1, no limit), rounded up
/// and at least 1, so a wait that wakes just before its deadline never spins.
inline int poll_timeout_ms(const std::chrono::steady_clock::time_point* deadline) noexcept {
    if (deadline == nullptr) return -1;
    const auto left =
        std::chrono::ceil<std::chrono::milliseconds>(*deadline - std::chrono::steady_clock::now()).count();
    return static_cast<int>(left > 0x7fffffff ? 0x7fffffff : (left < 1 ? 1 : left));
}

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
