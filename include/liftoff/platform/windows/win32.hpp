// liftoff/platform/windows/win32.hpp: <windows.h> without leaking min, max or ERROR into user
// code, owned handles, and UTF-8 <-> UTF-16 at the OS boundary.
// SPDX-License-Identifier: MIT
#pragma once

// <windows.h> is included once with NOMINMAX and WIN32_LEAN_AND_MEAN (so min and max are never
// defined, and neither are the rarely wanted headers such as rpc.h); ERROR, which wingdi.h
// defines, is put back to what it was before. A user's own #include <windows.h> after liftoff
// finds its include guard set: they get no min/max macros, and include <shellapi.h> or <ole2.h>
// themselves if they want them. Macros the user set before liftoff are left as they were.
#pragma push_macro("min")
#pragma push_macro("max")
#pragma push_macro("ERROR")
#if !defined(NOMINMAX)
#define NOMINMAX
#define LIFTOFF_UNDEF_NOMINMAX
#endif  // !NOMINMAX
#if !defined(WIN32_LEAN_AND_MEAN)
#define WIN32_LEAN_AND_MEAN
#define LIFTOFF_UNDEF_LEAN_AND_MEAN
#endif  // !WIN32_LEAN_AND_MEAN
#include <windows.h>
#if defined(LIFTOFF_UNDEF_NOMINMAX)
#undef NOMINMAX
#undef LIFTOFF_UNDEF_NOMINMAX
#endif  // LIFTOFF_UNDEF_NOMINMAX
#if defined(LIFTOFF_UNDEF_LEAN_AND_MEAN)
#undef WIN32_LEAN_AND_MEAN
#undef LIFTOFF_UNDEF_LEAN_AND_MEAN
#endif  // LIFTOFF_UNDEF_LEAN_AND_MEAN
#pragma pop_macro("ERROR")
#pragma pop_macro("max")
#pragma pop_macro("min")

#if defined(_MSC_VER)
#pragma comment(lib, "user32.lib")  // EnumWindows, PostMessageW: WM_CLOSE for terminate()
#endif                              // _MSC_VER

#include <string>
#include <string_view>
#include <system_error>

#include "../../detail/utf.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

/// A kernel handle closed when it goes out of scope (NULL and INVALID_HANDLE_VALUE are empty).
class unique_handle {
public:
    unique_handle() noexcept = default;
    explicit unique_handle(HANDLE h) noexcept : h_(h == INVALID_HANDLE_VALUE ? nullptr : h) {}
    unique_handle(unique_handle&& o) noexcept : h_(o.release()) {}
    unique_handle& operator=(unique_handle&& o) noexcept {
        if (this != &o) reset(o.release());
        return *this;
    }
    unique_handle(const unique_handle&) = delete;
    unique_handle& operator=(const unique_handle&) = delete;
    ~unique_handle() { reset(); }

    HANDLE get() const noexcept { return h_; }
    explicit operator bool() const noexcept { return h_ != nullptr; }
    HANDLE release() noexcept {
        HANDLE h = h_;
        h_ = nullptr;
        return h;
    }
    void reset(HANDLE h = nullptr) noexcept {
        if (h_ != nullptr) ::CloseHandle(h_);
        h_ = h == INVALID_HANDLE_VALUE ? nullptr : h;
    }

private:
    HANDLE h_ = nullptr;
};

/// GetLastError() as a std::error_code of the system category.
inline std::error_code last_error() noexcept {
    return {static_cast<int>(::GetLastError()), std::system_category()};
}

/// UTF-8 to UTF-16 for the OS; false when `in` is not UTF-8 (validate() has refused such input
/// before any of it reaches here, so false means an internal slip, reported as invalid input).
inline bool to_wide(std::string_view in, std::wstring& out, surrogates mode = surrogates::strict) {
    return utf8_to_utf16(in, out, mode);
}
inline std::wstring to_wide_or_empty(std::string_view in) {
    std::wstring out;
    if (!to_wide(in, out)) out.clear();
    return out;
}
/// UTF-16 from the OS to UTF-8 (lone surrogates kept as WTF-8).
inline std::string from_wide(std::wstring_view in) {
    return utf16_to_utf8(in);
}

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
