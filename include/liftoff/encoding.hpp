// liftoff/encoding.hpp: from_system_encoding(): text that arrived in the system's legacy code
// page (Windows' ANSI code page: Windows-1252, GBK, Shift-JIS ...) converted to the UTF-8 every
// liftoff string takes, explicitly and never guessed. On POSIX strings are bytes: unchanged.
// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <system_error>

#include "error.hpp"

namespace liftoff {
inline namespace v0 {

/// Converts `text` from the system's legacy encoding to UTF-8. Windows: from the active ANSI
/// code page (GetACP: Windows-1252, GBK, Shift-JIS ...; UTF-8 where the system or the program's
/// manifest makes that the code page), for text from narrow APIs, `argv` of `main`, or files
/// written by such programs. POSIX: returned unchanged (strings are bytes there).
/// Throws launch_error with errc::encoding_error when `text` is not valid in that code page
/// (its what() shows the text and names the code page); nothing is ever replaced or guessed.
std::string from_system_encoding(const std::string& text);
/// As from_system_encoding(text); failure sets `ec` to errc::encoding_error and returns "".
std::string from_system_encoding(const std::string& text, std::error_code& ec) noexcept;
/// As from_system_encoding(text); failure fills `f` (code, message ...) and returns "".
std::string from_system_encoding(const std::string& text, failure& f) noexcept;

}  // namespace v0
}  // namespace liftoff
