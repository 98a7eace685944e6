// tests/fuzz/fuzz_url.cpp: libFuzzer harness for the URL check of open_url() and the file: URI
// of reveal(): no crash, and the properties open_url() relies on for whatever passes.
// SPDX-License-Identifier: MIT
#include "fuzz.hpp"

namespace d = liftoff::detail;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string url(reinterpret_cast<const char*>(data), size);
    static const std::vector<std::string> web{"http", "https", "mailto"};
    static const std::vector<std::string> many{"http", "https", "mailto", "file", "ftp", "web+x", "FTP"};

    const liftoff::failure strict = d::check_url(url, web);
    const liftoff::failure lax = d::check_url(url, many, true);
    if (strict) FUZZ_CHECK(strict.code == liftoff::errc::unsafe_url && !strict.message.empty(), url);
    // More schemes and attachments allowed never refuse what the stricter check passed.
    if (!strict) FUZZ_CHECK(!lax, url);
    if (!lax) {
        const std::string_view scheme = d::url_scheme(url);
        FUZZ_CHECK(!scheme.empty(), url);
        FUZZ_CHECK(url.front() != '-', url);
        for (const char c : url)
            FUZZ_CHECK(d::is_url_char(c), url);
        if (d::iequals(scheme, "http") || d::iequals(scheme, "https"))
            FUZZ_CHECK(!d::url_host(url.substr(scheme.size() + 1)).empty(), url);
        // What is handed on: the scheme in lowercase, the rest as given, and still acceptable.
        const std::string handed = d::with_lowercase_scheme(url);
        FUZZ_CHECK(handed.size() == url.size(), url);
        FUZZ_CHECK(handed.compare(scheme.size(), std::string::npos, url, scheme.size(), std::string::npos) == 0, url);
        FUZZ_CHECK(d::iequals(d::url_scheme(handed), scheme), url);
        FUZZ_CHECK(!d::check_url(handed, many, true), url);
    }
    if (!strict && d::iequals(d::url_scheme(url), "mailto"))
        FUZZ_CHECK(d::mailto_attachment_field(url.substr(7)).empty(), url);

    // A file: URI holds only unreserved characters, '/' and %XX, and decodes back to the path.
    const std::string path = "/" + url;
    const std::string uri = d::file_uri(path);
    for (std::size_t i = 7; i < uri.size(); ++i)
        FUZZ_CHECK(d::is_url_unreserved(uri[i]) || uri[i] == '/' || uri[i] == '%', url);
    FUZZ_CHECK(d::percent_decode(uri) == "file://" + path, url);
    FUZZ_CHECK(!d::check_url(uri, many), url);
    return 0;
}
