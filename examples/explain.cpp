// examples/explain.cpp: ask why a launch would fail before trying, and read why one failed.
// SPDX-License-Identifier: MIT
#include <liftoff/liftoff.hpp>

#include <cstdio>

int main(int argc, char** argv) {
    const char* program = argc > 1 ? argv[1] : "deploy.sh";
    // [preflight]
    liftoff::report why = liftoff::preflight(liftoff::command{program, {"--dry-run"}});
    for (const liftoff::finding& f : why.findings)
        if (f.severity == liftoff::severity::error)
            std::printf("%s: %s\n  fix: %s\n", f.id.c_str(), f.what.c_str(), f.remedy.c_str());
    // [preflight]

    // [findings]
    try {
        liftoff::run(liftoff::command{program});
    } catch (const liftoff::launch_error& e) {
        std::printf("%s\n", e.what());  // ...; install the interpreter or fix the #! line
        for (const std::string& id : e.findings())
            std::printf("  finding: %s\n", id.c_str());  // bad-interpreter
    }
    // [findings]

    // [failure]
    liftoff::failure f;  // no exceptions: the same sentence, code, program, path and findings
    liftoff::child c = liftoff::launch(liftoff::command{program}, f);
    if (!c.valid()) std::printf("%s\n  fix: %s\n", f.message.c_str(), f.remedy.c_str());
    // [failure]

    // [post-mortem]
    liftoff::result r = liftoff::run(liftoff::command{program});
    if (!r.explanation.empty()) std::printf("%s\n", r.explanation.c_str());
    // liftoff: 'app' exited with code 127 3 ms after it started: the dynamic loader could not load a shared
    // library it needs (it wrote: app: error while loading shared libraries: libfoo.so.3: ...); install ...
    // [post-mortem]

    // [session]
    liftoff::report here = liftoff::diagnose();
    if (here.find("no-display")) std::printf("no desktop here: print the link instead of opening it\n");
    std::printf("%s", here.to_text().c_str());
    // [session]
    return 0;
}
