#include "render.h"

#include "rfc3339.h"

#include <nlohmann/json.hpp>

namespace traces {
namespace {

using ordered_json = nlohmann::ordered_json;

ordered_json items_object(const Trace& trace, int32_t k) {
    ordered_json items = ordered_json::object();
    for (const KindSeries& ks : trace.kinds) {  // already in byte order
        if (k < ks.first_point) continue;
        const ItemTotals& v = ks.totals[static_cast<size_t>(k)];
        ordered_json counts = ordered_json::object();
        counts["success"] = v.success;
        counts["failed"] = v.failed;
        items[ks.kind] = std::move(counts);
    }
    return items;
}

// Strings from the database are valid in its encoding; under SQL_ASCII they
// may not be UTF-8, and a malformed byte must not fail the whole answer.
std::string dump(const ordered_json& j) {
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

std::string render_items_json(const Trace& trace, int32_t k) { return dump(items_object(trace, k)); }

std::string render_trace_json(std::string_view job_id, const Trace& trace) {
    ordered_json out = ordered_json::object();
    out["job_id"] = std::string(job_id);
    out["bucket_seconds"] = bucket_seconds(trace.window);
    if (trace.latest_event_us)
        out["latest_event_at"] = format_rfc3339(*trace.latest_event_us);
    else
        out["latest_event_at"] = nullptr;
    ordered_json points = ordered_json::array();
    for (int32_t k = 0; k < trace.window.n; ++k) {
        const size_t i = static_cast<size_t>(k);
        ordered_json p = ordered_json::object();
        p["t"] = format_rfc3339(point_time(trace.window, k));
        p["step"] = trace.files_completed[i] + trace.files_failed[i];
        ordered_json files = ordered_json::object();
        files["completed"] = trace.files_completed[i];
        files["failed"] = trace.files_failed[i];
        p["files"] = std::move(files);
        p["items"] = items_object(trace, k);
        points.push_back(std::move(p));
    }
    out["points"] = std::move(points);
    return dump(out);
}

}  // namespace traces
