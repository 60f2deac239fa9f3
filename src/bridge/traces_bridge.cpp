// Exception firewall between the C++ core and PostgreSQL's C glue: each
// function body runs inside guarded() (guarded.h), which turns any exception
// into a tr_error (message copied into the caller's fixed buffer).
#include "traces_bridge.h"

#include "guarded.h"
#include "memory.h"

#include "../core/chart.h"
#include "../core/conditional.h"
#include "../core/metrics.h"
#include "../core/throughput.h"
#include "../core/render.h"
#include "../core/timeline_trace.h"
#include "../core/trace.h"
#include "../core/window.h"

#include <cstring>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

// Built from rows (builder) or from the timeline's per-point values
// (assembler), then finished once: finishing consumes either (finish() &&),
// so exactly one of the three is set, except after a finish that failed,
// when none is. Everything, the struct included, lives in the caller's
// memory (tr_memory).
struct tr_trace {
    traces::bridge::CallbackResource resource;          // first, so destroyed last
    traces::Window window;
    std::optional<traces::TraceBuilder> builder;        // until tr_trace_finish
    std::optional<traces::TimelineAssembler> assembler;  // the same, from the timeline
    std::optional<traces::Trace> trace;                 // set by tr_trace_finish
    std::optional<traces::TraceJson> json;              // set with trace, reads it
    tr_trace(const tr_memory* memory, traces::Window w, bool from_timeline) : resource(memory), window(w) {
        if (from_timeline)
            assembler.emplace(w, &resource);
        else
            builder.emplace(w, &resource);
    }
};

static_assert(TR_MAX_ANSWER_BYTES == traces::kMaxAnswerBytes, "one bound, stated twice");

namespace {

using traces::bridge::guarded;

char* copy_out(const std::string& s, tr_alloc_fn alloc, size_t* len) {
    char* out = static_cast<char*>(alloc(s.size() + 1));
    if (!out) throw std::bad_alloc();
    std::memcpy(out, s.data(), s.size());
    out[s.size()] = '\0';
    if (len) *len = s.size();
    return out;
}

// Misuse of this API by the glue is a bug: std::logic_error, so TR_INTERNAL.
traces::TraceBuilder& building(tr_trace* t) {
    if (!t->builder) throw std::logic_error("trace used after tr_trace_finish");
    return *t->builder;
}

traces::TimelineAssembler& assembling(tr_trace* t) {
    if (!t->assembler) throw std::logic_error("trace used after tr_trace_finish, or not built from the timeline");
    return *t->assembler;
}

const traces::TraceJson& finished(const tr_trace* t) {
    if (!t->json) throw std::logic_error("trace read before tr_trace_finish");
    return *t->json;
}

void check_point(const traces::Trace& t, int32_t k) {
    if (k < 0 || k >= t.window.n) throw std::logic_error("point index out of range");
}

// Measures (buf NULL) or writes one part of the answer (see tr_trace_json_part).
template <typename Render>
void measure_or_write(char* buf, size_t capacity, size_t* len, Render&& render) {
    traces::Sink out = buf ? traces::Sink(buf, capacity) : traces::Sink();
    render(out);
    *len = out.size();
}

const traces::KindSeries& kind_at(const traces::Trace& t, int32_t i) {
    if (i < 0 || static_cast<size_t>(i) >= t.kinds.size()) throw std::logic_error("kind index out of range");
    return t.kinds[static_cast<size_t>(i)];
}

traces::Window zoomed(int64_t start_us, int64_t end_us, int32_t n, const tr_zoom* zoom) {
    const traces::Window job = traces::make_window(start_us, end_us, n);
    return traces::zoom_window(job, zoom->has_from ? std::optional<int64_t>(zoom->from_us) : std::nullopt,
                               zoom->has_to ? std::optional<int64_t>(zoom->to_us) : std::nullopt);
}

// The trace over `w`, the struct itself in `memory` too.
tr_trace* create_in(const tr_memory* memory, const traces::Window& w, bool from_timeline = false) {
    traces::bridge::CallbackResource resource(memory);
    void* p = resource.allocate(sizeof(tr_trace), alignof(tr_trace));
    try {
        return new (p) tr_trace(memory, w, from_timeline);
    } catch (...) {
        resource.deallocate(p, sizeof(tr_trace), alignof(tr_trace));
        throw;
    }
}

}  // namespace

