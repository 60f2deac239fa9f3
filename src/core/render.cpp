// The document's shape is fixed, so it is written straight out; nlohmann_json
// only escapes strings (job id, kinds). Building a DOM of ~10 nodes per
// point first cost more than reading the rows on small jobs (60% of a
// 1000-point trace of a 5,000-row job, measured with perf).
#include "render.h"

#include "rfc3339.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <system_error>

namespace traces {
namespace {

using json = nlohmann::json;

// Strings from the database are valid in its encoding; under SQL_ASCII they
// may not be UTF-8, and a malformed byte must not fail the whole answer.
std::string json_string(std::string_view s) {
    return json(std::string(s)).dump(-1, ' ', false, json::error_handler_t::replace);
}

void put_int(Sink& out, int64_t v) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.put(std::string_view(buf, static_cast<size_t>(r.ptr - buf)));
}

}  // namespace

void Sink::put(std::string_view s) {
    if (buffer_) {
        if (capacity_ - size_ < s.size()) throw std::logic_error("rendered text longer than its measured size");
        std::memcpy(buffer_ + size_, s.data(), s.size());
    }
    size_ += s.size();
}

// The shortest significant digits come from to_chars in scientific form
// (without a precision it writes the fewest digits that read back as v,
// the closest to v among them); they are then moved into fixed notation
// here. to_chars's own fixed form is not the same thing: for a double past
// 2^53 it writes the exact integer, all 17+ non-zero digits, where
// PostgreSQL and JavaScript print the shortest digits (then zeros).
void put_double(Sink& out, double v) {
    if (!std::isfinite(v)) throw std::logic_error("a non-finite number cannot be written as JSON");
    char sci[32];  // "-d.dddddddddddddddde-308"
    const auto r = std::to_chars(sci, sci + sizeof sci, v, std::chars_format::scientific);
    if (r.ec != std::errc()) throw std::logic_error("a double did not fit its buffer");
    const std::string_view text(sci, static_cast<size_t>(r.ptr - sci));
    const size_t e = text.find('e');
    const bool negative = text[0] == '-';
    std::string_view mantissa = text.substr(negative ? 1 : 0, e - (negative ? 1 : 0));
    char digits[20];  // at most 17 significant digits
    size_t count = 0;
    for (const char c : mantissa)
        if (c != '.') digits[count++] = c;
    int exponent = 0;
    std::from_chars(text.data() + e + (text[e + 1] == '+' ? 2 : 1), text.data() + text.size(), exponent);
    const std::string_view sig(digits, count);

    if (negative) out.put('-');
    if (exponent < 0) {  // 0.000ddd
        out.put("0.");
        for (int i = -1; i > exponent; --i) out.put('0');
        out.put(sig);
        return;
    }
    const size_t whole = static_cast<size_t>(exponent) + 1;  // digits before the point
    if (whole >= count) {  // ddd000.0
        out.put(sig);
        for (size_t i = count; i < whole; ++i) out.put('0');
        out.put(".0");
        return;
    }
    out.put(sig.substr(0, whole));  // ddd.ddd
    out.put('.');
    out.put(sig.substr(whole));
}

TraceJson::TraceJson(const Trace& trace, std::pmr::memory_resource* memory) : trace_(trace), keys_(memory) {
    keys_.reserve(trace.kinds.size());
    for (const KindSeries& ks : trace.kinds) {
        const std::string key = json_string(ks.kind);
        keys_.emplace_back(key.data(), key.size());  // takes the vector's memory
    }
}

void TraceJson::render_items(int32_t k, Sink& out) const {
    if (k < 0 || k >= trace_.window.n) throw std::logic_error("point index out of range");
    out.put('{');
    bool first = true;
    for (size_t i = 0; i < trace_.kinds.size(); ++i) {  // already in byte order
        const KindSeries& ks = trace_.kinds[i];
        if (k < ks.first_point) continue;
        const ItemTotals& v = ks.totals[static_cast<size_t>(k)];
        if (!first) out.put(',');
        first = false;
        out.put(keys_[i]);
        out.put(":{\"success\":");
        put_int(out, v.success);
        out.put(",\"failed\":");
        put_int(out, v.failed);
        out.put('}');
    }
    out.put('}');
}

void TraceJson::render(std::string_view job_id, int32_t from, int32_t to, Sink& out) const {
    const Trace& t = trace_;
    if (from < 0 || to < from || to > t.window.n) throw std::logic_error("point range out of range");
    if (from == 0) {
        out.put("{\"job_id\":");
        out.put(json_string(job_id));
        out.put(",\"bucket_seconds\":");
        put_double(out, bucket_seconds(t.window));
        out.put(",\"latest_event_at\":");
        out.put(t.latest_event_us ? json_string(format_rfc3339(*t.latest_event_us)) : "null");
        out.put(",\"points\":[");
    }
    for (int32_t k = from; k < to; ++k) {
        const size_t i = static_cast<size_t>(k);
        if (k > 0) out.put(',');
        out.put("{\"t\":\"");
        out.put(format_rfc3339(point_time(t.window, k)));  // digits, '-', ':', '.', 'T', 'Z' only
        out.put("\",\"step\":");
        put_int(out, t.files_completed[i] + t.files_failed[i]);
        out.put(",\"files\":{\"completed\":");
        put_int(out, t.files_completed[i]);
        out.put(",\"failed\":");
        put_int(out, t.files_failed[i]);
        out.put("},\"items\":");
        render_items(k, out);
        out.put('}');
    }
    if (to == t.window.n) out.put("]}");
}

namespace {

template <typename Render>
std::string sized(Render&& render) {
    Sink measure;
    render(measure);
    std::string s(measure.size(), '\0');
    Sink write(s.data(), s.size());
    render(write);
    return s;
}

}  // namespace

std::string render_trace_json(std::string_view job_id, const Trace& trace) {
    const TraceJson doc(trace);
    return sized([&](Sink& out) { doc.render(job_id, 0, trace.window.n, out); });
}

std::string render_items_json(const Trace& trace, int32_t k) {
    const TraceJson doc(trace);
    return sized([&](Sink& out) { doc.render_items(k, out); });
}

}  // namespace traces
