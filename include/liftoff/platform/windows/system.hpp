// liftoff/platform/windows/system.hpp: what the portable layers ask of Windows: the environment
// (case-insensitive names), file probes, drive and UNC paths, PATHEXT candidates, UTF-8 checks.
// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../../detail/launch_spec.hpp"  // file_probe
#include "../../detail/utf.hpp"
#include "../../detail/windows_env.hpp"
#include "win32.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

struct windows_system {
    static constexpr char path_list_separator = ';';
    /// file_probe::executable is every regular file: whether it is a program is its extension.
    static constexpr bool probe_marks_programs = false;

    static bool is_separator(char c) noexcept { return c == '\\' || c == '/'; }

    /// "C:\x", "C:/x", "\\server\share", "\\?\C:\x". Not "\x" (relative to the current drive)
    /// nor "C:x" (relative to drive C's current directory).
    static bool is_absolute(std::string_view p) noexcept {
        if (p.size() >= 3 && ((p[0] >= 'A' && p[0] <= 'Z') || (p[0] >= 'a' && p[0] <= 'z')) && p[1] == ':' &&
            is_separator(p[2]))
            return true;
        return p.size() >= 2 && is_separator(p[0]) && is_separator(p[1]);
    }
    static bool has_directory_part(std::string_view name) noexcept {
        return name.find_first_of("\\/:") != std::string_view::npos;
    }

    /// A relative path made absolute against the current directory (GetFullPathNameW, which also
    /// resolves "." and ".." and drops trailing dots and spaces, as Windows itself would).
    static std::string make_absolute(std::string p) {
        std::wstring wide;
        if (!to_wide(p, wide) || wide.empty()) return p;
        std::wstring full(MAX_PATH, L'\0');
        for (;;) {
            const DWORD n = ::GetFullPathNameW(wide.c_str(), static_cast<DWORD>(full.size()), &full[0], nullptr);
            if (n == 0) return p;
            if (n < full.size()) {
                full.resize(n);
                return from_wide(full);
            }
            full.resize(n);
        }
    }

    static std::vector<std::string> path_candidates(const std::string& dir, std::string_view name,
                                                    const std::optional<std::string>& pathext) {
        return pathext_candidates(dir, name, pathext ? std::string_view(*pathext) : std::string_view());
    }

