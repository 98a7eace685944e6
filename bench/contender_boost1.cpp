// bench/contender_boost1.cpp: Boost.Process v1 (Debian's Boost 1.81), as its documentation shows.
// SPDX-License-Identifier: MIT
#include <boost/process.hpp>

#include "contenders.hpp"

namespace bp = boost::process;

namespace bench {

void boost1::spawn_wait(const std::string& path, const std::vector<std::string>& args) {
    bp::child c(bp::exe = path, bp::args = args);
    c.wait();
}

std::string boost1::capture(const std::string& path, const std::vector<std::string>& args) {
    bp::ipstream is;
    bp::child c(bp::exe = path, bp::args = args, bp::std_out > is);
    std::string out;
    char buf[65536];
    while (is.read(buf, sizeof buf) || is.gcount() > 0)
        out.append(buf, static_cast<std::size_t>(is.gcount()));
    c.wait();
    return out;
}

void boost1::detach(const std::string& path, const std::vector<std::string>& args) {
    bp::child c(bp::exe = path, bp::args = args);
    c.detach();
}

}  // namespace bench
