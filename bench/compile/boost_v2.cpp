// bench/compile/boost_v2.cpp: compile cost of Boost.Process v2 (header-only): one process + wait.
// SPDX-License-Identifier: MIT
#include <boost/asio/io_context.hpp>
#include <boost/process/v2/process.hpp>

int main() {
    boost::asio::io_context ctx;
    boost::process::v2::process proc(ctx, "/bin/true", {});
    return proc.wait();
}
