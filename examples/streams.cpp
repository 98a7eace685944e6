// examples/streams.cpp: feed a child, read its lines as they come, and let it run on.
// SPDX-License-Identifier: MIT
#include <liftoff/liftoff.hpp>

#include <cstdio>
#include <optional>
#include <string>

int main() {
    // [lines]
    namespace io = liftoff::io;
    liftoff::command sort{"sort", {"-r"}};
    sort.stdin_from(io::text("apple\ncherry\nbanana\n"))
        .stdout_to(io::lines([](std::string_view line) { std::printf("> %.*s\n", int(line.size()), line.data()); }))
        .stderr_to(io::capture(64 * 1024));
    liftoff::result r = liftoff::run(sort);
    // [lines]

    // [pipe]
    liftoff::child wc = liftoff::launch(liftoff::command{"wc", {"-c"}}.stdin_from(io::pipe()).stdout_to(io::capture()));
    for (int i = 0; i < 3; ++i)
        wc.write_stdin("0123456789");
    wc.close_stdin();
    wc.wait();
    std::printf("wc counted %s", wc.out().c_str());
    // [pipe]

    // [read_line]
    liftoff::child calc = liftoff::launch(liftoff::command{"bc", {"-q"}}.stdin_from(io::pipe()).stdout_to(io::pipe()));
    for (const char* question : {"2+3", "2^64"}) {
        calc.write_stdin(std::string(question) + "\n");
        // On this thread, never past the timeout: nullopt if no line came (or at the end).
        if (std::optional<std::string> answer = calc.read_line(liftoff::stream::out, std::chrono::seconds(2)))
            std::printf("%s = %s\n", question, answer->c_str());
    }
    calc.close_stdin();
    calc.wait();  // nothing drains an io::pipe() output: a child that fills it waits for a read
    // [read_line]

    // [lifetime]
    liftoff::child server = liftoff::launch(liftoff::command{"sleep", {"30"}}
                                                .new_process_group()  // terminate() reaches its children too
                                                .on_destroy(liftoff::on_destroy::terminate));
    if (!server.wait_for(std::chrono::milliseconds(100))) server.terminate(std::chrono::seconds(3));
    liftoff::launch(liftoff::command{"sleep", {"1"}}).release();  // runs on; reaped by liftoff, never a zombie
    // [lifetime]

    // [files]
    liftoff::command job{"sh", {"-c", "echo to stdout; echo to stderr >&2"}};
    job.stdout_to(io::file("job.log")).stderr_to(io::merge());  // both streams into job.log
    liftoff::run(job);
    liftoff::run(liftoff::command{"date"}.stdout_to(io::append("job.log")));  // one line more
    // [files]

    // [trace]
    liftoff::command traced{"true"};
    traced.trace([](const liftoff::trace_event& e) {
        if (e.kind == liftoff::trace_kind::exited)
            std::printf(
                "%s %s after %lld us\n", e.path.c_str(), e.status.to_string().c_str(),
                static_cast<long long>(std::chrono::duration_cast<std::chrono::microseconds>(e.elapsed).count()));
    });
    liftoff::run(traced);
    // [trace]
    return r.ok() ? 0 : 1;
}
