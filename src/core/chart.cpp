// The SVG is written straight into one string, like the JSON (render.cpp): its shape is
// fixed, and the only texts from the data (job id, kinds) go through xml_escape. Numbers
// are written with std::to_chars, which does not depend on the locale, so the bytes depend
// on the trace and the two sizes alone.
#include "chart.h"

#include "chart_axes.h"
#include "error.h"
#include "rfc3339.h"
#include "xml_text.h"

#include <algorithm>
#include <charconv>
#include <stdexcept>
#include <vector>

namespace traces {
namespace {

// Rough glyph widths (px) of the fonts used, to elide texts before they run out of room.
constexpr int32_t kTitleGlyph = 8, kCaptionGlyph = 7;
// Minimum room per tick label: "2026-04-14" or "10:15:30.5" at 11 px, and a gap.
constexpr int32_t kTimeTickRoom = 90, kCountTickRoom = 32;

const char kStyle[] =
    "<style>"
    ".bg{fill:#ffffff}"
    "text{fill:#1f2328;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:11px}"
    ".title{font-size:14px;font-weight:600}"
    ".caption{font-size:12px;font-weight:600}"
    ".grid{stroke:#d0d7de;stroke-width:1}"
    ".axis{stroke:#57606a;stroke-width:1}"
    ".s0,.s1{fill:none;stroke-width:2;stroke-linejoin:round;stroke-linecap:round}"
    ".s0{stroke:#0969da}.s1{stroke:#cf222e}.k0{fill:#0969da}.k1{fill:#cf222e}"
    "@media (prefers-color-scheme:dark){"
    ".bg{fill:#0d1117}text{fill:#e6edf3}.grid{stroke:#30363d}.axis{stroke:#8b949e}"
    ".s0{stroke:#58a6ff}.s1{stroke:#ff7b72}.k0{fill:#58a6ff}.k1{fill:#ff7b72}}"
    "</style>";

void append_int(std::string& out, int64_t v) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

// Coordinates with two decimals: 1/100 px is finer than any screen, and fixed notation
// keeps the text short and identical everywhere.
void append_px(std::string& out, double v) {
    char buf[48];
    auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 2);
    out.append(buf, r.ptr);
}

// One panel: a name and two series (completed/failed, or success/failed) from a point on.
struct Panel {
    std::string name;       // raw text from the data, for the caption
    std::string first_name, second_name;
    std::vector<int64_t> first, second;
    int32_t from = 0;
};

std::vector<Panel> panels_of(const Trace& trace) {
    std::vector<Panel> panels;
    panels.reserve(1 + trace.kinds.size());
    panels.push_back(Panel{"files", "completed", "failed",
                           {trace.files_completed.begin(), trace.files_completed.end()},
                           {trace.files_failed.begin(), trace.files_failed.end()}, 0});
    for (const KindSeries& ks : trace.kinds) {
        Panel p{std::string(ks.kind), "success", "failed", {}, {}, ks.first_point};
        p.first.reserve(ks.totals.size());
        p.second.reserve(ks.totals.size());
        for (const ItemTotals& v : ks.totals) {
            p.first.push_back(v.success);
            p.second.push_back(v.failed);
        }
        panels.push_back(std::move(p));
    }
    return panels;
}

int64_t max_from(const Panel& p) {
    int64_t m = 0;
    for (size_t k = static_cast<size_t>(p.from); k < p.first.size(); ++k)
        m = std::max({m, p.first[k], p.second[k]});
    return m;
}

std::string latest_text(const Trace& trace) {
    return trace.latest_event_us ? format_rfc3339(*trace.latest_event_us) : std::string("none yet");
}

class SvgWriter {
public:
    SvgWriter(std::string_view job_id, const Trace& trace, const ChartLayout& layout)
        : job_id_(job_id), trace_(trace), layout_(layout) {}

    std::string write(size_t reserve) {
        out_.reserve(reserve);
        const std::vector<Panel> panels = panels_of(trace_);
        x_ = point_x();
        ticks_ = time_ticks(trace_.window.start_us, trace_.window.end_us,
                            std::max(1, layout_.plot_width() / kTimeTickRoom));
        head(panels);
        for (int32_t p = 0; p < layout_.panels; ++p) panel(p, panels[static_cast<size_t>(p)]);
        foot();
        return std::move(out_);
    }

private:
    double x_of(int64_t t) const {
        const Window& w = trace_.window;
        return kChartLeft + static_cast<double>(t - w.start_us) * layout_.plot_width() / static_cast<double>(w.span_us());
    }

    // Each point's x, written once for all panels.
    std::vector<std::string> point_x() const {
        std::vector<std::string> xs(static_cast<size_t>(trace_.window.n));
        for (int32_t k = 0; k < trace_.window.n; ++k) append_px(xs[static_cast<size_t>(k)], x_of(point_time(trace_.window, k)));
        return xs;
    }

