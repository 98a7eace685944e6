// tests/helper/opener.cpp: calls one liftoff opener in the environment the test gave it (the
// tests start it with env_clear() and a hermetic XDG session) and prints what happened in a
// form the tests parse back.
// SPDX-License-Identifier: MIT
//
//   liftoff_open_helper [OPTIONS] url|path|with|reveal ARGS...
//     --plan           call plan_* instead and print the plan
//     --confirm MS     open_options::confirm
//     --wait           open_options::wait
//     --allow-exec     open_options::allow_executables
//     --allow-attach   open_options::allow_mail_attachments
//     --scheme S       add S to allowed_schemes (repeatable)
//     --app-arg A      add A to app_args (repeatable)
//     --fallback APP   add APP to fallback_apps (repeatable)
//     --wait-child     after a successful open, wait for the returned child and print its status
//   prints "ok valid=0|1 running=0|1" (and "status=..." with --wait-child), or a plan as
//   "opener=...", "description=...", "program=<len>:<bytes>", "arg=<len>:<bytes>" per argument,
//   or on failure "errc=N" and "message=..." (exit status 1). The error_code overload is
//   called first for plans and must agree with the exception.
#include <liftoff/liftoff.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

void print_item(const char* key, const std::string& s) {
    std::printf("%s=%zu:", key, s.size());
    std::fwrite(s.data(), 1, s.size(), stdout);
    std::printf("\n");
}

int fail(const liftoff::launch_error& e) {
    std::printf("errc=%d\nmessage=%s\n", e.code().value(), e.what());
    return 1;
}

}  // namespace

int main(int argc, char** argv) {
    liftoff::open_options opts;
    bool plan = false, wait_child = false;
    int i = 1;
    for (; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--plan") {
            plan = true;
        } else if (a == "--confirm" && i + 1 < argc) {
            opts.confirm = std::chrono::milliseconds(std::atoi(argv[++i]));
        } else if (a == "--wait") {
            opts.wait = true;
        } else if (a == "--allow-exec") {
            opts.allow_executables = true;
        } else if (a == "--allow-attach") {
            opts.allow_mail_attachments = true;
        } else if (a == "--scheme" && i + 1 < argc) {
            opts.allowed_schemes.push_back(argv[++i]);
        } else if (a == "--app-arg" && i + 1 < argc) {
            opts.app_args.push_back(argv[++i]);
        } else if (a == "--fallback" && i + 1 < argc) {
            opts.fallback_apps.push_back(argv[++i]);
        } else if (a == "--wait-child") {
            wait_child = true;
        } else {
            break;
        }
    }
    if (i + 1 >= argc) {
        std::fprintf(stderr, "usage: liftoff_open_helper [OPTIONS] url|path|with|reveal ARGS...\n");
        return 2;
    }
    const std::string verb = argv[i++];
    const std::string first = argv[i++];
    std::vector<std::string> rest(argv + i, argv + argc);
    try {
        if (plan) {
            std::error_code ec;
            liftoff::open_plan p;
            if (verb == "url") p = liftoff::plan_open_url(first, opts, ec);
            if (verb == "path") p = liftoff::plan_open_path(first, opts, ec);
            if (verb == "with") p = liftoff::plan_open_with(first, rest, opts, ec);
            if (verb == "reveal") p = liftoff::plan_reveal(first, opts, ec);
            try {
                if (verb == "url") p = liftoff::plan_open_url(first, opts);
                if (verb == "path") p = liftoff::plan_open_path(first, opts);
                if (verb == "with") p = liftoff::plan_open_with(first, rest, opts);
                if (verb == "reveal") p = liftoff::plan_reveal(first, opts);
            } catch (const liftoff::launch_error& e) {
                if (e.code() != ec) {
                    std::printf("error_code said '%s', the exception '%s'\n", ec.message().c_str(), e.what());
                    return 3;
                }
                return fail(e);
            }
            if (ec) {
                std::printf("error_code said %s but no exception\n", ec.message().c_str());
                return 3;
            }
            std::printf("opener=%s\ndescription=%s\n", p.opener.c_str(), p.description.c_str());
            if (p.launch) {
                print_item("program", p.launch->program());
                for (const auto& a : p.launch->arguments())
                    print_item("arg", a);
            }
            return 0;
        }
        liftoff::child c;
        if (verb == "url") c = liftoff::open_url(first, opts);
        if (verb == "path") c = liftoff::open_path(first, opts);
        if (verb == "with") c = liftoff::open_with(first, rest, opts);
        if (verb == "reveal") c = liftoff::reveal(first, opts);
        const bool valid = c.valid();
        const bool running = c.running();
        std::printf("ok valid=%d running=%d\n", valid ? 1 : 0, running ? 1 : 0);
        if (wait_child) std::printf("status=%s\n", c.wait().to_string().c_str());
        return 0;
    } catch (const liftoff::launch_error& e) {
        return fail(e);
    }
}