    static file_probe probe_file(const std::string& path) noexcept {
        file_probe p;
        std::wstring wide;
        try {
            if (!to_wide(path, wide)) return p;
        } catch (...) {
            return p;
        }
        WIN32_FILE_ATTRIBUTE_DATA data;
        if (!::GetFileAttributesExW(wide.c_str(), GetFileExInfoStandard, &data)) return p;
        p.exists = true;
        p.directory = (data.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0;
        p.regular = !p.directory && (data.dwFileAttributes & FILE_ATTRIBUTE_DEVICE) == 0;
        p.executable = p.regular;
        return p;
    }

    static std::filesystem::path to_path(const std::string& p) {
        std::wstring wide;
        to_wide(p, wide, surrogates::wtf8);
        return std::filesystem::path(wide);
    }

    /// GetEnvironmentVariableW, in UTF-8.
    static std::optional<std::string> get_env(const char* name) {
        std::wstring wname;
        if (!to_wide(name, wname)) return std::nullopt;
        std::wstring value(256, L'\0');
        for (;;) {
            ::SetLastError(ERROR_SUCCESS);
            const DWORD n = ::GetEnvironmentVariableW(wname.c_str(), &value[0], static_cast<DWORD>(value.size()));
            if (n == 0) {
                if (::GetLastError() == ERROR_ENVVAR_NOT_FOUND) return std::nullopt;
                return std::string();
            }
            if (n < value.size()) {
                value.resize(n);
                return from_wide(value);
            }
            value.resize(n);
        }
    }

    /// GetEnvironmentStringsW as "NAME=value" entries in UTF-8 (the hidden "=C:=C:\dir" ones too).
    static std::vector<std::string> current_environment() {
        std::vector<std::string> out;
        wchar_t* block = ::GetEnvironmentStringsW();
        if (block == nullptr) return out;
        try {
            for (const wchar_t* p = block; *p != L'\0';) {
                const std::wstring_view entry(p);
                out.push_back(from_wide(entry));
                p += entry.size() + 1;
            }
        } catch (...) {
            ::FreeEnvironmentStringsW(block);
            throw;
        }
        ::FreeEnvironmentStringsW(block);
        return out;
    }

    /// Names compare as Windows compares them: ordinal, ignoring case (all of Unicode's).
    static bool env_names_equal(std::string_view a, std::string_view b) {
        if (a.size() == b.size() && a == b) return true;
        std::wstring wa, wb;
        if (!to_wide(a, wa, surrogates::wtf8) || !to_wide(b, wb, surrogates::wtf8)) return false;
        return ::CompareStringOrdinal(wa.c_str(), static_cast<int>(wa.size()), wb.c_str(), static_cast<int>(wb.size()),
                                      TRUE) == CSTR_EQUAL;
    }

    /// Searched when the child's environment has no PATH: the system and Windows directories.
    static std::string default_path() {
        wchar_t buf[MAX_PATH];
        std::string out;
        UINT n = ::GetSystemDirectoryW(buf, MAX_PATH);
        if (n > 0 && n < MAX_PATH) out = from_wide(std::wstring_view(buf, n));
        n = ::GetWindowsDirectoryW(buf, MAX_PATH);
        if (n > 0 && n < MAX_PATH) out += (out.empty() ? "" : ";") + from_wide(std::wstring_view(buf, n));
        return out;
    }

    /// Windows takes UTF-16: text must be well-formed UTF-8 to get there intact.
    static bool valid_text(std::string_view s) noexcept { return valid_utf8(s); }

    /// from_system_encoding(): text in the active ANSI code page (GetACP) as UTF-8, or nullopt when
    /// it is not valid text in that code page.
    static std::optional<std::string> decode_system_text(std::string_view text) {
        return decode_code_page(text, CP_ACP);
    }
    static std::string system_encoding_name() { return "the ANSI code page (" + std::to_string(::GetACP()) + ")"; }

    /// Text in code page `cp` as UTF-8 (MultiByteToWideChar with MB_ERR_INVALID_CHARS, so a
    /// byte sequence the code page does not define is refused, never replaced).
    static std::optional<std::string> decode_code_page(std::string_view text, UINT cp) {
        if (text.empty()) return std::string();
        if (text.size() > 0x7fffffff) return std::nullopt;
        const int in = static_cast<int>(text.size());
        DWORD flags = MB_ERR_INVALID_CHARS;
        int n = ::MultiByteToWideChar(cp, flags, text.data(), in, nullptr, 0);
        if (n == 0 && ::GetLastError() == ERROR_INVALID_FLAGS) {  // code pages that take no flags (50220 ...)
            flags = 0;
            n = ::MultiByteToWideChar(cp, flags, text.data(), in, nullptr, 0);
        }
        if (n <= 0) return std::nullopt;
        std::wstring wide(static_cast<std::size_t>(n), L'\0');
        if (::MultiByteToWideChar(cp, flags, text.data(), in, &wide[0], n) != n) return std::nullopt;
        return from_wide(wide);
    }

    /// The full path of cmd.exe in the system directory (never %ComSpec%, which anyone can set).
    static std::string cmd_exe() {
        wchar_t buf[MAX_PATH];
        const UINT n = ::GetSystemDirectoryW(buf, MAX_PATH);
        if (n == 0 || n >= MAX_PATH) return "C:\\Windows\\System32\\cmd.exe";
        return from_wide(std::wstring_view(buf, n)) + "\\cmd.exe";
    }

    // command::pass_fd() and limit() are refused as unsupported on Windows before validation
    // asks these; they exist so that the portable checks compile.
    static bool descriptor_open(int) noexcept { return true; }
    static std::string limit_name(int resource) { return "resource " + std::to_string(resource); }
};

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