    void text(int32_t x, int32_t y, const char* attrs, const std::string& escaped) {
        out_ += "<text x=\"";
        append_int(out_, x);
        out_ += "\" y=\"";
        append_int(out_, y);
        out_ += '"';
        out_ += attrs;
        out_ += '>';
        out_ += escaped;
        out_ += "</text>";
    }

    void line(const char* cls, double x1, double y1, double x2, double y2) {
        out_ += "<line class=\"";
        out_ += cls;
        out_ += "\" x1=\"";
        append_px(out_, x1);
        out_ += "\" y1=\"";
        append_px(out_, y1);
        out_ += "\" x2=\"";
        append_px(out_, x2);
        out_ += "\" y2=\"";
        append_px(out_, y2);
        out_ += "\"/>";
    }

    void head(const std::vector<Panel>& panels) {
        const std::string w = std::to_string(layout_.width), h = std::to_string(layout_.height());
        const std::string id = xml_clean(job_id_), latest = latest_text(trace_);
        out_ += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + w +
                "\" height=\"" + h + "\" viewBox=\"0 0 " + w + " " + h +
                "\" role=\"img\" aria-labelledby=\"chart-title chart-desc\">";
        out_ += "<title id=\"chart-title\">Progress of job " + xml_escape(id) + ", latest event " + latest + "</title>";
        out_ += "<desc id=\"chart-desc\">";
        describe(panels);
        out_ += "</desc>";
        out_ += kStyle;
        out_ += "<rect class=\"bg\" width=\"" + w + "\" height=\"" + h + "\"/>";
        const size_t room = static_cast<size_t>(std::max(1, (layout_.width - 32) / kTitleGlyph));
        text(16, 22, " class=\"title\"", xml_escape(elide("Job " + id + " \xC2\xB7 latest event " + latest, room)));
        out_ += "<rect class=\"k0\" x=\"16\" y=\"38\" width=\"16\" height=\"4\"/>";
        text(38, 44, "", "completed / success");
        out_ += "<rect class=\"k1\" x=\"170\" y=\"38\" width=\"16\" height=\"4\"/>";
        text(192, 44, "", "failed");
    }

    // For a screen reader: what is drawn and where each series ends.
    void describe(const std::vector<Panel>& panels) {
        const Window& w = trace_.window;
        out_ += "Files completed and failed, and the items of each kind that succeeded and failed, at ";
        append_int(out_, w.n);
        out_ += " points from " + format_rfc3339(w.start_us) + " to " + format_rfc3339(w.end_us) + " (UTC). At the end: ";
        for (size_t i = 0; i < panels.size(); ++i) {
            const Panel& p = panels[i];
            out_ += i == 0 ? "files " : "; kind " + xml_escape(xml_clean(p.name)) + " ";
            append_int(out_, p.first.back());
            out_ += ' ' + p.first_name + ", ";
            append_int(out_, p.second.back());
            out_ += ' ' + p.second_name;
        }
        out_ += '.';
    }

    void panel(int32_t index, const Panel& p) {
        const int32_t top = layout_.plot_top(index), bottom = top + layout_.panel_height;
        const int32_t left = kChartLeft, right = layout_.width - kChartRight;
        const CountAxis axis = count_axis(max_from(p), std::max(1, layout_.panel_height / kCountTickRoom));
        out_ += "<g class=\"panel\">";

        // Caption: the panel's name on the left, its last values on the right.
        const size_t room = static_cast<size_t>(std::max(1, layout_.plot_width() * 3 / 5 / kCaptionGlyph));
        const std::string name = index == 0 ? std::string("files") : "items: " + xml_clean(p.name);
        text(left, top - 6, " class=\"caption\"", xml_escape(elide(name, room)));
        std::string last = std::to_string(p.first.back()) + ' ' + p.first_name + ", " + std::to_string(p.second.back()) +
                           ' ' + p.second_name;
        text(right, top - 6, " text-anchor=\"end\"", last);

        // Count axis: grid lines and labels at every step.
        for (__int128 v = 0; v <= axis.top; v += axis.step) {
            const double y = bottom - static_cast<double>(v) * layout_.panel_height / static_cast<double>(axis.top);
            line(v == 0 ? "axis" : "grid", left, y, right, y);
            text(left - 6, static_cast<int32_t>(y + 4), " text-anchor=\"end\"", count_label(v, axis.step));
        }
        // Time axis: grid lines and UTC labels, centred on their tick; near the right edge
        // a label ends at its tick, near the left one it starts there (clear of the "0").
        for (int64_t t : ticks_.at_us) {
            const double x = x_of(t);
            line("grid", x, top, x, bottom);
            const char* anchor = x + kTimeTickRoom / 2 > layout_.width ? " text-anchor=\"end\""
                               : x - kTimeTickRoom / 2 < kChartLeft     ? " text-anchor=\"start\""
                                                                        : " text-anchor=\"middle\"";
            text(static_cast<int32_t>(x), bottom + 14, anchor, time_label(t, ticks_.label));
        }
        series("s1", p.second, p.from, bottom, axis);  // failed under
        series("s0", p.first, p.from, bottom, axis);
        out_ += "</g>";
    }

