#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""docs/reference.md is current, names every public name, and every public function and type
has a `///` comment.

usage: docs_reference.py [SOURCE_ROOT]

1. `tools/docs --check` passes (the reference is what the headers say now).
2. Every name `tools/docs --names` finds is in docs/reference.md, and so is every type, alias and
   function that a plain line scan finds at namespace scope of the public headers (a second
   reader, so a name the parser misses is caught too).
3. Every public name (function, type, alias, enumerator, member variable, constant, macro) has a
   `///` comment, except the special members (constructors that only default, copy or move,
   destructors, assignment and ==/!=).
4. The parser reads the shape the headers are moving to (declarations only, `class child`,
   `failure&` overloads, `enum class stream`).
"""
import importlib.machinery
import importlib.util
import os
import re
import subprocess
import sys

ROOT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOOL = os.path.join(ROOT, "tools", "docs")
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def load_tool():
    loader = importlib.machinery.SourceFileLoader("liftoff_docs", TOOL)
    spec = importlib.util.spec_from_loader("liftoff_docs", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


# 1. current
r = subprocess.run([sys.executable, TOOL, "--check"], capture_output=True, text=True)
check(r.returncode == 0, "tools/docs --check: docs/reference.md is current" + ("" if r.returncode == 0 else f" ({r.stderr.strip()})"))

docs = load_tool()
reference = open(os.path.join(ROOT, "docs", "reference.md"), encoding="utf-8").read()
decls = list(docs.flatten(docs.collect()))

# 2. every name is in the reference
missing = []
for d in decls:
    if d.kind in ("enumerator", "variable"):
        found = f"`{d.name}`" in reference or f"`{d.qualified}`" in reference  # a table row, or its own heading
    elif d.kind == "macro":
        found = f"### `{d.name}`" in reference
    else:
        found = f"`{d.qualified}`" in reference
    if not found:
        missing.append(d.qualified)
check(not missing, f"all {len(decls)} parsed public names are in docs/reference.md" + (f"; missing: {', '.join(missing)}" if missing else ""))
check(len([d for d in decls if d.kind == "function"]) >= 20, "the parser found the public functions (at least 20)")


def scanned_names():
    """Types, aliases and functions at namespace scope, read line by line (a second reader).
    Lines inside `namespace detail {` ... `}  // namespace detail` are skipped, and so are
    preprocessor lines."""
    names = set()
    for path in docs.public_headers():
        in_detail = 0
        for line in open(path, encoding="utf-8"):
            if re.match(r"namespace (detail|impl) \{", line):
                in_detail += 1
                continue
            if re.match(r"\}\s*// namespace (detail|impl)", line):
                in_detail -= 1
                continue
            if in_detail or line.startswith((" ", "\t", "#", "/", "}")):
                continue
            m = re.match(r"(?:class|struct|enum class|enum|union) (\w+)(?: final)?\s*[:{]", line)
            if m:
                names.add(m.group(1))
            m = re.match(r"using (\w+) =", line)
            if m:
                names.add(m.group(1))
            m = re.match(r"(?:\[\[nodiscard\]\] )?(?:inline |constexpr |static |LIFTOFF_\w+ )*[\w:<>, &*]+?[ &*](\w+)\(", line)
            if m and "::" not in line.split("(")[0].split()[-1]:
                names.add(m.group(1))
    return names


scanned = scanned_names()
unlisted = sorted(n for n in scanned if f"::{n}`" not in reference)
check(not unlisted, f"the {len(scanned)} names a line scan finds at namespace scope are in docs/reference.md" + (f"; missing: {', '.join(unlisted)}" if unlisted else ""))

# 3. every public name is documented
SPECIAL_OPERATORS = ("operator=", "operator==", "operator!=")


def special(d):
    if d.kind != "function":
        return False
    if d.name.startswith("~") or d.name in SPECIAL_OPERATORS:
        return True
    if d.name == d.scope[-1]:  # constructors that only default, copy or move
        cls = d.name
        return all(re.search(r"=\s*(default|delete)\s*;?$", s) or re.search(rf"{cls}\((const {cls}&|{cls}&&)\w*( \w+)?\)", s)
                   or re.search(rf"{cls}\(\)", s) for s in d.signatures)
    return False


undocumented = sorted({d.qualified for d in decls if not d.documented and not special(d)})
check(not undocumented, "every public name has a /// comment" +
      ("; undocumented: " + ", ".join(undocumented) if undocumented else ""))

# 4. the parser on the shape the headers are moving to
SAMPLE = """
// liftoff/child.hpp: sample
#pragma once
#include <string>
namespace liftoff {
inline namespace v0 {
/// Which stream.
enum class stream { out, err };
/// A failure, with its explanation.
struct failure {
    errc code{};                 ///< what went wrong
    std::string message;         ///< the whole message
    std::vector<std::string> findings;
};
/// A running child.
class child {
public:
    child() noexcept;
    /// Waits for it.
    exit_status wait();
    /// Captured text.
    std::string out() const;
private:
    struct state;
    std::unique_ptr<state> s_;
};
/// Starts `cmd`.
[[nodiscard]] child launch(const command& cmd);
/// As launch(cmd), with the failure in `f`.
[[nodiscard]] child launch(const command& cmd, failure& f) noexcept;
namespace io {
/// Drained into memory.
sink capture(std::size_t limit = std::size_t{64} << 20);
}  // namespace io
namespace detail {
void hidden();
}  // namespace detail
}  // namespace v0
}  // namespace liftoff
#include "impl/child.inl"
"""
p = docs.Parser("liftoff/sample.hpp", docs.tokenize(docs.strip_preprocessor(SAMPLE)[0]), [])
p.parse_scope([], False, None)
got = {d.qualified: d for d in docs.flatten(p.top)}
want = ["liftoff::stream", "liftoff::stream::out", "liftoff::failure", "liftoff::failure::message",
        "liftoff::child", "liftoff::child::wait", "liftoff::child::out", "liftoff::launch", "liftoff::io::capture"]
check(all(n in got for n in want) and "liftoff::detail::hidden" not in got and "liftoff::child::s_" not in got
      and "liftoff::child::state" not in got, "the parser reads declaration-only headers: " + ", ".join(sorted(got)))
check(len(got.get("liftoff::launch").signatures) == 2 if "liftoff::launch" in got else False,
      "launch's two overloads (command&, failure&) are one entry")
check(got.get("liftoff::failure::code") is not None and got["liftoff::failure::code"].docs == ["what went wrong"],
      "///< documents the member on its line")

print(f"{len(failures)} failed")
sys.exit(1 if failures else 0)
