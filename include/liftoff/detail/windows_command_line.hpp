// liftoff/detail/windows_command_line.hpp: Windows command lines, pure and portable: arguments
// quoted so that CommandLineToArgvW and the MSVC runtime give back exactly the strings passed,
// and .bat/.cmd scripts run through cmd.exe with escaping cmd cannot misread, or refused.
// Built in UTF-8 (every character that matters here is ASCII); the platform converts to UTF-16.
// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>  // std::size_t
#include <string>
#include <string_view>
#include <vector>

#include "text.hpp"
#include "utf.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

/// A command line, or why there cannot be one (then `text` is meaningless).
struct windows_command_line {
    std::string text;       ///< UTF-8; the platform converts it to UTF-16
    std::string refusal;    ///< non-empty: what cannot be passed, for the message
    bool too_long = false;  ///< refused for its length (arguments-too-long), not for a character
    explicit operator bool() const noexcept { return refusal.empty(); }
};

/// CreateProcessW takes at most 32,767 UTF-16 units, the terminating NUL included.
constexpr std::size_t windows_command_line_limit = 32766;
/// cmd.exe takes at most 8,191 characters on its command line.
constexpr std::size_t cmd_command_line_limit = 8191;

/// Length of UTF-8 text in UTF-16 code units (each invalid byte counts as one).
inline std::size_t utf16_length(std::string_view s) noexcept {
    std::size_t units = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto b = static_cast<unsigned char>(s[i]);
        if ((b & 0xc0u) == 0x80u) continue;  // a continuation byte adds nothing
        units += b >= 0xf0 ? 2 : 1;          // four-byte sequences are surrogate pairs
    }
    return units;
}

/// Appends one argument (not the first word) by the rules of CommandLineToArgvW and the MSVC
/// runtime: quoted when empty or holding a space or tab (or a line break, for readers that split
/// there); inside, n backslashes before a quote become 2n+1 and a quote becomes \", and n
/// backslashes at the end of a quoted argument become 2n. Backslashes elsewhere are literal.
inline void append_windows_argument(std::string& out, std::string_view arg) {
    const bool quote = arg.empty() || arg.find_first_of(" \t\n\v") != std::string_view::npos;
    if (quote) out += '"';
    std::size_t backslashes = 0;
    for (const char c : arg) {
        if (c == '\\') {
            ++backslashes;
            continue;
        }
        if (c == '"') backslashes = backslashes * 2 + 1;  // escape them all and the quote
        out.append(backslashes, '\\');
        backslashes = 0;
        out += c;
    }
    if (quote) backslashes *= 2;  // they precede the closing quote
    out.append(backslashes, '\\');
    if (quote) out += '"';
}

/// The first word: CommandLineToArgvW reads it differently (up to the next quote, with no
/// escapes), so it is always quoted, and a program name holding '"' cannot be passed (no Windows
/// file name holds one).
inline bool append_windows_program(std::string& out, std::string_view program) {
    if (program.find('"') != std::string_view::npos) return false;
    out += '"';
    out.append(program.data(), program.size());
    out += '"';
    return true;
}

/// `program` (as the child's argv[0]) followed by `args`, for CreateProcessW.
inline windows_command_line make_windows_command_line(std::string_view program, const std::vector<std::string>& args) {
    windows_command_line line;
    if (!append_windows_program(line.text, program)) {
        line.refusal = "the program name contains '\"', which no Windows file name can";
        return line;
    }
    for (const auto& a : args) {
        line.text += ' ';
        append_windows_argument(line.text, a);
    }
    if (utf16_length(line.text) > windows_command_line_limit) {
        line.refusal = "its command line is longer than the 32,767 characters Windows allows";
        line.too_long = true;
    }
    return line;
}

/// True when Windows runs `path` as a batch script: it ends in .bat or .cmd in any case, after
/// the trailing dots and spaces that Windows drops from a file name (CVE-2024-43402).
inline bool is_batch_file(std::string_view path) noexcept {
    while (!path.empty() && (path.back() == '.' || path.back() == ' '))
        path.remove_suffix(1);
    if (path.size() < 4) return false;
    const std::string_view ext = path.substr(path.size() - 4);
    return iequals(ext, ".bat") || iequals(ext, ".cmd");
}

