// liftoff/platform/windows/inspect.hpp: the facts diagnose() and preflight() need from Windows:
// the OS and user, the session, wine, what a file or directory is. ACLs are not read: a file's
// "executable" is its extension, a directory's "writable by others" is not judged.
// SPDX-License-Identifier: MIT
#pragma once

#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../../detail/binary_format.hpp"
#include "../../detail/facts.hpp"
#include "../../detail/text.hpp"
#include "win32.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

struct windows_inspect {
    static constexpr bool native_desktop = true;  ///< an interactive Windows session has a desktop
    static constexpr const char* native_desktop_name = "windows";
    static constexpr bool locale_always_utf8 = true;  ///< liftoff speaks UTF-16 to the OS
    static constexpr bool runs_scripts = false;       ///< no #! on Windows

    using env_lookup = std::function<std::optional<std::string>(std::string_view)>;

    static system_facts probe_system(const std::string&, const env_lookup& env) {
        system_facts s;
        s.os = "Windows";
        using rtl_get_version = LONG(WINAPI*)(OSVERSIONINFOW*);
        HMODULE ntdll = ::GetModuleHandleW(L"ntdll.dll");
        if (ntdll != nullptr) {
            // RtlGetVersion tells the truth where GetVersionEx lies to unmanifested programs.
            auto get =
                reinterpret_cast<rtl_get_version>(reinterpret_cast<void*>(::GetProcAddress(ntdll, "RtlGetVersion")));
            OSVERSIONINFOW v{};
            v.dwOSVersionInfoSize = sizeof v;
            if (get != nullptr && get(&v) == 0)
                s.kernel = std::to_string(v.dwMajorVersion) + "." + std::to_string(v.dwMinorVersion) + "." +
                           std::to_string(v.dwBuildNumber);
            if (::GetProcAddress(ntdll, "wine_get_version") != nullptr) s.sandbox.emplace_back("wine");
        }
        SYSTEM_INFO si;
        ::GetNativeSystemInfo(&si);
        switch (si.wProcessorArchitecture) {
        case PROCESSOR_ARCHITECTURE_AMD64: s.arch = "x86_64"; break;
        case PROCESSOR_ARCHITECTURE_INTEL: s.arch = "x86"; break;
        case 12: s.arch = "arm64"; break;  // PROCESSOR_ARCHITECTURE_ARM64, missing from older headers
        default: s.arch = "unknown"; break;
        }
        if (const auto user = env("USERNAME")) s.user = *user;
        std::wstring cwd(MAX_PATH, L'\0');
        DWORD n = ::GetCurrentDirectoryW(static_cast<DWORD>(cwd.size()), &cwd[0]);
        if (n > cwd.size()) {
            cwd.resize(n);
            n = ::GetCurrentDirectoryW(static_cast<DWORD>(cwd.size()), &cwd[0]);
        }
        cwd.resize(n);
        s.cwd = from_wide(cwd);
        s.cwd_exists = n != 0 && ::GetFileAttributesW(cwd.c_str()) != INVALID_FILE_ATTRIBUTES;
        DWORD mode = 0;
        s.terminal = ::GetConsoleMode(::GetStdHandle(STD_INPUT_HANDLE), &mode) != 0;
        return s;
    }

    static dir_facts inspect_directory(const std::string& dir) {
        dir_facts d;
        std::wstring wide;
        if (!to_wide(dir, wide)) return d;
        const DWORD attrs = ::GetFileAttributesW(wide.c_str());
        if (attrs == INVALID_FILE_ATTRIBUTES) return d;
        d.exists = true;
        d.directory = (attrs & FILE_ATTRIBUTE_DIRECTORY) != 0;
        d.searchable = d.directory;
        return d;
    }

    static bool has_program_extension(const std::string& path) {
        const auto dot = path.find_last_of('.');
        if (dot == std::string::npos || path.find_first_of("\\/", dot) != std::string::npos) return false;
        const std::string_view ext = std::string_view(path).substr(dot);
        return iequals(ext, ".exe") || iequals(ext, ".com") || iequals(ext, ".bat") || iequals(ext, ".cmd");
    }

    static file_facts inspect_program_file(const std::string& path) {
        file_facts f;
        std::wstring wide;
        if (path.empty() || !to_wide(path, wide)) return f;
        const DWORD attrs = ::GetFileAttributesW(wide.c_str());
        if (attrs == INVALID_FILE_ATTRIBUTES) return f;
        f.exists = true;
        f.directory = (attrs & FILE_ATTRIBUTE_DIRECTORY) != 0;
        f.regular = !f.directory && (attrs & FILE_ATTRIBUTE_DEVICE) == 0;
        f.executable = f.regular && has_program_extension(path);
        f.mode = (attrs & FILE_ATTRIBUTE_READONLY) != 0 ? "read-only" : "read-write";
        if (f.regular) {
            unique_handle h(::CreateFileW(wide.c_str(), GENERIC_READ,
                                          FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                                          OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr));
            if (h) {
                f.readable = true;
                f.head.resize(4096);
                DWORD got = 0;
                if (!::ReadFile(h.get(), &f.head[0], static_cast<DWORD>(f.head.size()), &got, nullptr)) got = 0;
                f.head.resize(got);
            }
        }
        return f;
    }

    /// PE programs, and .bat/.cmd files (run through cmd.exe).
    static bool runs_format(const std::string& path, const binary_format& f) {
        if (f.what == binary_format::kind::pe) return true;
        const auto dot = path.find_last_of('.');
        const std::string_view ext = dot == std::string::npos ? std::string_view() : std::string_view(path).substr(dot);
        return iequals(ext, ".bat") || iequals(ext, ".cmd");
    }
    static std::string native_format_name() { return "a Windows (PE) program"; }

    /// ShellExecuteExW needs no program; nothing to look for in PATH.
    static std::vector<const char*> opener_programs() { return {}; }

    static std::size_t argument_limit() noexcept { return 32767; }  // characters of a command line
    static std::size_t single_argument_limit() noexcept { return 0; }

    // Issue 15: no X11, Wayland or D-Bus session to check; what a name that is not UTF-8 reads as.
    static constexpr bool unix_session = false;

    /// What `bytes` read as in the ANSI code pages such names are usually in (936 GBK, 932
    /// Shift_JIS, 1252), each where all of it decodes.
    static std::vector<std::pair<std::string, std::string>> legacy_readings(std::string_view bytes) {
        std::vector<std::pair<std::string, std::string>> out;
        if (bytes.empty() || bytes.size() > 32767) return out;
        const std::pair<UINT, const char*> pages[] = {{936, "GBK"}, {932, "Shift_JIS"}, {1252, "Windows-1252"}};
        const int size = static_cast<int>(bytes.size());
        for (const auto& p : pages) {
            const int n = ::MultiByteToWideChar(p.first, MB_ERR_INVALID_CHARS, bytes.data(), size, nullptr, 0);
            if (n <= 0) continue;
            std::wstring wide(static_cast<std::size_t>(n), L'\0');
            if (::MultiByteToWideChar(p.first, MB_ERR_INVALID_CHARS, bytes.data(), size, &wide[0], n) != n) continue;
            out.emplace_back(p.second, from_wide(wide));
        }
        return out;
    }
};

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
