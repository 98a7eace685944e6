// liftoff/detail/desktop_entry.hpp: the Desktop Entry Specification's parts open_with() needs:
// reading the [Desktop Entry] group of a .desktop file, splitting its Exec value into arguments
// (string escapes, then the quoting rules) and expanding the field codes into an argv that is
// run directly, never through a shell. Pure functions, the same on every OS.
// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>  // std::size_t
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace liftoff {
inline namespace v0 {
namespace detail {

/// The keys of a file's [Desktop Entry] group (unlocalised keys only; values as written).
struct desktop_entry {
    std::map<std::string, std::string> keys;
    std::string path;  ///< where it was read from (for %k and messages)

    /// A string value with the string escapes (\s \n \t \r \\) undone, or nullopt.
    std::optional<std::string> get(const std::string& key) const;
    bool flag(const std::string& key) const {
        const auto v = get(key);
        return v && *v == "true";
    }
};

/// Undoes the escapes of the spec's string type: \s \n \t \r \\. Any other backslash pair is
/// kept as it is (Exec's quoting rules read them next).
inline std::string unescape_desktop_string(std::string_view v) {
    std::string out;
    out.reserve(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (v[i] != '\\' || i + 1 == v.size()) {
            out += v[i];
            continue;
        }
        const char next = v[i + 1];
        switch (next) {
        case 's': out += ' '; break;
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case '\\': out += '\\'; break;
        default:
            out += '\\';
            out += next;
            break;
        }
        ++i;
    }
    return out;
}

inline std::optional<std::string> desktop_entry::get(const std::string& key) const {
    const auto it = keys.find(key);
    if (it == keys.end()) return std::nullopt;
    return unescape_desktop_string(it->second);
}

/// Reads the [Desktop Entry] group of a key file. Other groups (actions), comments and
/// localised keys (Name[de]) are skipped; the first occurrence of a key wins.
inline desktop_entry parse_desktop_entry(std::string_view text) {
    desktop_entry e;
    bool in_group = false;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        const std::size_t first = line.find_first_not_of(" \t");
        if (first == std::string_view::npos || line[first] == '#') continue;
        line.remove_prefix(first);
        if (line.front() == '[') {
            in_group = line.substr(0, line.find(']') + 1) == "[Desktop Entry]";
            continue;
        }
        if (!in_group) continue;
        const std::size_t eq = line.find('=');
        if (eq == std::string_view::npos) continue;
        std::string_view key = line.substr(0, eq);
        while (!key.empty() && (key.back() == ' ' || key.back() == '\t'))
            key.remove_suffix(1);
        if (key.find('[') != std::string_view::npos) continue;  // a localised value
        std::string_view value = line.substr(eq + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
            value.remove_prefix(1);
        e.keys.emplace(std::string(key), std::string(value));
    }
    return e;
}

/// One argument of an Exec line as written: its text, and whether any of it was quoted (field
/// codes are expanded only in unquoted text).
struct exec_word {
    std::string text;
    std::string quoted_mask;  ///< one char per byte of text: 'q' quoted, ' ' not
};

struct exec_split {
    std::vector<exec_word> words;
    std::string error;  ///< non-empty when the line is invalid
};

/// The first field code in `w`: its index, or npos. `defined_only` looks only for the codes the
/// specification defines (f F u U i c k and the deprecated d D n N v m). A code is found as the
/// specification reads the argument (quoting undone, then "%%" a '%' and '%' with the character
/// after it a code) and as expand_exec() reads it (only an unquoted '%' begins a code, so a
/// quoted '%' cannot pair with, and hide, the unquoted code after it: "x%"%u).
inline std::size_t find_field_code(const exec_word& w, bool defined_only) noexcept {
    constexpr std::string_view defined = "fFuUickdDnNvm";
    const auto counts = [&](char c) {
        return c != '%' && (!defined_only || defined.find(c) != std::string_view::npos);
    };
    std::size_t first = std::string_view::npos;
    for (std::size_t i = 0; i + 1 < w.text.size(); ++i) {
        if (w.text[i] != '%') continue;
        if (counts(w.text[i + 1])) {
            first = i;
            break;
        }
        if (w.text[i + 1] == '%') ++i;
    }
    for (std::size_t i = 0; i + 1 < w.text.size() && i < first; ++i) {
        if (w.text[i] != '%' || w.quoted_mask[i] != ' ') continue;
        if (counts(w.text[i + 1])) return i;
        ++i;  // the code's character, or the second '%' of "%%"
    }
    return first;
}

/// The rules of the specification the split words must keep, or why they do not: the first
/// word is the program, so no field code may stand in for it (a target would run as the
/// program, or nothing would be left to run), and field codes must not be used inside a
/// quoted argument, wholly or partly quoted (a target would land inside, say, an sh -c string).
inline std::string check_exec_words(const std::vector<exec_word>& words) {
    if (words.empty()) return "it is empty";
    const exec_word& program = words.front();
    if (program.text.empty()) return "its program (the first word) is empty";
    if (const std::size_t at = find_field_code(program, false); at != std::string_view::npos)
        return "its first word '" + program.text + "' holds the field code " + program.text.substr(at, 2) +
               " where the program belongs (a target, or nothing, would run in its place)";
    for (const auto& w : words) {
        if (w.quoted_mask.find('q') == std::string::npos) continue;
        if (const std::size_t at = find_field_code(w, true); at != std::string_view::npos)
            return "the field code " + w.text.substr(at, 2) + " is inside a quoted argument ('" + w.text +
                   "'), which the Desktop Entry Specification forbids";
    }
    return {};
}

/// Splits an Exec value (after unescape_desktop_string) into arguments: separated by spaces or
/// tabs; "double quotes" group, and inside them \" \` \$ \\ give the character. A backslash
/// elsewhere is kept literally. Nothing is ever given to a shell. A line that breaks the
/// specification's rules (check_exec_words) is an error.
inline exec_split split_exec(std::string_view exec) {
    exec_split r;
    bool in_word = false;
    exec_word w;
    for (std::size_t i = 0; i < exec.size(); ++i) {
        const char c = exec[i];
        if (c == ' ' || c == '\t' || c == '\n') {
            if (in_word) r.words.push_back(std::move(w));
            w = {};
            in_word = false;
            continue;
        }
        in_word = true;
        if (c != '"') {
            w.text += c;
            w.quoted_mask += ' ';
            continue;
        }
        // A quoted part: up to the matching unescaped quote.
        bool closed = false;
        for (++i; i < exec.size(); ++i) {
            const char q = exec[i];
            if (q == '"') {
                closed = true;
                break;
            }
            if (q == '\\' && i + 1 < exec.size()) {
                const char n = exec[i + 1];
                if (n == '"' || n == '`' || n == '$' || n == '\\') {
                    w.text += n;
                    w.quoted_mask += 'q';
                    ++i;
                    continue;
                }
            }
            w.text += q;
            w.quoted_mask += 'q';
        }
        if (!closed) {
            r.error = "a double quote is not closed";
            r.words.clear();
            return r;
        }
        if (w.text.empty()) w.quoted_mask.clear();  // "" is an empty argument: keep the word
    }
    if (in_word) r.words.push_back(std::move(w));
    r.error = check_exec_words(r.words);
    if (!r.error.empty()) r.words.clear();
    return r;
}

/// What the field codes are expanded with.
struct exec_context {
    std::string name;  ///< %c
    std::string icon;  ///< %i (with --icon)
    std::string path;  ///< %k
};

/// One target for an application: a local absolute path, or a URL.
struct exec_target {
    std::string text;
    bool url = false;
};

struct exec_expansion {
    std::vector<std::vector<std::string>> argvs;  ///< one launch each (%f/%u with several targets)
    std::string error;                            ///< non-empty when it cannot be expanded
    bool wrong_target = false;                    ///< the error is a URL given to a files-only application
    bool takes_urls = false, takes_files = false, takes_many = false;
};

/// Expands the field codes of a split Exec line for `targets`, putting `app_args` before the
/// targets. %f/%u take one target each (several targets mean one launch per target), %F/%U take
/// them all, %i is "--icon ICON" (nothing without an Icon), %c the name, %k the entry's path,
/// %% a '%'; the deprecated %d %D %n %N %v %m and unknown codes are dropped. A line without a
/// file or URL code gets the targets appended. Quoted text is never expanded.
inline exec_expansion expand_exec(const std::vector<exec_word>& words, const exec_context& ctx,
                                  const std::vector<exec_target>& targets, const std::vector<std::string>& app_args) {
    exec_expansion r;
    r.error = check_exec_words(words);
    if (!r.error.empty()) return r;
    // First pass: which target code is there (the spec allows at most one).
    int codes = 0;
    char code = 0;
    for (const auto& w : words) {
        for (std::size_t i = 0; i + 1 < w.text.size(); ++i) {
            if (w.text[i] != '%' || w.quoted_mask[i] != ' ') continue;
            const char c = w.text[i + 1];
            if (c == '%') {
                ++i;
                continue;
            }
            if (c == 'f' || c == 'F' || c == 'u' || c == 'U') {
                ++codes;
                code = c;
                if ((c == 'F' || c == 'U') && w.text.size() != 2) {
                    r.error = std::string("%") + c + " is not an argument of its own";
                    return r;
                }
            }
            ++i;
        }
    }
    if (codes > 1) {
        r.error = "it has more than one of %f %F %u %U";
        return r;
    }
    r.takes_files = code == 'f' || code == 'F';
    r.takes_urls = code == 'u' || code == 'U';
    r.takes_many = code == 'F' || code == 'U';

    for (const auto& t : targets) {
        if (t.url && r.takes_files) {
            r.error = "it takes local files (%" + std::string(1, code) + "), not URLs such as '" + t.text + "'";
            r.wrong_target = true;
            return r;
        }
    }

    // One launch per target for %f/%u, else one launch with them all.
    std::vector<std::vector<const exec_target*>> groups;
    if ((code == 'f' || code == 'u') && targets.size() > 1) {
        for (const auto& t : targets)
            groups.push_back({&t});
    } else {
        groups.emplace_back();
        for (const auto& t : targets)
            groups.back().push_back(&t);
    }

    for (const auto& group : groups) {
        std::vector<std::string> argv;
        bool args_placed = false;
        auto place_app_args = [&] {
            if (args_placed) return;
            argv.insert(argv.end(), app_args.begin(), app_args.end());
            args_placed = true;
        };
        for (const auto& w : words) {
            const bool whole_code = w.text.size() == 2 && w.text[0] == '%' && w.quoted_mask[0] == ' ';
            if (whole_code) {
                const char c = w.text[1];
                if (c == 'F' || c == 'U' || c == 'f' || c == 'u') {
                    place_app_args();
                    for (const auto* t : group)
                        argv.push_back(t->text);
                    continue;
                }
                if (c == 'i') {
                    if (!ctx.icon.empty()) {
                        argv.emplace_back("--icon");
                        argv.push_back(ctx.icon);
                    }
                    continue;
                }
                if (c != '%' && c != 'c' && c != 'k') continue;  // deprecated or unknown: dropped
            }
            std::string out;
            bool had_code = false, target_code = false;
            for (std::size_t i = 0; i < w.text.size(); ++i) {
                const char ch = w.text[i];
                if (ch != '%' || w.quoted_mask[i] != ' ' || i + 1 == w.text.size()) {
                    out += ch;
                    continue;
                }
                const char c = w.text[++i];
                had_code = true;
                switch (c) {
                case '%': out += '%'; break;
                case 'c': out += ctx.name; break;
                case 'k': out += ctx.path; break;
                case 'f':
                case 'u':
                    target_code = true;
                    if (!group.empty()) out += group.front()->text;
                    break;
                default: break;  // %i inside a word, deprecated and unknown codes: dropped
                }
            }
            if (target_code) {
                place_app_args();
                if (group.empty() && out.empty()) continue;
            }
            if (had_code && out.empty() && !target_code) continue;
            argv.push_back(std::move(out));
        }
        if (code == 0) {
            place_app_args();
            for (const auto* t : group)
                argv.push_back(t->text);
        }
        place_app_args();
        if (argv.empty() || argv.front().empty()) {  // check_exec_words rules it out; never run nothing
            r.argvs.clear();
            r.error = "it names no program";
            return r;
        }
        r.argvs.push_back(std::move(argv));
    }
    return r;
}

}  // namespace detail
}  // namespace v0
}  // namespace liftoff
