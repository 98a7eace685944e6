// bench/compile/boost_v2.cpp: compile cost of Boost.Process v2 (Boost 1.81, header-only by
// default) doing what liftoff.cpp's run() does: start a program, read its stdout, wait. Compiled
// only (-c); linking would need Boost.Filesystem, which v2 uses in 1.81.
// SPDX-License-Identifier: MIT
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/readable_pipe.hpp>
#include <boost/process/v2/process.hpp>
#include <boost/process/v2/stdio.hpp>

#include <string>

int main() {
    boost::asio::io_context ctx;
    boost::asio::readable_pipe out(ctx);
    boost::process::v2::process proc(ctx, "/bin/true", {}, boost::process::v2::process_stdio{{}, out, {}});
    std::string text;
    boost::system::error_code ec;
    boost::asio::read(out, boost::asio::dynamic_buffer(text), ec);
    return proc.wait();
}
