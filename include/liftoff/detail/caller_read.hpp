// liftoff/detail/caller_read.hpp: a child's io::pipe() output read on the caller's own thread
// (child::read_line, read_some, eof): lines cut from a bounded buffer, the same on every OS. The
// platform's pipe (posix/caller_pipe.hpp, windows/caller_pipe.hpp) only reads with a deadline.
// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <string>
#include <system_error>
#include <utility>

namespace liftoff {
inline namespace v0 {
namespace detail {

/// What one read of a caller's pipe gave.
enum class pipe_read { data, timeout, end, failed };

/// One output stream the caller reads. `Pipe` reads: `pipe_read read(char*, std::size_t,
/// time_point deadline, std::size_t& got, std::error_code&)`, never waiting past the deadline
/// and never spinning; `take()` hands the descriptor or handle over (release()).
///
/// Calls on one stream are serialised: a second reader waits for the first, but never past
/// its own deadline (it then times out, having read nothing). A flag under a mutex and a
/// condition variable rather than std::timed_mutex, whose timed lock ThreadSanitizer cannot see.
template <class Pipe>
class caller_stream {
public:
    using clock = std::chrono::steady_clock;

    /// read_line() returns a longer line in pieces of this size; the buffer never holds more.
    static constexpr std::size_t max_line = std::size_t{64} << 10;

    /// The spawn gives the parent's end of an io::pipe() output here.
    void open(Pipe p) {
        pipe_ = std::move(p);
        given_ = true;
    }
    /// stdout_to()/stderr_to() was io::pipe() (even after the end was read).
    bool given() const noexcept { return given_; }
    /// release(): the pipe, for whoever reads and drops what still comes; unread bytes go.
    Pipe take() {
        turn t(*this, (clock::time_point::max)());
        head_ = tail_ = 0;
        end_ = true;
        return std::move(pipe_);
    }

    /// One line without its "\n" (or "\r\n"); a line longer than max_line comes in pieces of
    /// max_line; an unterminated last line at the end. nullopt at the deadline, at the end, or
    /// with `ec` set.
    std::optional<std::string> read_line(clock::time_point deadline, std::error_code& ec) noexcept {
        ec.clear();
        turn t(*this, deadline);
        if (!t) return std::nullopt;
        try {
            for (;;) {
                const std::size_t have = tail_ - head_;
                const void* nl = have > 0 ? std::memchr(buf_.get() + head_, '\n', have) : nullptr;
                if (nl != nullptr) {
                    const std::size_t len =
                        static_cast<std::size_t>(static_cast<const char*>(nl) - (buf_.get() + head_));
                    const bool cr = len > 0 && buf_[head_ + len - 1] == '\r';  // as io::lines: "\r\n" ends a line too
                    std::string line(buf_.get() + head_, cr ? len - 1 : len);
                    consume(len + 1);
                    return line;
                }
                if (have >= max_line || (end_ && have > 0)) {  // a piece of a long line, or the last line
                    std::string piece(buf_.get() + head_, have);
                    consume(have);
                    return piece;
                }
                if (end_) return std::nullopt;
                const pipe_read r = fill(deadline, ec);
                if (r == pipe_read::timeout || r == pipe_read::failed) return std::nullopt;
            }
        } catch (const std::bad_alloc&) {
            ec = std::make_error_code(std::errc::not_enough_memory);
            return std::nullopt;
        }
    }

    /// What has arrived (at most max_line bytes), waiting until `deadline` for the first byte;
    /// "" at the deadline, at the end, or with `ec` set.
    std::string read_some(clock::time_point deadline, std::error_code& ec) noexcept {
        ec.clear();
        turn t(*this, deadline);
        if (!t) return std::string();
        try {
            if (tail_ == head_ && !end_) fill(deadline, ec);
            std::string some(buf_.get() + head_, tail_ - head_);
            consume(tail_ - head_);
            return some;
        } catch (const std::bad_alloc&) {
            ec = std::make_error_code(std::errc::not_enough_memory);
            return std::string();
        }
    }

    /// The child closed its end and everything has been read. Looks without waiting: what has
    /// arrived stays for the next read. A read that fails counts as the end.
    bool eof(std::error_code& ec) noexcept {
        ec.clear();
        turn t(*this, (clock::time_point::max)());
        if (tail_ > head_) return false;
        if (end_) return true;
        try {
            const pipe_read r = fill(clock::now(), ec);
            return r == pipe_read::end || r == pipe_read::failed;
        } catch (const std::bad_alloc&) {
            ec = std::make_error_code(std::errc::not_enough_memory);
            return false;
        }
    }

private:
    /// One caller's turn at the stream, waited for until `deadline` (false: not had).
    class turn {
    public:
        turn(caller_stream& s, clock::time_point deadline) : s_(s) {
            std::unique_lock<std::mutex> lock(s_.mutex_);
            const auto free = [&] { return !s_.busy_; };
            if (deadline == (clock::time_point::max)())
                s_.free_.wait(lock, free);
            else if (!s_.free_.wait_until(lock, deadline, free))
                return;
            s_.busy_ = had_ = true;
        }
        turn(const turn&) = delete;
        turn& operator=(const turn&) = delete;
        ~turn() {
            if (!had_) return;
            {
                std::lock_guard<std::mutex> lock(s_.mutex_);
                s_.busy_ = false;
            }
            s_.free_.notify_one();
        }
        explicit operator bool() const noexcept { return had_; }

    private:
        caller_stream& s_;
        bool had_ = false;
    };

    /// One read into the buffer's free room (the buffer holds less than max_line here). A
    /// failed read ends the stream too: nothing more will come through it.
    pipe_read fill(clock::time_point deadline, std::error_code& ec) {
        if (!pipe_) {
            end_ = true;
            return pipe_read::end;
        }
        if (!buf_) buf_.reset(new char[max_line]);  // on the first read: a stream never read costs nothing
        if (head_ > 0) {  // the unfinished line to the front: one move per read, not one per line
            std::memmove(buf_.get(), buf_.get() + head_, tail_ - head_);
            tail_ -= head_;
            head_ = 0;
        }
        std::size_t got = 0;
        const pipe_read r = pipe_.read(buf_.get() + tail_, max_line - tail_, deadline, got, ec);
        if (r == pipe_read::data) tail_ += got;
        if (r == pipe_read::end || r == pipe_read::failed) end_ = true;
        return r;
    }

    void consume(std::size_t n) noexcept {
        head_ += n;
        if (head_ == tail_) head_ = tail_ = 0;
    }

    std::mutex mutex_;  // busy_
    std::condition_variable free_;
    bool busy_ = false;  // a caller has its turn: the members below are its alone
    Pipe pipe_;
    bool given_ = false;
    std::unique_ptr<char[]> buf_;  // max_line bytes; [head_, tail_) read and not yet handed out
    std::size_t head_ = 0;
    std::size_t tail_ = 0;
    bool end_ = false;  // the pipe said end of file (or failed): nothing more comes
};

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
