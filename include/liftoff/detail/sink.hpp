// liftoff/detail/sink.hpp: what a drain does with the bytes of one output stream (capture with a
// limit, or split into lines), the same on every OS.
// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>     // std::size_t
#include <exception>   // std::exception_ptr
#include <functional>  // line callbacks
#include <mutex>       // capture is read by other threads while the drain appends
#include <string>
#include <string_view>

namespace liftoff {
inline namespace v0 {
namespace detail {

/// A child's output streams, by the descriptor number each has in the child.
enum class output { out = 1, err = 2 };
/// What a captured stream can have lost: its tail past the limit, or its end to a grandchild.
enum class output_flag { truncated, cut };

/// Marks the thread an object runs on: a drain claims the thread that runs its io::lines
/// callback, so that a callback that stops or waits for its own child is known, and not waited for.
/// Claims nest: a callback that runs another child on its own thread (run(), whose streams are
/// served there) leaves its own claim in place underneath, restored when the inner one ends.
/// A mark is claimed by one thread at a time (one child's callbacks never overlap), so the
/// link to the claim underneath can live in the mark.
class thread_mark {
public:
    void claim() const noexcept {
        below_ = current();
        current() = this;
    }
    void release() const noexcept {
        if (current() == this) current() = below_;
    }
    bool here() const noexcept {
        for (const thread_mark* m = current(); m != nullptr; m = m->below_)
            if (m == this) return true;
        return false;
    }

private:
    mutable const thread_mark* below_ = nullptr;  // written and read by the claiming thread only
    static const thread_mark*& current() noexcept {
        static thread_local const thread_mark* owner = nullptr;
        return owner;
    }
};

class output_sink {
public:
    enum class mode : unsigned char { discard, capture, lines };

    void capture(std::size_t limit) {
        mode_ = mode::capture;
        limit_ = limit;
    }
    /// io::lines hands a line longer than this over in pieces of this size.
    static constexpr std::size_t max_line_piece = std::size_t{16} << 20;

    void lines(std::function<void(std::string_view)> callback) {
        mode_ = mode::lines;
        on_line_ = std::move(callback);
    }
    mode kind() const noexcept { return mode_; }
    /// The io::lines callback, taken out (no more lines are handed over), for its owner to
    /// destroy where it chooses: what it captures may be another child.
    std::function<void(std::string_view)> take_callback() noexcept {
        std::function<void(std::string_view)> f = std::move(on_line_);
        on_line_ = nullptr;
        return f;
    }

    /// Called by the drain thread with bytes as they arrive. `lock` guards the captured text.
    void feed(const char* data, std::size_t n, std::mutex& lock) {
        if (mode_ == mode::capture) {
            std::lock_guard<std::mutex> guard(lock);
            const std::size_t room = data_.size() < limit_ ? limit_ - data_.size() : 0;
            if (n > room) truncated_ = true;
            data_.append(data, n < room ? n : room);
        } else if (mode_ == mode::lines) {
            feed_lines(std::string_view(data, n));
            // The last bytes, for the post-mortem of a child that dies at once (post_mortem.hpp).
            std::lock_guard<std::mutex> guard(lock);
            recent_.append(n > recent_limit ? data + (n - recent_limit) : data, n < recent_limit ? n : recent_limit);
            if (recent_.size() > 2 * recent_limit) recent_.erase(0, recent_.size() - recent_limit);
        }
    }

    /// End of stream (or draining stopped): hand over an unterminated last line.
    void finish(bool cut, std::mutex& lock) {
        if (mode_ == mode::lines && !partial_.empty()) {
            std::string last;
            last.swap(partial_);
            deliver(last);
        }
        std::lock_guard<std::mutex> guard(lock);
        cut_ = cut;
    }

    // Accessors; the caller holds the lock while the drain may still run.
    const std::string& data() const noexcept { return data_; }
    std::string& data() noexcept { return data_; }
    /// The last `n` bytes (at most recent_limit for io::lines) of what arrived; "" if discarded.
    std::string tail(std::size_t n) const {
        const std::string& from = mode_ == mode::capture ? data_ : recent_;
        return from.size() > n ? from.substr(from.size() - n) : from;
    }
    static constexpr std::size_t recent_limit = 4096;
    bool truncated() const noexcept { return truncated_; }
    bool cut() const noexcept { return cut_; }
    std::exception_ptr callback_error() const noexcept { return error_; }

private:
    void feed_lines(std::string_view chunk) {
        for (;;) {
            const std::size_t nl = chunk.find('\n');
            if (nl == std::string_view::npos) {
                partial_.append(chunk.data(), chunk.size());
                // A child that never writes a newline must not grow this without bound.
                while (partial_.size() >= max_line_piece) {
                    deliver(std::string_view(partial_).substr(0, max_line_piece));
                    partial_.erase(0, max_line_piece);
                }
                return;
            }
            if (partial_.empty()) {
                deliver(without_cr(chunk.substr(0, nl)));
            } else {
                partial_.append(chunk.data(), nl);
                std::string line;
                line.swap(partial_);
                deliver(without_cr(line));
            }
            chunk.remove_prefix(nl + 1);
        }
    }

    // "\r\n" ends a line too: programs on Windows (and some on POSIX) write it.
    static std::string_view without_cr(std::string_view line) noexcept {
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        return line;
    }

    void deliver(std::string_view line) {
        if (error_ || !on_line_) return;  // after a throw, the rest is read and dropped
        try {
            on_line_(line);
        } catch (...) {
            error_ = std::current_exception();
        }
    }

    mode mode_ = mode::discard;
    std::size_t limit_ = 0;
    std::string data_;
    bool truncated_ = false;
    bool cut_ = false;
    std::function<void(std::string_view)> on_line_;
    std::string partial_;
    std::string recent_;  // io::lines: the last bytes, see tail()
    std::exception_ptr error_;
};

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
