// bench/compile/baseline.cpp: the standard headers liftoff's public interface needs, and nothing
// else: the floor for compile cost.
// SPDX-License-Identifier: MIT
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

int main() {
    std::vector<std::string> v{"/bin/true"};
    std::function<void()> f = [&] { v.push_back(std::filesystem::path("x").string()); };
    std::thread t(f);
    t.join();
    return static_cast<int>(v.size());
}
