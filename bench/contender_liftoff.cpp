// bench/contender_liftoff.cpp: liftoff doing each job the way its README shows.
// SPDX-License-Identifier: MIT
#include <liftoff/liftoff.hpp>

#include "contenders.hpp"

namespace bench {

void lift::spawn_wait(const std::string& path, const std::vector<std::string>& args) {
    liftoff::launch(liftoff::command{path, args}).wait();
}

std::string lift::capture(const std::string& path, const std::vector<std::string>& args) {
    return liftoff::run(liftoff::command{path, args}.stdout_to(liftoff::io::capture(std::size_t{1} << 30))).out;
}

std::string lift::capture_launched(const std::string& path, const std::vector<std::string>& args) {
    auto c = liftoff::launch(liftoff::command{path, args}.stdout_to(liftoff::io::capture(std::size_t{1} << 30)));
    c.wait();
    return c.out();
}

long long lift::many(const std::string& path, const std::vector<std::string>& args, int children) {
    std::vector<liftoff::child> running;
    for (int c = 0; c < children; ++c)
        running.push_back(liftoff::launch(
            liftoff::command{path, args}.stdout_to(liftoff::io::capture()).stderr_to(liftoff::io::capture())));
    long long total = 0;
    for (auto& c : running) {
        c.wait();
        total += static_cast<long long>(c.out().size() + c.err().size());
    }
    return total;
}

void lift::release(const std::string& path, const std::vector<std::string>& args) {
    liftoff::launch(liftoff::command{path, args}).release();
}

}  // namespace bench