extern "C" {

int32_t tr_clamp_buckets(bool is_null, int64_t requested) {
    return traces::clamp_buckets(is_null ? std::nullopt : std::optional<int64_t>(requested));
}

tr_trace* tr_trace_create(int64_t start_us, int64_t end_us, int32_t n, const tr_memory* memory, tr_error* err) {
    tr_trace* t = nullptr;
    guarded(err, [&] { t = create_in(memory, traces::make_window(start_us, end_us, n)); });
    return t;
}

void tr_trace_free(tr_trace* trace) {  // destructors here do not throw
    if (!trace) return;
    traces::bridge::CallbackResource resource(trace->resource.memory());
    trace->~tr_trace();
    resource.deallocate(trace, sizeof(tr_trace), alignof(tr_trace));
}

bool tr_trace_add_files(tr_trace* trace, const int64_t* completed_at_us, const bool* failed,
                        size_t count, tr_error* err) {
    return guarded(err, [&] {
        traces::TraceBuilder& builder = building(trace);
        for (size_t i = 0; i < count; ++i) builder.add_file(completed_at_us[i], failed[i]);
    });
}

bool tr_trace_add_progress(tr_trace* trace, const tr_progress_row* rows, size_t count, tr_error* err) {
    return guarded(err, [&] {
        traces::TraceBuilder& builder = building(trace);
        for (size_t i = 0; i < count; ++i) {
            const tr_progress_row& r = rows[i];
            traces::ProgressRow row;
            row.input_is_null = r.input_is_null;
            if (!r.input_is_null) row.input_id = std::string_view(r.input_id, r.input_len);
            row.kind = std::string_view(r.kind, r.kind_len);
            row.created_at_us = r.created_at_us;
            row.success = r.success;
            row.failed = r.failed;
            builder.add_progress(row);
        }
    });
}

bool tr_trace_finish(tr_trace* trace, tr_error* err) {
    return guarded(err, [&] {
        // Taken out first, so that even a finish that throws leaves no
        // half-finished builder behind to be used again.
        if (trace->assembler) {
            traces::TimelineAssembler assembler = std::move(*trace->assembler);
            trace->assembler.reset();
            trace->trace = std::move(assembler).finish();
        } else {
            traces::TraceBuilder builder = std::move(building(trace));
            trace->builder.reset();
            trace->trace = std::move(builder).finish();
        }
        trace->json.emplace(*trace->trace, &trace->resource);
    });
}

int32_t tr_trace_points(const tr_trace* trace) { return trace->json ? trace->trace->window.n : 0; }

bool tr_trace_json_part(const tr_trace* trace, const char* job_id, size_t job_id_len, int32_t from,
                        int32_t to, char* buf, size_t capacity, size_t* len, tr_error* err) {
    return guarded(err, [&] {
        const traces::TraceJson& doc = finished(trace);
        measure_or_write(buf, capacity, len, [&](traces::Sink& out) {
            doc.render(std::string_view(job_id, job_id_len), from, to, out);
        });
    });
}

bool tr_trace_point(const tr_trace* trace, int32_t k, tr_point* out, tr_error* err) {
    return guarded(err, [&] {
        const traces::Trace& t = finished(trace).trace();
        check_point(t, k);
        const size_t i = static_cast<size_t>(k);
        out->t_us = traces::point_time(t.window, k);
        out->files_completed = t.files_completed[i];
        out->files_failed = t.files_failed[i];
        out->step = out->files_completed + out->files_failed;
    });
}

bool tr_trace_point_items(const tr_trace* trace, int32_t k, char* buf, size_t capacity, size_t* len,
                          tr_error* err) {
    return guarded(err, [&] {
        const traces::TraceJson& doc = finished(trace);
        measure_or_write(buf, capacity, len, [&](traces::Sink& out) { doc.render_items(k, out); });
    });
}

bool tr_zoom_check(int64_t start_us, int64_t end_us, const tr_zoom* zoom, tr_error* err) {
    // Any n will do: the window's bounds do not depend on it.
    return guarded(err, [&] { zoomed(start_us, end_us, traces::kMinBuckets, zoom); });
}

tr_trace* tr_trace_create_zoomed(int64_t start_us, int64_t end_us, int32_t n, const tr_zoom* zoom,
                                 const tr_memory* memory, tr_error* err) {
    tr_trace* t = nullptr;
    guarded(err, [&] { t = create_in(memory, zoomed(start_us, end_us, n, zoom)); });
    return t;
}

tr_trace* tr_timeline_create_zoomed(int64_t start_us, int64_t end_us, int32_t n, const tr_zoom* zoom,
                                    const tr_memory* memory, tr_error* err) {
    tr_trace* t = nullptr;
    guarded(err, [&] { t = create_in(memory, zoomed(start_us, end_us, n, zoom), true); });
    return t;
}

int32_t tr_timeline_points(const tr_trace* trace) { return trace->window.n; }

bool tr_timeline_probe_time(const tr_trace* trace, int32_t k, int64_t* t_us, bool* every_row, tr_error* err) {
    return guarded(err, [&] {
        const traces::Window& w = trace->window;
        if (k < 0 || k >= w.n) throw std::logic_error("point index out of range");
        // The last point takes every row when events after the end count there (contract §2.5).
        *every_row = k == w.n - 1 && w.late_events_count;
        *t_us = traces::point_time(w, k);
    });
}

bool tr_timeline_set_latest(tr_trace* trace, bool has_latest, int64_t latest_us, tr_error* err) {
    return guarded(err, [&] {
        assembling(trace).set_latest_event(has_latest ? std::optional<int64_t>(latest_us) : std::nullopt);
    });
}

bool tr_timeline_add(tr_trace* trace, const tr_timeline_value* values, size_t count, tr_error* err) {
    return guarded(err, [&] {
        traces::TimelineAssembler& a = assembling(trace);
        for (size_t i = 0; i < count; ++i) {
            const tr_timeline_value& v = values[i];
            if (v.kind == nullptr) {
                a.set_files(v.point, v.success, v.failed);
                continue;
            }
            std::optional<traces::StoredTotals> totals;
            if (v.found) totals = traces::StoredTotals{v.success, v.failed, v.fits};
            a.add_kind_point(std::string_view(v.kind, v.kind_len), v.point, totals);
        }
    });
}

int32_t tr_clamp_chart_width(bool is_null, int64_t requested) {
    return traces::clamp_chart_width(is_null ? std::nullopt : std::optional<int64_t>(requested));
}

int32_t tr_clamp_chart_panel_height(bool is_null, int64_t requested) {
    return traces::clamp_chart_panel_height(is_null ? std::nullopt : std::optional<int64_t>(requested));
}

char* tr_trace_render_svg(const tr_trace* trace, const char* job_id, size_t job_id_len, int32_t width,
                          int32_t panel_height, tr_alloc_fn alloc, size_t* len, tr_error* err) {
    char* out = nullptr;
    guarded(err, [&] {
        out = copy_out(traces::render_chart_svg(std::string_view(job_id, job_id_len), finished(trace).trace(), width,
                                                panel_height),
                       alloc, len);
    });
    return out;
}

int32_t tr_trace_kinds(const tr_trace* trace) {
    return trace->json ? static_cast<int32_t>(trace->trace->kinds.size()) : 0;
}

bool tr_trace_kind(const tr_trace* trace, int32_t i, const char** name, size_t* len, int32_t* first_point,
                   tr_error* err) {
    return guarded(err, [&] {
        const traces::KindSeries& ks = kind_at(finished(trace).trace(), i);
        *name = ks.kind.data();
        *len = ks.kind.size();
        *first_point = ks.first_point;
    });
}

bool tr_trace_kind_totals(const tr_trace* trace, int32_t i, int32_t k, int64_t* success, int64_t* failed,
                          tr_error* err) {
    return guarded(err, [&] {
        const traces::Trace& t = finished(trace).trace();
        check_point(t, k);
        const traces::ItemTotals& v = kind_at(t, i).totals[static_cast<size_t>(k)];
        *success = v.success;
        *failed = v.failed;
    });
}

bool tr_parse_count(const char* text, size_t len, int64_t* value, const char** problem) {
    traces::CountParse r{false, 0, "could not be read"};
    guarded(nullptr, [&] { r = traces::parse_count(std::string_view(text, len)); });
    *value = r.value;
    *problem = r.problem;
    return r.ok;
}

bool tr_request_is_not_modified(const char* headers_json, size_t len, bool has_latest, int64_t latest_us) {
    bool match = false;
    // Any failure to read the header means "no match": never an error.
    guarded(nullptr, [&] {
        auto header = traces::if_none_match_from_headers(std::string_view(headers_json, len));
        if (header)
            match = traces::if_none_match_matches(*header,
                                                  has_latest ? std::optional<int64_t>(latest_us) : std::nullopt);
    });
    return match;
}

char* tr_response_headers(const char* existing, size_t existing_len, bool has_latest, int64_t latest_us,
                          tr_alloc_fn alloc, tr_error* err) {
    char* out = nullptr;
    guarded(err, [&] {
        out = copy_out(traces::response_headers_json(existing ? std::string_view(existing, existing_len)
                                                              : std::string_view(),
                                                     has_latest ? std::optional<int64_t>(latest_us)
                                                                : std::nullopt),
                       alloc, nullptr);
    });
    return out;
}

char* tr_throughput_json(int64_t window_start_us, int64_t window_end_us, int64_t now_us, int64_t files,
                         double items, int64_t remaining, bool terminal, tr_alloc_fn alloc, tr_error* err) {
    char* out = nullptr;
    guarded(err, [&] {
        traces::ThroughputInput in;
        in.window_start_us = window_start_us;
        in.window_end_us = window_end_us;
        in.now_us = now_us;
        in.files = files;
        in.items = items;
        in.remaining = remaining;
        in.terminal = terminal;
        out = copy_out(traces::throughput_json(traces::estimate_throughput(in)), alloc, nullptr);
    });
    return out;
}

}  // extern "C"
