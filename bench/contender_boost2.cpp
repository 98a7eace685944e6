// bench/contender_boost2.cpp: Boost.Process v2 (Boost 1.81, header-only; its std::filesystem mode does
// not compile in 1.81, so it uses Boost.Filesystem as by default).
// SPDX-License-Identifier: MIT
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/readable_pipe.hpp>
#include <boost/process/v2/process.hpp>
#include <boost/process/v2/stdio.hpp>

#include "contenders.hpp"

namespace asio = boost::asio;
namespace bp2 = boost::process::v2;

namespace bench {

void boost2::spawn_wait(const std::string& path, const std::vector<std::string>& args) {
    asio::io_context ctx;
    bp2::process proc(ctx, path, args);
    proc.wait();
}

std::string boost2::capture(const std::string& path, const std::vector<std::string>& args) {
    asio::io_context ctx;
    asio::readable_pipe rp(ctx);
    bp2::process proc(ctx, path, args, bp2::process_stdio{{}, rp, {}});
    std::string out;
    boost::system::error_code ec;
    asio::read(rp, asio::dynamic_buffer(out), ec);
    proc.wait();
    return out;
}

}  // namespace bench
