// The hand-written renderer against a plain nlohmann::ordered_json DOM of
// the same document (the obvious way to write it), on random traces: the
// two must agree byte for byte, escaping and number formatting included.
#include "core/render.h"

#include "core/rfc3339.h"
#include "core/trace.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <random>
#include <string>
#include <utility>

namespace traces {
namespace {

using ordered_json = nlohmann::ordered_json;

ordered_json dom_items(const Trace& t, int32_t k) {
    ordered_json items = ordered_json::object();
    for (const KindSeries& ks : t.kinds) {
        if (k < ks.first_point) continue;
        const ItemTotals& v = ks.totals[static_cast<size_t>(k)];
        items[std::string(ks.kind)] = ordered_json{{"success", v.success}, {"failed", v.failed}};
    }
    return items;
}

std::string dump(const ordered_json& j) {
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string dom_trace(std::string_view job_id, const Trace& t) {
    ordered_json out = ordered_json::object();
    out["job_id"] = std::string(job_id);
    out["bucket_seconds"] = bucket_seconds(t.window);
    out["latest_event_at"] = t.latest_event_us ? ordered_json(format_rfc3339(*t.latest_event_us)) : ordered_json();
    ordered_json points = ordered_json::array();
    for (int32_t k = 0; k < t.window.n; ++k) {
        const size_t i = static_cast<size_t>(k);
        ordered_json p = ordered_json::object();
        p["t"] = format_rfc3339(point_time(t.window, k));
        p["step"] = t.files_completed[i] + t.files_failed[i];
        p["files"] = ordered_json{{"completed", t.files_completed[i]}, {"failed", t.files_failed[i]}};
        p["items"] = dom_items(t, k);
        points.push_back(std::move(p));
    }
    out["points"] = std::move(points);
    return dump(out);
}

TEST(RenderOracle, AgreesWithADomOnRandomTraces) {
    std::mt19937_64 rng(20261128);
    const std::vector<std::string> names = {"inference", "a", "Z", "\xc3\xa9", "quote\"back\\slash", "ctl\x01",
                                            "bad\xff", "emoji\xf0\x9f\x99\x82"};
    for (int round = 0; round < 300; ++round) {
        const int64_t start = static_cast<int64_t>(rng() % 4000000000ULL) * 1000000 - 1000000000000000LL;
        const int64_t span = 1 + static_cast<int64_t>(rng() % 100000000000ULL);
        const int32_t n = 10 + static_cast<int32_t>(rng() % 991);
        TraceBuilder b(make_window(start, start + span, n));
        const int files = static_cast<int>(rng() % 20);
        for (int f = 0; f < files; ++f) b.add_file(start + static_cast<int64_t>(rng() % (2 * span)) - span / 2, rng() % 3 == 0);
        const size_t kinds = rng() % (names.size() + 1);
        for (size_t kk = 0; kk < kinds; ++kk) {
            ProgressRow r;
            r.input_is_null = true;
            r.kind = names[(kk + static_cast<size_t>(round)) % names.size()];
            const int rows = 1 + static_cast<int>(rng() % 5);
            int64_t at = start + static_cast<int64_t>(rng() % static_cast<uint64_t>(span));
            for (int i = 0; i < rows; ++i) {
                at += static_cast<int64_t>(rng() % 1000000);
                r.created_at_us = at;
                r.success = static_cast<int64_t>(rng() % 1000000000000ULL);
                r.failed = static_cast<int64_t>(rng() % 1000);
                b.add_progress(r);
            }
        }
        const Trace t = std::move(b).finish();
        const std::string job_id = round % 2 ? "job_" + std::to_string(round) : names[static_cast<size_t>(round) % names.size()];
        ASSERT_EQ(render_trace_json(job_id, t), dom_trace(job_id, t)) << "round " << round;
        for (int32_t k = 0; k < t.window.n; k += 7) ASSERT_EQ(render_items_json(t, k), dump(dom_items(t, k)));
    }
}

}  // namespace
}  // namespace traces
