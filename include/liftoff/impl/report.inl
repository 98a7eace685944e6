// liftoff/impl/report.inl: a report as text and as JSON (declared in report.hpp).
// SPDX-License-Identifier: MIT
#pragma once

#include <string>

#include "../detail/config.hpp"
#include "../detail/json.hpp"
#include "../detail/redact.hpp"
#include "../detail/text.hpp"
#include "../report.hpp"

namespace liftoff {
inline namespace v0 {
namespace detail {

inline const char* colour_of(severity s) noexcept {
    switch (s) {
    case severity::error: return "\033[1;31m";
    case severity::warning: return "\033[1;33m";
    case severity::info: return "\033[36m";
    }
    return "";
}

}  // namespace detail

LIFTOFF_API std::string report::to_text(bool colour) const {
    using detail::printable;
    std::string t;
    auto line = [&](const std::string& label, const std::string& value) {
        t += "  " + label + std::string(label.size() < 12 ? 12 - label.size() : 1, ' ') + value + "\n";
    };
    auto yes = [](bool b) { return b ? "yes" : "no"; };
    t += "liftoff " + version + "\n";
    if (!os.empty()) {
        line("os", os + " " + kernel + " " + arch);
        std::string g;
        for (auto id : groups)
            g += (g.empty() ? "" : ",") + std::to_string(id);
        line("user", user + " (uid " + std::to_string(uid) + ", gid " + std::to_string(gid) + ", groups " + g +
                         "), umask " + umask);
        line("cwd", printable(cwd) + (cwd_exists ? "" : " (gone)"));
        std::string vars;
        for (const auto& v : session_variables)
            if (v.second) vars += (vars.empty() ? "" : ", ") + v.first + "=" + printable(*v.second);
        line("session", session + (vars.empty() ? std::string() : " (" + vars + ")"));
        line("sandbox", sandbox.empty() ? "none" : detail::join(sandbox, ", "));
        line("locale", printable(locale) + (utf8 ? " (UTF-8)" : " (not UTF-8)"));
        std::string p;
        for (const auto& e : path) {
            std::string flags = e.empty                ? " [empty]"
                                : e.relative           ? " [relative]"
                                : !e.exists            ? " [missing]"
                                : e.writable_by_others ? " [writable by others]"
                                                       : "";
            p += (p.empty() ? "" : " ") + printable(e.dir) + flags;
        }
        line("PATH", p.empty() ? "(not set)" : p);
        line("openers", openers.empty() ? "none found" : detail::join(openers, ", "));
        line("open_url", open_url_plan);
    }
    if (program) {
        const auto& pf = *program;
        line("program", printable(pf.program) + " -> " + (pf.resolved.empty() ? "(none)" : printable(pf.resolved)) +
                            " (" + pf.found_by + ")");
        if (!pf.resolved.empty() && pf.exists)
            line("file", (pf.format.empty() ? std::string("not a regular file") : pf.format) + ", mode " + pf.mode +
                             ", executable " + yes(pf.executable) + (pf.noexec_mount ? ", noexec mount" : ""));
        if (!pf.interpreter.empty()) line("interpreter", printable(pf.interpreter));
        if (!pf.missing_libraries.empty()) line("missing", printable(detail::join(pf.missing_libraries, ", ")));
        if (!pf.cwd.empty()) line("start in", printable(pf.cwd));
        line("arguments", std::to_string(pf.argument_bytes) + " bytes with the environment (limit " +
                              std::to_string(pf.argument_limit) + ")");
    }
    std::size_t id_width = 0;
    for (const auto& f : findings)
        id_width = f.id.size() > id_width ? f.id.size() : id_width;
    t += findings.empty() ? "no findings\n" : "findings\n";
    for (const auto& f : findings) {
        std::string sev = to_string(f.severity);
        for (char& c : sev)
            c = static_cast<char>(c - 'a' + 'A');
        sev.resize(8, ' ');
        t += "  " + (colour ? detail::colour_of(f.severity) + sev + "\033[0m" : sev) + f.id +
             std::string(id_width - f.id.size() + 2, ' ') + detail::printable_message(f.what) + "\n";
        t += "  " + std::string(8 + id_width + 2, ' ') + "-> " + detail::printable_message(f.remedy) + "\n";
    }
    return t;
}

LIFTOFF_API std::string report::to_json() const {
    detail::json_writer w;
    w.open('{');
    w.key("liftoff").string(version);
    if (!os.empty()) {
        w.key("os").open('{').key("name").string(os).key("kernel").string(kernel).key("arch").string(arch).close('}');
        w.key("user")
            .open('{')
            .key("name")
            .string(user)
            .key("uid")
            .number(uid)
            .key("gid")
            .number(gid)
            .key("groups")
            .open('[');
        for (auto g : groups)
            w.number(g);
        w.close(']').key("umask").string(umask).close('}');
        w.key("cwd").open('{');
        detail::json_name(w, "path", cwd);
        w.key("exists").boolean(cwd_exists).close('}');
        w.key("session").open('{').key("kind").string(session);
        for (const auto& v : session_variables) {
            w.key(v.first);
            if (v.second)
                w.string(*v.second);
            else
                w.null();
        }
        w.close('}');
        w.key("sandbox").open('[');
        for (const auto& s : sandbox)
            w.string(s);
        w.close(']');
        w.key("locale").open('{').key("ctype").string(locale).key("utf8").boolean(utf8).close('}');
        w.key("path").open('[');
        for (const auto& e : path) {
            w.open('{');
            detail::json_name(w, "dir", e.dir);
            w.key("empty")
                .boolean(e.empty)
                .key("relative")
                .boolean(e.relative)
                .key("exists")
                .boolean(e.exists)
                .key("directory")
                .boolean(e.directory)
                .key("writable_by_others")
                .boolean(e.writable_by_others)
                .close('}');
        }
        w.close(']');
        w.key("openers").open('{').key("available").open('[');
        for (const auto& o : openers)
            w.string(o);
        w.close(']').key("open_url").string(open_url_plan).close('}');
        w.key("environment").open('{');
        for (const auto& kv : environment)
            w.key(kv.first).string(kv.second);
        w.close('}');
    }
    if (program) {
        const auto& pf = *program;
        w.key("program").open('{');
        detail::json_name(w, "name", pf.program);
        detail::json_name(w, "resolved", pf.resolved);
        w.key("found_by").string(pf.found_by);
        detail::json_names(w, "searched", pf.searched);
        w.key("exists")
            .boolean(pf.exists)
            .key("regular")
            .boolean(pf.regular)
            .key("directory")
            .boolean(pf.directory)
            .key("dangling_symlink")
            .boolean(pf.dangling_symlink)
            .key("executable")
            .boolean(pf.executable)
            .key("noexec_mount")
            .boolean(pf.noexec_mount)
            .key("setuid")
            .boolean(pf.setuid)
            .key("mode")
            .string(pf.mode)
            .key("owner")
            .number(pf.owner)
            .key("format")
            .string(pf.format);
        detail::json_name(w, "interpreter", pf.interpreter);
        w.key("capabilities").string(pf.capabilities).key("missing_libraries").open('[');
        for (const auto& l : pf.missing_libraries)
            w.string(l);
        w.close(']').key("quarantined").boolean(pf.quarantined).key("zone_id").number(pf.zone_id);
        detail::json_name(w, "cwd", pf.cwd);
        w.key("argument_bytes")
            .number(static_cast<long long>(pf.argument_bytes))
            .key("argument_limit")
            .number(static_cast<long long>(pf.argument_limit));
        w.close('}');
    }
    w.key("findings").open('[');
    for (const auto& f : findings)
        w.open('{')
            .key("id")
            .string(f.id)
            .key("severity")
            .string(to_string(f.severity))
            .key("what")
            .string(f.what)
            .key("remedy")
            .string(f.remedy)
            .close('}');
    w.close(']');
    w.close('}');
    return w.str();
}

}  // namespace v0
}  // namespace liftoff
