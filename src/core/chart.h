// The SVG progress chart of a trace (docs/contract.md §2.14): files completed and failed,
// then one panel per kind (success and failed), each panel on its own count scale, over the
// trace's time window. Same trace in, same bytes out.
#pragma once
#include "no_postgres.h"
#include "trace.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace traces {

// Size options, in CSS pixels, clamped like `buckets` (§2.2): any integer is accepted.
constexpr int32_t kChartDefaultWidth = 800, kChartMinWidth = 320, kChartMaxWidth = 4000;
constexpr int32_t kChartDefaultPanelHeight = 160, kChartMinPanelHeight = 80, kChartMaxPanelHeight = 1000;
int32_t clamp_chart_width(std::optional<int64_t> requested);
int32_t clamp_chart_panel_height(std::optional<int64_t> requested);

// The layout, fixed so that a reader (or a test) can compute where a value is drawn.
// Panel p (0 = files, 1 + i = the i-th kind in byte order) has its plot area at
//   x in [kChartLeft, width - kChartRight], y in [plot_top(p), plot_top(p) + panel_height]
// and a value v at time t is drawn at
//   x = kChartLeft + (t - start) * plot_width / span,   y = plot_bottom - v * panel_height / top
// where top is the panel's count axis end (count_axis in chart_axes.h).
constexpr int32_t kChartLeft = 64;         // room for count labels
constexpr int32_t kChartRight = 16;
constexpr int32_t kChartHeader = 56;       // title and legend
constexpr int32_t kChartCaption = 20;      // a panel's name, above its plot
constexpr int32_t kChartTimeLabels = 20;   // time labels, below each plot
constexpr int32_t kChartPanelGap = 8;
constexpr int32_t kChartFooter = 24;       // the axis caption: window and bucket size

struct ChartLayout {
    int32_t width;
    int32_t panel_height;
    int32_t panels;
    int32_t plot_width() const { return width - kChartLeft - kChartRight; }
    int32_t plot_top(int32_t panel) const {
        return kChartHeader + panel * (kChartCaption + panel_height + kChartTimeLabels + kChartPanelGap) +
               kChartCaption;
    }
    int32_t height() const {
        return kChartHeader + panels * (kChartCaption + panel_height + kChartTimeLabels + kChartPanelGap) +
               kChartFooter;
    }
};

ChartLayout chart_layout(const Trace& trace, int32_t width, int32_t panel_height);

// No chart is longer than this; a larger one is refused before anything is allocated.
constexpr size_t kChartMaxBytes = 16u << 20;

// An upper bound of the document's size, computed from the counts alone.
size_t chart_size_bound(std::string_view job_id, const Trace& trace, const ChartLayout& layout);

// The document. Throws Error (InvalidParameter, 22023) when chart_size_bound passes
// kChartMaxBytes; width and panel_height must be clamped already (anything else is a
// caller's bug, std::invalid_argument).
std::string render_chart_svg(std::string_view job_id, const Trace& trace, int32_t width, int32_t panel_height);

}  // namespace traces
