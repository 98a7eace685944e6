// SPDX-License-Identifier: MIT
// bench/slow_callback.cpp: what one slow io::lines callback costs the other children. 50
// children each write 5 lines, 50 ms apart, read through io::lines; once alone, once beside a
// child whose callback blocks for 1 s on each line. Prints one JSON line (bench/run --scale).
#include <liftoff/liftoff.hpp>

#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using clock_type = std::chrono::steady_clock;

int threads_now() {
    std::ifstream f("/proc/self/status");
    std::string line;
    while (std::getline(f, line))
        if (line.rfind("Threads:", 0) == 0) return std::stoi(line.substr(8));
    return -1;
}

liftoff::command writer() {
    return liftoff::command("/bin/sh", {"-c", "for i in 1 2 3 4 5; do echo line $i; sleep 0.05; done"});
}

/// Seconds until the 50 quick children have all been read and waited for.
double quick_children(bool beside_slow, int& peak_threads) {
    namespace io = liftoff::io;
    std::atomic<int> lines{0};
    std::vector<liftoff::child> slow;
    if (beside_slow)
        slow.push_back(liftoff::launch(writer().stdout_to(
            io::lines([](std::string_view) { std::this_thread::sleep_for(std::chrono::seconds(1)); }))));
    const auto start = clock_type::now();
    std::vector<liftoff::child> quick;
    for (int i = 0; i < 50; ++i)
        quick.push_back(liftoff::launch(writer().stdout_to(io::lines([&](std::string_view) { ++lines; }))));
    for (auto& c : quick) {
        peak_threads = std::max(peak_threads, threads_now());
        c.wait();
    }
    const double took = std::chrono::duration<double>(clock_type::now() - start).count();
    if (lines.load() != 250) std::fprintf(stderr, "slow_callback: %d lines of 250\n", lines.load());
    for (auto& c : slow)
        c.wait();
    return took;
}

}  // namespace

int main() {
    int alone_threads = 0, beside_threads = 0;
    const double alone = quick_children(false, alone_threads);
    const double beside = quick_children(true, beside_threads);
    std::printf(
        "{\"case\": \"slow_callback\", \"alone_s\": %.3f, \"beside_slow_s\": %.3f, \"alone_threads\": %d, "
        "\"beside_threads\": %d}\n",
        alone, beside, alone_threads, beside_threads);
}
