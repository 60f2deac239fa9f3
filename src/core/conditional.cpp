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
    nlohmann::ordered_json headers =
        nlohmann::ordered_json::parse(existing, nullptr, /*allow_exceptions=*/false);
    if (!headers.is_array()) headers = nlohmann::ordered_json::array();
    if (latest_event_us) headers.push_back({{"ETag", etag_for(*latest_event_us)}});
    headers.push_back({{"Cache-Control", kCacheControl}});
    headers.push_back({{"Vary", kVary}});
    return headers.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace traces
