// liftoff/platform/windows/inspect.hpp: the facts diagnose() and preflight() need from Windows:
// the OS and user, the session, wine, what a file or directory is. ACLs are not read: a file's
// "executable" is its extension, a directory's "writable by others" is not judged.
// SPDX-License-Identifier: MIT
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../../detail/binary_format.hpp"
#include "../../detail/elf.hpp"
#include "../../detail/pe_imports.hpp"
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

    /// File names on Windows are matched without regard to case: no "did you mean" to find.
    static std::vector<std::string> directory_entries(const std::string&) { return {}; }

    static constexpr const char* library_remedy =
        "install what provides it, or put the DLL in the program's folder or a PATH directory";
    /// The DLLs `program` imports (and those imported by the DLLs found beside it or in PATH)
    /// that Windows would not find, searched in its order for a desktop program: the program's
    /// folder, the system folder, the Windows folder, the current folder, the child's PATH. API
    /// sets (api-ms-win-*, ext-ms-*) are virtual and not looked for.
    template <class Env>
    static std::vector<missing_library> missing_libraries(const std::string& program, const Env& env, bool) {
        std::vector<missing_library> missing;
        const file_part_reader read = [](const std::string& path, std::uint64_t offset, std::size_t size) {
            std::string out;
            std::wstring wide;
            if (!to_wide(path, wide) || size == 0) return out;
            unique_handle h(::CreateFileW(wide.c_str(), GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr,
                                          OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr));
            if (!h) return out;
            LARGE_INTEGER at;
            at.QuadPart = static_cast<LONGLONG>(offset);
            if (!::SetFilePointerEx(h.get(), at, nullptr, FILE_BEGIN)) return out;
            out.resize(size);
            DWORD got = 0;
            if (!::ReadFile(h.get(), &out[0], static_cast<DWORD>(size), &got, nullptr)) got = 0;
            out.resize(got);
            return out;
        };
        auto folder_of = [](const std::string& file) {
            const auto slash = file.find_last_of("\\/");
            return slash == std::string::npos ? std::string(".") : file.substr(0, slash);
        };
        wchar_t buf[MAX_PATH];
        const UINT system_len = ::GetSystemDirectoryW(buf, MAX_PATH);
        const std::string system =
            system_len > 0 && system_len < MAX_PATH ? from_wide(std::wstring(buf, system_len)) : "";
        const UINT windows_len = ::GetWindowsDirectoryW(buf, MAX_PATH);
        const std::string windows =
            windows_len > 0 && windows_len < MAX_PATH ? from_wide(std::wstring(buf, windows_len)) : "";
        const DWORD cwd_len = ::GetCurrentDirectoryW(MAX_PATH, buf);
        const std::string cwd = cwd_len > 0 && cwd_len < MAX_PATH ? from_wide(std::wstring(buf, cwd_len)) : "";
        std::vector<std::string> queue{program}, seen;
        for (std::size_t i = 0; i < queue.size() && queue.size() <= 64; ++i) {
            const std::string object = queue[i];
            std::vector<std::string> dirs{folder_of(program), system, windows, cwd};
            for (auto& d : split_list(env("PATH"), ';'))
                if (!d.empty()) dirs.push_back(d);
            for (const std::string& dll : read_pe_imports(object, read)) {
                std::string key = dll;
                for (char& c : key)
                    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
                if (key.rfind("api-ms-", 0) == 0 || key.rfind("ext-ms-", 0) == 0) continue;
                if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
                seen.push_back(key);
                std::string found, where;
                for (const std::string& d : dirs) {
                    if (d.empty()) continue;
                    const std::string candidate = d + "\\" + dll;
                    std::wstring wide;
                    if (!to_wide(candidate, wide)) continue;
                    const DWORD attrs = ::GetFileAttributesW(wide.c_str());
                    if (attrs != INVALID_FILE_ATTRIBUTES && (attrs & FILE_ATTRIBUTE_DIRECTORY) == 0) {
                        found = candidate;
                        where = d;
                        break;
                    }
                }
                if (found.empty()) {
                    std::vector<std::string> searched;
                    for (const std::string& d : dirs)
                        if (!d.empty()) searched.push_back(d);
                    missing.push_back(missing_library{dll, object, std::move(searched)});
                } else if (!iequals(where, system) && !iequals(where, windows)) {
                    queue.push_back(found);  // a DLL of its own: what it imports must be found too
                }
            }
        }
        return missing;
    }

    /// The ZoneId in the file's Zone.Identifier stream (its Mark of the Web: 3 is the Internet,
    /// 4 untrusted sites), 0 when it has none (or the file system keeps no streams).
    static int mark_of_the_web_zone(const std::wstring& file) {
        unique_handle h(::CreateFileW((file + L":Zone.Identifier").c_str(), GENERIC_READ, FILE_SHARE_READ, nullptr,
                                      OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr));
        if (!h) return 0;
        char buf[512];
        DWORD got = 0;
        if (!::ReadFile(h.get(), buf, sizeof buf - 1, &got, nullptr)) return 0;
        const std::string_view text(buf, got);
        const auto at = text.find("ZoneId=");
        if (at == std::string_view::npos || at + 7 >= text.size()) return 0;
        const char digit = text[at + 7];
        return digit >= '0' && digit <= '9' ? digit - '0' : 0;
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
            f.zone_id = mark_of_the_web_zone(wide);
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
