// tests/faults.cpp: failures no OS limit provokes at a chosen step: an allocation that fails on
// demand, at every allocation a launch makes in turn. This file replaces the global operator new
// and delete of its test program, and only of it, for that.
// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <new>
#include <string>

#include "support.hpp"

namespace io = liftoff::io;
using liftoff::errc;
using test::helper_cmd;

namespace {

// On this thread only: the countdown-th allocation from now fails (0: none does).
thread_local long fail_countdown = 0;
thread_local bool fault_fired = false;

void* allocate(std::size_t n, std::size_t align = 0) {
    if (fail_countdown > 0 && --fail_countdown == 0) {
        fault_fired = true;
        throw std::bad_alloc();
    }
    void* p = nullptr;
    if (align <= alignof(std::max_align_t))
        p = std::malloc(n == 0 ? 1 : n);
    else if (::posix_memalign(&p, align, n == 0 ? 1 : n) != 0)
        p = nullptr;
    if (p == nullptr) throw std::bad_alloc();
    return p;
}
void* allocate_nothrow(std::size_t n, std::size_t align = 0) noexcept {
    try {
        return allocate(n, align);
    } catch (const std::bad_alloc&) {
        return nullptr;
    }
}

}  // namespace

// Every form, the aligned ones included, so that no allocation bypasses the countdown.
void* operator new(std::size_t n) {
    return allocate(n);
}
void* operator new[](std::size_t n) {
    return allocate(n);
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
    return allocate_nothrow(n);
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
    return allocate_nothrow(n);
}
void* operator new(std::size_t n, std::align_val_t a) {
    return allocate(n, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t n, std::align_val_t a) {
    return allocate(n, static_cast<std::size_t>(a));
}
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
    return allocate_nothrow(n, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
    return allocate_nothrow(n, static_cast<std::size_t>(a));
}
void operator delete(void* p) noexcept {
    std::free(p);
}
void operator delete[](void* p) noexcept {
    std::free(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
    std::free(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
    std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
    std::free(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
    std::free(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
    std::free(p);
}
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept {
    std::free(p);
}
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept {
    std::free(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
    std::free(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
    std::free(p);
}

TEST_CASE("an allocation failing at any step of a launch: after the spawn the child is killed and reaped") {
    // Captured stdout and lines on stderr: the drain's state, and the first time the event loop
    // and its thread, are made after the spawn, on this thread.
    const auto cmd = helper_cmd({"say", "x"}).stdout_to(io::capture()).stderr_to(io::lines([](std::string_view) {}));
    REQUIRE(test::children() == 0);
    int failed_launches = 0, thread_failures = 0;
    bool completed = false;
    for (long k = 1; k <= 2000 && !completed; ++k) {
        for (const bool throwing : {false, true}) {
            std::error_code ec;
            std::string message;
            bool bad_alloc = false;
            fault_fired = false;
            fail_countdown = k;
            try {
                if (throwing) {
                    auto c = liftoff::launch(cmd);
                    fail_countdown = 0;
                    c.wait();
                } else {
                    // The failure& form: its message too (the event loop's thread is started
                    // once, by whichever form gets there first).
                    liftoff::failure f;
                    auto c = liftoff::launch(cmd, f);
                    ec = f.code;
                    message = f.message;
                    fail_countdown = 0;
                    c.wait();
                }
            } catch (const std::bad_alloc&) {
                bad_alloc = true;
            } catch (const liftoff::launch_error& e) {
                ec = e.code();
                message = e.what();
            }
            fail_countdown = 0;
            const bool fired = fault_fired;
            CAPTURE(k);
            CAPTURE(throwing);
            CAPTURE(message);
            // Whatever failed, nothing this launch started is left: not running, not a zombie.
            CHECK(test::children() == 0);
            if (!fired) {
                CHECK_FALSE(ec);
                completed = true;  // k is past the launch's last allocation
                break;
            }
            if (!ec && !bad_alloc) continue;  // the failed allocation was in wait(), after the launch
            ++failed_launches;
            if (bad_alloc) continue;
            CHECK(ec == errc::resource_exhausted);
            // "liftoff: out of memory": the failure& form when its own words could not be allocated.
            if (!message.empty() && message != "liftoff: out of memory") {
                CHECK(test::contains(message, "liftoff: cannot launch '" + test::helper() + "'"));
                if (test::contains(message, "thread")) {
                    ++thread_failures;
                    CHECK(test::contains(message, "ulimit -v"));
                }
            }
        }
    }
    MESSAGE(failed_launches << " launches failed, " << thread_failures << " at the event loop's thread");
    CHECK(completed);
    CHECK(failed_launches > 0);
    CHECK(thread_failures > 0);  // the event loop thread's own allocation was among those that failed
    CHECK(test::zombies() == 0);
}
