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

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