    void series(const char* cls, const std::vector<int64_t>& values, int32_t from, int32_t bottom, const CountAxis& axis) {
        out_ += "<polyline class=\"";
        out_ += cls;
        out_ += "\" points=\"";
        const double scale = layout_.panel_height / static_cast<double>(axis.top);
        for (size_t k = static_cast<size_t>(from); k < values.size(); ++k) {
            if (k > static_cast<size_t>(from)) out_ += ' ';
            out_ += x_[k];
            out_ += ',';
            append_px(out_, bottom - static_cast<double>(values[k]) * scale);
        }
        out_ += "\"/>";
    }

    void foot() {
        const Window& w = trace_.window;
        std::string caption = "Time in UTC, " + format_rfc3339(w.start_us) + " to " + format_rfc3339(w.end_us) + ", ";
        append_int(caption, w.n);
        caption += " points";
        text(kChartLeft, layout_.height() - 8, "", caption);
        out_ += "</svg>\n";
    }

    std::string_view job_id_;
    const Trace& trace_;
    const ChartLayout& layout_;
    std::string out_;
    std::vector<std::string> x_;
    TimeTicks ticks_;
};

int32_t clamp(std::optional<int64_t> v, int32_t dflt, int32_t lo, int32_t hi) {
    if (!v) return dflt;
    return *v < lo ? lo : *v > hi ? hi : static_cast<int32_t>(*v);
}

}  // namespace

int32_t clamp_chart_width(std::optional<int64_t> requested) {
    return clamp(requested, kChartDefaultWidth, kChartMinWidth, kChartMaxWidth);
}

int32_t clamp_chart_panel_height(std::optional<int64_t> requested) {
    return clamp(requested, kChartDefaultPanelHeight, kChartMinPanelHeight, kChartMaxPanelHeight);
}

ChartLayout chart_layout(const Trace& trace, int32_t width, int32_t panel_height) {
    if (width != clamp_chart_width(width) || panel_height != clamp_chart_panel_height(panel_height))
        throw std::invalid_argument("chart size out of range");
    if (trace.kinds.size() > static_cast<size_t>(INT32_MAX / (kChartMaxPanelHeight * 2)))
        throw std::invalid_argument("too many kinds to chart");
    return ChartLayout{width, panel_height, static_cast<int32_t>(1 + trace.kinds.size())};
}

size_t chart_size_bound(std::string_view job_id, const Trace& trace, const ChartLayout& layout) {
    // An escaped byte takes at most 6 ("&apos;"); a coordinate pair at most 20
    // ("4000.00,2147483647.00" never: y stays below the height, which is below 10^8).
    constexpr size_t kEscape = 6, kPair = 20, kTick = 200, kFixed = 4096, kPanelFixed = 1024;
    const size_t n = static_cast<size_t>(trace.window.n);
    const size_t time_ticks = static_cast<size_t>(layout.plot_width() / kTimeTickRoom) + 2;
    const size_t count_ticks = static_cast<size_t>(layout.panel_height / kCountTickRoom) + 2;
    size_t bound = kFixed + 3 * kEscape * job_id.size();
    for (const KindSeries& ks : trace.kinds) bound += 2 * kEscape * ks.kind.size() + 64;  // desc and caption
    bound += static_cast<size_t>(layout.panels) * (kPanelFixed + 2 * n * kPair + (time_ticks + count_ticks) * kTick);
    return bound;
}

std::string render_chart_svg(std::string_view job_id, const Trace& trace, int32_t width, int32_t panel_height) {
    const ChartLayout layout = chart_layout(trace, width, panel_height);
    const size_t bound = chart_size_bound(job_id, trace, layout);
    if (bound > kChartMaxBytes)
        throw Error(ErrorKind::InvalidParameter,
                    ("chart of " + std::to_string(trace.kinds.size()) + " kinds at " + std::to_string(trace.window.n) +
                     " points could reach " + std::to_string(bound) +
                     " bytes, over the chart's bound of 16 MiB; ask for fewer buckets")
                        .c_str());
    return SvgWriter(job_id, trace, layout).write(bound);
}

}  // namespace traces