/// Characters cmd.exe gives no meaning to, so an argument made only of these (and ASCII letters
/// and digits) needs no quotes. Anything else is quoted, where cmd's operators are inert.
inline bool cmd_inert(char c) noexcept {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return std::string_view("#$*+-./:?@\\_").find(c) != std::string_view::npos;
}

/// Appends `text` for cmd.exe's first parse, where %NAME% expands even inside quotes: each '%'
/// is followed by "%cd:~,%", an empty substring of a variable that always exists (command
/// extensions are on), so no variable name can form across it and cmd leaves the '%' as it is.
inline void append_cmd_percent_safe(std::string& out, char c) {
    out += c;
    if (c == '%') out += "%cd:~,%";
}

/// Appends one argument for a batch script, or returns what makes it impossible. Quoted unless
/// made only of inert characters (an empty one, or one ending in '\', always); inside quotes a
/// '"' is doubled (cmd stays inside the quotes) with the backslashes before it doubled, and
/// trailing backslashes are doubled, so a script passing %* on to a program hands it the same
/// arguments. Line breaks and other control characters are refused: cmd ends or mangles a
/// command there and nothing can escape them.
inline std::string append_batch_argument(std::string& out, std::string_view arg) {
    bool quote = arg.empty() || arg.back() == '\\';
    for (const char c : arg) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 && c != '\t')
            return c == '\n' || c == '\r' ? "a line break, which ends a command in cmd.exe"
                                          : "a control character, which cmd.exe cannot be trusted to pass on";
        if (u == 0x7f) return "a control character, which cmd.exe cannot be trusted to pass on";
        if (!cmd_inert(c)) quote = true;
    }
    if (quote) out += '"';
    std::size_t backslashes = 0;
    for (const char c : arg) {
        if (c == '\\') {
            ++backslashes;
            continue;
        }
        if (c == '"') {
            out.append(backslashes * 2, '\\');
            out += "\"\"";
        } else {
            out.append(backslashes, '\\');
            append_cmd_percent_safe(out, c);
        }
        backslashes = 0;
    }
    out.append(quote ? backslashes * 2 : backslashes, '\\');
    if (quote) out += '"';
    return {};
}

/// The command line for running the batch script `script` (a full path) through cmd.exe:
///   cmd.exe /d /e:on /v:off /s /c ""<script>" <args>"
/// /d skips AutoRun commands, /v:off keeps '!' literal, /e:on keeps %~1 and %~dp0 working in the
/// script and makes the '%' escape possible, /s strips exactly the outer quotes. Refused when
/// an argument cannot be made safe, naming it.
inline windows_command_line make_batch_command_line(std::string_view cmd_exe, std::string_view script,
                                                    const std::vector<std::string>& args) {
    windows_command_line line;
    if (script.find('"') != std::string_view::npos || script.empty() || script.back() == '\\') {
        line.refusal = "the script path '" + printable(script) + "' cannot be quoted for cmd.exe";
        return line;
    }
    if (!append_windows_program(line.text, cmd_exe)) {
        line.refusal = "the path of cmd.exe contains '\"'";
        return line;
    }
    line.text += " /d /e:on /v:off /s /c \"\"";
    for (const char c : script)
        append_cmd_percent_safe(line.text, c);
    line.text += '"';
    for (std::size_t i = 0; i < args.size(); ++i) {
        line.text += ' ';
        const std::string why = append_batch_argument(line.text, args[i]);
        if (!why.empty()) {
            line.refusal = "argument " + std::to_string(i + 1) + " ('" + printable(args[i]) + "') contains " + why;
            return line;
        }
    }
    line.text += '"';
    if (utf16_length(line.text) > cmd_command_line_limit) {
        line.refusal = "its command line is longer than the 8,191 characters cmd.exe allows";
        line.too_long = true;
    }
    return line;
}

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
