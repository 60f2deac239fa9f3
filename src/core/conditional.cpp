#include "conditional.h"

#include "rfc3339.h"

#include <nlohmann/json.hpp>

namespace traces {
namespace {

// Browsers and proxies must revalidate each time (the chart moves while the
// job runs) and never share one tenant's answer with another.
constexpr const char* kCacheControl = "private, no-cache";
constexpr const char* kVary = "Authorization";

bool is_ows(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
    return s;
}

// One list element: W/"x", "x", or a bare token; returns the comparable part.
std::optional<std::string_view> opaque_value(std::string_view element) {
    if (element.size() >= 2 && element[0] == 'W' && element[1] == '/') element.remove_prefix(2);
    if (!element.empty() && element.front() == '"') {
        if (element.size() < 2 || element.back() != '"') return std::nullopt;
        element = element.substr(1, element.size() - 2);
        if (element.find('"') != std::string_view::npos) return std::nullopt;
        return element;
    }
    for (char c : element)
        if (c == '"' || is_ows(c)) return std::nullopt;
    return element;
}

// Whether JSON text nests arrays/objects deeper than `limit`. nlohmann's
// dump() recurses once per level, so a value nested a few hundred thousand
// levels deep (response.headers is settable by any SQL caller) would overflow
// the stack; PostgREST only accepts an array of flat objects anyway.
bool nested_deeper_than(std::string_view json, int limit) {
    int depth = 0;
    bool in_string = false, escaped = false;
    for (char c : json) {
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > limit) return true;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return false;
}

constexpr int kMaxExistingDepth = 64;

// Header names compare case-insensitively (RFC 9110 §5.1).
bool is_ours(const std::string& name) {
    std::string lower;
    for (char c : name) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return lower == "etag" || lower == "cache-control";
}

}  // namespace

std::optional<std::string> if_none_match_from_headers(std::string_view headers_json) {
    nlohmann::json headers = nlohmann::json::parse(headers_json, nullptr, /*allow_exceptions=*/false);
    if (!headers.is_object()) return std::nullopt;
    auto it = headers.find("if-none-match");
    if (it == headers.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
}

std::string etag_for(int64_t latest_event_us) { return "W/\"" + format_rfc3339(latest_event_us) + "\""; }

bool if_none_match_matches(std::string_view header, std::optional<int64_t> latest_event_us) {
    // Split on commas outside quotes; empty elements are allowed and skipped.
    size_t begin = 0;
    bool quoted = false;
    for (size_t i = 0; i <= header.size(); ++i) {
        if (i < header.size() && header[i] == '"') quoted = !quoted;
        if (i < header.size() && (header[i] != ',' || quoted)) continue;
        std::string_view element = trim(header.substr(begin, i - begin));
        begin = i + 1;
        if (element.empty()) continue;
        if (element == "*") return true;
        if (!latest_event_us) continue;
        auto value = opaque_value(element);
        if (!value) continue;
        auto at = parse_rfc3339(*value);
        if (at && *at == *latest_event_us) return true;
    }
    return false;
}

std::string response_headers_json(std::string_view existing, std::optional<int64_t> latest_event_us) {
    nlohmann::ordered_json headers;
    if (!nested_deeper_than(existing, kMaxExistingDepth))
        headers = nlohmann::ordered_json::parse(existing, nullptr, /*allow_exceptions=*/false);
    if (!headers.is_array()) headers = nlohmann::ordered_json::array();
    // PostgREST sends every entry of the array, so an ETag or Cache-Control
    // set earlier (say by a pre-request function) would go out twice; the
    // trace owns both. Vary is a list field: repeating it is fine.
    nlohmann::ordered_json kept = nlohmann::ordered_json::array();
    for (auto& entry : headers)
        if (!(entry.is_object() && entry.size() == 1 && is_ours(entry.begin().key())))
            kept.push_back(std::move(entry));
    headers = std::move(kept);
    if (latest_event_us) headers.push_back({{"ETag", etag_for(*latest_event_us)}});
    headers.push_back({{"Cache-Control", kCacheControl}});
    headers.push_back({{"Vary", kVary}});
    return headers.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace traces
