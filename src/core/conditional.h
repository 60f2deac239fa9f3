// HTTP conditional requests as PostgREST hands them to SQL (docs/contract.md §4.3-§4.4):
// reading If-None-Match out of `request.headers`, RFC 9110 weak comparison
// against the trace's ETag, and the `response.headers` value to set.
#pragma once
#include "no_postgres.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace traces {

// The value of "if-none-match" in PostgREST's request.headers JSON object,
// or nullopt when absent, not a string, or the JSON is malformed.
std::optional<std::string> if_none_match_from_headers(std::string_view headers_json);

// W/"<latest_event_at in RFC 3339>"; throws as format_rfc3339 does.
std::string etag_for(int64_t latest_event_us);

// RFC 9110 §13.1.2 with weak comparison: `*` matches any existing trace; a
// list element matches when its opaque tag (W/ and quotes removed) or a bare
// unquoted value is an RFC 3339 time equal to latest_event_at. Malformed
// elements never match and never fail.
bool if_none_match_matches(std::string_view header, std::optional<int64_t> latest_event_us);

// The response.headers array to set: `existing` (a JSON array PostgREST or a
// pre-request function may already hold; ignored unless it is one, nested at
// most 64 levels deep) without its ETag and Cache-Control entries (names
// compared case-insensitively), followed by ETag (when given), Cache-Control
// and Vary. Throws as etag_for does.
std::string response_headers_json(std::string_view existing, std::optional<int64_t> latest_event_us);

}  // namespace traces
