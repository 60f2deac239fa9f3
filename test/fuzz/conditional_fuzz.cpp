// libFuzzer target: If-None-Match matching, the request.headers JSON lookup
// and the response.headers array, through the core and through the C bridge.
// Input: byte 0 picks latest_event_at (none, one of a few fixed instants, or
// the next 8 bytes as an int64); the rest is the payload, used as the header
// value, as raw request.headers JSON and as the existing response.headers.
// Nothing may crash or throw out of the bridge; results must be consistent.
#include "bridge/traces_bridge.h"
#include "core/conditional.h"
#include "core/rfc3339.h"

#include "../unit/test_support.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace {

using nlohmann::json;

[[noreturn]] void fail(const char* what, std::string_view detail) {
    std::fprintf(stderr, "conditional_fuzz: %s: '%.*s'\n", what, static_cast<int>(detail.size()), detail.data());
    std::abort();
}

void* alloc(size_t n) { return std::malloc(n); }

bool in_range(int64_t us) { return us >= traces::kRfc3339MinUs && us <= traces::kRfc3339MaxUs; }

size_t count(std::string_view s, char c) {
    size_t n = 0;
    for (char x : s) n += x == c;
    return n;
}

std::string lower(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

void check_matching(std::string_view header, std::optional<int64_t> latest) {
    const bool m = traces::if_none_match_matches(header, latest);
    // With no events only `*` can match.
    if (!latest && m && header.find('*') == std::string_view::npos) fail("matched without latest or *", header);
    const bool balanced = count(header, '"') % 2 == 0;
    if (balanced) {
        // More list elements never take a match away, and `*` always matches.
        if (m && !traces::if_none_match_matches(std::string(header) + ", x", latest))
            fail("appending an element lost the match", header);
        if (!traces::if_none_match_matches(std::string(header) + ", *", latest)) fail("`, *` did not match", header);
    }
    if (latest && in_range(*latest)) {
        const std::string etag = traces::etag_for(*latest);
        if (!traces::if_none_match_matches(etag + ", " + std::string(header), latest))
            fail("own ETag first in the list did not match", header);
        if (balanced && !traces::if_none_match_matches(std::string(header) + "," + etag, latest))
            fail("own ETag last in the list did not match", header);
    }
}

void check_request_headers(std::string_view payload, std::optional<int64_t> latest) {
    // The payload as raw request.headers JSON: any answer, but no crash.
    (void)traces::if_none_match_from_headers(payload);
    (void)tr_request_is_not_modified(payload.data(), payload.size(), latest.has_value(), latest.value_or(0));

    // The payload as the header's value inside well-formed JSON.
    std::string headers;
    try {
        headers = json{{"accept", "*/*"}, {"if-none-match", std::string(payload)}}.dump();
    } catch (const json::exception&) {
        return;  // not UTF-8: PostgREST could not have sent it
    }
    const auto got = traces::if_none_match_from_headers(headers);
    if (!got || *got != payload) fail("header value not read back", payload);
    const bool bridge = tr_request_is_not_modified(headers.data(), headers.size(), latest.has_value(),
                                                   latest.value_or(0));
    if (bridge != traces::if_none_match_matches(payload, latest)) fail("bridge and core disagree", payload);
}

void check_response_headers(std::string_view existing, std::optional<int64_t> latest) {
    tr_error err;
    char* out = tr_response_headers(existing.data(), existing.size(), latest.has_value(), latest.value_or(0),
                                    alloc, &err);
    if (!out) {
        if (latest && !in_range(*latest) && err.kind == TR_DATETIME_OVERFLOW) return;
        fail("response headers failed", err.message);
    }
    const std::string text(out);
    std::free(out);
    const json headers = json::parse(text, nullptr, false);
    if (!headers.is_array()) fail("response headers are not a JSON array", text);
    const size_t ours = latest ? 3 : 2;
    if (headers.size() < ours) fail("response headers too short", text);
    const size_t n = headers.size();
    if (headers[n - 1] != json{{"Vary", "Authorization"}}) fail("Vary is not last", text);
    if (headers[n - 2] != json{{"Cache-Control", "private, no-cache"}}) fail("Cache-Control not second last", text);
    if (latest && headers[n - 3] != json{{"ETag", traces::etag_for(*latest)}}) fail("ETag not third last", text);
    // Ours appear once: an earlier ETag or Cache-Control entry is dropped.
    for (size_t i = 0; i + ours < n; ++i) {
        const json& h = headers[i];
        if (h.is_object() && h.size() == 1) {
            const std::string name = lower(h.begin().key());
            if (name == "etag" || name == "cache-control") fail("duplicate ETag/Cache-Control kept", text);
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    std::optional<int64_t> latest;
    size_t skip = 1;
    switch (data[0] % 6) {
        case 0: break;  // no events yet
        case 1: latest = traces::kLatest; break;           // 2026-04-14T10:15:00Z
        case 2: latest = traces::kLatest + 250000; break;  // ...10:15:00.25Z
        case 3: latest = traces::kRfc3339MinUs; break;
        case 4: latest = traces::kRfc3339MaxUs; break;
        default:
            if (size < 9) return 0;
            int64_t v;
            std::memcpy(&v, data + 1, sizeof v);
            latest = v;
            skip = 9;
    }
    const std::string_view payload(reinterpret_cast<const char*>(data) + skip, size - skip);
    check_matching(payload, latest);
    check_request_headers(payload, latest);
    check_response_headers(payload, latest);
    return 0;
}
