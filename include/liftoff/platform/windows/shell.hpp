// liftoff/platform/windows/shell.hpp: what the Windows opener strategy asks of the OS:
// ShellExecuteExW with COM initialised as the shell needs it (on a helper thread when the
// caller's thread is in the multithreaded apartment), App Paths from the registry, and the
// Windows directory. Decisions are in platform/windows/opener.hpp, which is portable.
// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "../../detail/windows_shell.hpp"
#include "process.hpp"
#include "win32.hpp"

// After win32.hpp: <shellapi.h> needs <windows.h>, which WIN32_LEAN_AND_MEAN keeps it out of.
// COM is loaded at run time instead of through <objbase.h>, whose rpcndr.h would leak macros
// such as `small` and `interface` into user code, and whose ole32 mingw-w64 does not link by
// default.
#include <shellapi.h>

#if defined(_MSC_VER)
#pragma comment(lib, "shell32.lib")   // ShellExecuteExW
#pragma comment(lib, "advapi32.lib")  // RegGetValueW
#endif                                // _MSC_VER

namespace liftoff {
inline namespace v0 {
namespace detail {

struct windows_shell {
    /// ShellExecuteExW(open, call.file, call.parameters) with SEE_MASK_NOCLOSEPROCESS (the
    /// process, where there is one, goes to `proc`), SEE_MASK_FLAG_NO_UI (failures come back as
    /// errors, never as dialogs) and SEE_MASK_NOASYNC (the call is finished when it returns).
    /// `background` shows the application without activating it.
    static shell_outcome shell_execute(const shell_call& call, bool background, windows_process& proc) {
        shell_outcome out;
        std::wstring file, parameters;
        if (!to_wide(call.file, file) || !to_wide(call.parameters, parameters)) {
            out.last_error = ERROR_NO_UNICODE_TRANSLATION;
            return out;
        }
        SHELLEXECUTEINFOW info{};
        info.cbSize = sizeof info;
        info.fMask = SEE_MASK_NOCLOSEPROCESS | SEE_MASK_FLAG_NO_UI | SEE_MASK_NOASYNC;
        info.lpVerb = L"open";
        info.lpFile = file.c_str();
        info.lpParameters = parameters.empty() ? nullptr : parameters.c_str();
        info.nShow = background ? SW_SHOWNOACTIVATE : SW_SHOWNORMAL;
        auto execute = [&info, &out] {
            if (::ShellExecuteExW(&info))
                out.ok = true;
            else
                out.last_error = ::GetLastError();
            out.inst_app = reinterpret_cast<std::uintptr_t>(info.hInstApp);
        };

        const com& c = com::functions();
        const HRESULT here = c.initialise();
        if (here == RPC_E_CHANGED_MODE) {
            // This thread is in the multithreaded apartment; the shell wants a single-threaded
            // one, so the call is made on a thread of its own.
            try {
                std::thread([&] {
                    const HRESULT there = c.initialise();
                    execute();
                    if (SUCCEEDED(there)) c.uninitialise();
                }).join();
            } catch (const std::system_error&) {
                out.last_error = ERROR_NOT_ENOUGH_MEMORY;  // no thread to be had
                return out;
            }
        } else {
            execute();
            if (SUCCEEDED(here)) c.uninitialise();
        }
        if (out.ok && info.hProcess != nullptr) {
            const DWORD pid = ::GetProcessId(info.hProcess);
            proc.adopt(unique_handle(info.hProcess), pid, unique_handle(), false, false);
            out.has_process = true;
        }
        return out;
    }

    /// The default values of the App Paths key `key` ("firefox.exe") under HKEY_CURRENT_USER,
    /// then HKEY_LOCAL_MACHINE, where set (REG_EXPAND_SZ values expanded), in that order.
    static std::vector<std::string> app_paths(const std::string& key) {
        std::vector<std::string> out;
        std::wstring sub;
        if (!to_wide("Software\\Microsoft\\Windows\\CurrentVersion\\App Paths\\" + key, sub)) return out;
        for (HKEY root : {HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE}) {
            std::wstring value(260, L'\0');
            for (int attempt = 0; attempt < 4; ++attempt) {
                DWORD bytes = static_cast<DWORD>(value.size() * sizeof(wchar_t));
                // RRF_RT_REG_SZ takes REG_EXPAND_SZ too, expanded (the two flags together are refused).
                const LSTATUS s = ::RegGetValueW(root, sub.c_str(), nullptr, RRF_RT_REG_SZ, nullptr, &value[0], &bytes);
                if (s == ERROR_MORE_DATA) {
                    value.resize(bytes / sizeof(wchar_t) + 1);
                    continue;
                }
                if (s == ERROR_SUCCESS) {
                    value.resize(bytes / sizeof(wchar_t));
                    while (!value.empty() && value.back() == L'\0')
                        value.pop_back();
                    out.push_back(from_wide(value));
                }
                break;
            }
        }
        return out;
    }

    /// Where explorer.exe is: the system's Windows directory (GetSystemWindowsDirectoryW).
    static std::string windows_directory() {
        wchar_t buf[MAX_PATH];
        const UINT n = ::GetSystemWindowsDirectoryW(buf, MAX_PATH);
        if (n == 0 || n >= MAX_PATH) return "C:\\Windows";
        return from_wide(std::wstring_view(buf, n));
    }

private:
    /// CoInitializeEx and CoUninitialize from ole32.dll in the system directory, loaded once.
    struct com {
        using initialise_fn = HRESULT(WINAPI*)(LPVOID, DWORD);
        using uninitialise_fn = void(WINAPI*)();
        initialise_fn init = nullptr;
        uninitialise_fn uninit = nullptr;

        /// CoInitializeEx(COINIT_APARTMENTTHREADED | COINIT_DISABLE_OLE1DDE), as ShellExecuteExW
        /// wants; E_NOTIMPL when ole32 could not be loaded (the call is then made without COM).
        HRESULT initialise() const noexcept {
            constexpr DWORD apartment_threaded = 0x2, disable_ole1dde = 0x4;  // <objbase.h>'s COINIT_*
            return init != nullptr ? init(nullptr, apartment_threaded | disable_ole1dde) : E_NOTIMPL;
        }
        void uninitialise() const noexcept {
            if (uninit != nullptr) uninit();
        }

        static const com& functions() {
            static const com loaded = load();
            return loaded;
        }
        static com load() {
            com c;
            wchar_t dir[MAX_PATH];
            const UINT n = ::GetSystemDirectoryW(dir, MAX_PATH);
            if (n == 0 || n >= MAX_PATH - 12) return c;
            const std::wstring path = std::wstring(dir, n) + L"\\ole32.dll";
            HMODULE ole32 = ::LoadLibraryW(path.c_str());  // by full path: never another ole32.dll
            if (ole32 == nullptr) return c;                // kept loaded for the process's life
            c.init =
                reinterpret_cast<initialise_fn>(reinterpret_cast<void*>(::GetProcAddress(ole32, "CoInitializeEx")));
            c.uninit =
                reinterpret_cast<uninitialise_fn>(reinterpret_cast<void*>(::GetProcAddress(ole32, "CoUninitialize")));
            if (c.init == nullptr || c.uninit == nullptr) c = com{};
            return c;
        }
    };
};

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
