// examples/open_things.cpp: opening a URL, a file and an application, and asking first what
// would run. Run it with an argument to really open: `example_open_things go`.
// SPDX-License-Identifier: MIT
#include <liftoff/liftoff.hpp>

#include <cstdio>
#include <string>
#include <system_error>

int main(int argc, char**) {
    std::error_code ec;
    {
        // [plan]
        liftoff::open_plan how = liftoff::plan_open_url("https://example.com/?q=a&b=c", {}, ec);
        if (ec)
            std::printf("would not open: %s\n", ec.message().c_str());
        else
            std::printf("would run: %s\n",
                        how.description.c_str());  // /usr/bin/xdg-open 'https://example.com/?q=a&b=c'
        // [plan]
    }
    if (argc < 2) return 0;  // only plans unless asked
    {
        // [open_url]
        try {
            liftoff::open_url("https://example.com/?q=a&b=c");  // returns when the opener has answered (<= 3 s)
        } catch (const liftoff::launch_error& e) {
            // liftoff: cannot open 'https://example.com/?q=a&b=c': there is no graphical session (DISPLAY and
            // WAYLAND_DISPLAY are unset or empty); run it from a desktop session, or set BROWSER ...
            std::printf("%s\n", e.what());
        }
        // [open_url]
    }
    {
        // [open_path]
        liftoff::open_path("report.pdf", {}, ec);  // made absolute; refused if it is a program or launcher
        if (ec == liftoff::errc::target_not_found) std::printf("no report yet\n");
        if (ec == liftoff::errc::no_handler) std::printf("nothing here opens PDFs\n");
        // [open_path]
    }
    {
        // [open_with]
        liftoff::open_options opts;
        opts.app_args = {"--new-window"};               // before the targets
        opts.confirm = std::chrono::milliseconds(500);  // how long to wait for a verdict
        liftoff::open_with("firefox", {"https://example.com/", "notes.html"}, opts, ec);  // a desktop id or program
        liftoff::reveal("report.pdf", {}, ec);  // selected in the file manager
        // [open_with]
    }
    {
        // [fallback_apps]
        liftoff::open_options opts;
        opts.fallback_apps = {"firefox", "chromium"};         // tried in order if no default browser is set or it fails
        liftoff::open_url("https://example.com/", opts, ec);  // ec: the default's error; the message names each
        // [fallback_apps]
    }
    return 0;
}
