// The SVG chart: texts from the data escaped, same trace same bytes, a well-formed document
// (checked by a small strict XML reader below), series where the documented scales put them,
// and the size bound.
#include "core/chart.h"

#include "core/chart_axes.h"
#include "core/error.h"
#include "core/xml_text.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace traces {
namespace {

constexpr int64_t kSec = 1000000;
constexpr int64_t k10h00 = 1776160800LL * kSec;  // 2026-04-14T10:00:00Z
const char kHostile[] = "</text><script>alert(1)</script>";

// Checks the XML 1.0 rules a chart could break: one root element, tags nested and closed,
// attribute values quoted, '<' and '&' in text only as markup or one of the five entities.
// Returns "" when well-formed, else what is wrong.
std::string xml_problem(const std::string& doc) {
    size_t i = 0;
    if (doc.rfind("<?xml", 0) == 0) i = doc.find("?>") + 2;
    std::vector<std::string> open;
    int roots = 0;
    const auto name_end = [&](size_t j) {
        while (j < doc.size() && (isalnum(static_cast<unsigned char>(doc[j])) || doc[j] == '-' || doc[j] == ':')) ++j;
        return j;
    };
    while (i < doc.size()) {
        if (doc[i] == '&') {
            bool ok = false;
            for (const char* e : {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"})
                ok = ok || doc.compare(i, strlen(e), e) == 0;
            if (!ok) return "bad entity at " + std::to_string(i);
            ++i;
        } else if (doc[i] != '<') {
            if (open.empty() && !isspace(static_cast<unsigned char>(doc[i]))) return "text outside the root";
            ++i;
        } else if (doc[i + 1] == '/') {
            const size_t e = name_end(i + 2);
            const std::string name = doc.substr(i + 2, e - i - 2);
            if (open.empty() || open.back() != name || doc[e] != '>') return "bad end tag " + name;
            open.pop_back();
            i = e + 1;
        } else {
            size_t j = name_end(i + 1);
            const std::string name = doc.substr(i + 1, j - i - 1);
            if (name.empty()) return "bad tag at " + std::to_string(i);
            while (true) {  // attributes
                while (doc[j] == ' ') ++j;
                if (doc[j] == '>' || doc.compare(j, 2, "/>") == 0) break;
                const size_t a = name_end(j);
                if (a == j || doc[a] != '=' || doc[a + 1] != '"') return "bad attribute in " + name;
                const size_t close = doc.find('"', a + 2);
                const std::string value = doc.substr(a + 2, close - a - 2);
                if (value.find('<') != std::string::npos) return "'<' in an attribute of " + name;
                j = close + 1;
            }
            if (open.empty() && roots++ > 0) return "a second root";
            if (doc[j] == '>') open.push_back(name);
            i = doc[j] == '>' ? j + 1 : j + 2;
        }
    }
    return open.empty() && roots == 1 ? "" : "unclosed or missing root";
}

// The published example's shape: 09:50 to 10:15, 50 points, 9 files, 490 items.
Trace sample(std::string_view kind = "inference") {
    TraceBuilder b(make_window(k10h00 - 600 * kSec, k10h00 + 900 * kSec, 50));
    for (int i = 0; i < 8; ++i) b.add_file(k10h00 + (60 + 100 * i) * kSec, false);
    b.add_file(k10h00 + 840 * kSec, true);
    b.add_progress(ProgressRow{{}, true, kind, k10h00, 1, 0});
    b.add_progress(ProgressRow{{}, true, kind, k10h00 + 900 * kSec, 478, 12});
    return std::move(b).finish();
}

std::string chart(const Trace& t, std::string_view id = "job_2abc") {
    return render_chart_svg(id, t, kChartDefaultWidth, kChartDefaultPanelHeight);
}

TEST(XmlText, EscapesMarkupAndReplacesWhatXmlCannotCarry) {
    EXPECT_EQ(xml_escape(kHostile), "&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
    EXPECT_EQ(xml_escape("a&b\"c'd"), "a&amp;b&quot;c&apos;d");
    EXPECT_EQ(xml_escape("\xC3\xA9t\xC3\xA9"), "\xC3\xA9t\xC3\xA9");            // é stays
    EXPECT_EQ(xml_escape(std::string("a\0b\x01\tc", 6)), "a\xEF\xBF\xBD" "b\xEF\xBF\xBD\tc");
    EXPECT_EQ(xml_escape("\xFF" "x\xC0\xAF"), "\xEF\xBF\xBDx\xEF\xBF\xBD\xEF\xBF\xBD");  // invalid, overlong
    EXPECT_EQ(xml_escape("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");        // a surrogate
    EXPECT_EQ(xml_escape("\xEF\xBF\xBE"), "\xEF\xBF\xBD");                                // U+FFFE
}

TEST(XmlText, ElideCutsWholeCharacters) {
    EXPECT_EQ(elide("inference", 9), "inference");
    EXPECT_EQ(elide("inference", 5), "infe\xE2\x80\xA6");
    EXPECT_EQ(elide("\xC3\xA9\xC3\xA9\xC3\xA9", 2), "\xC3\xA9\xE2\x80\xA6");
    EXPECT_EQ(elide("abc", 0), "");
}

TEST(Chart, HostileTextsRenderAsText) {
    const std::string svg = chart(sample(kHostile), kHostile);
    EXPECT_EQ(svg.find("<script"), std::string::npos);
    EXPECT_EQ(svg.find("</text><script"), std::string::npos);
    EXPECT_NE(svg.find("items: &lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
    EXPECT_NE(svg.find("<title id=\"chart-title\">Progress of job &lt;/text&gt;"), std::string::npos);
    EXPECT_EQ(xml_problem(svg), "");
}

TEST(Chart, WellFormedForEveryShape) {
    TraceBuilder empty(make_window(k10h00, k10h00, 10));
    EXPECT_EQ(xml_problem(chart(std::move(empty).finish())), "");
    TraceBuilder many(make_window(k10h00, k10h00 + 86400 * kSec * 3, 1000));
    for (int i = 0; i < 50; ++i) {
        const std::string kind = "kind&<" + std::to_string(i) + std::string(1, static_cast<char>(i + 1)) + "\xFF";
        many.add_progress(ProgressRow{"in", false, kind, k10h00 + i * 3600 * kSec, INT64_MAX - i, i});
    }
    const std::string svg = render_chart_svg("j\"'<>&", std::move(many).finish(), kChartMaxWidth, kChartMinPanelHeight);
    EXPECT_EQ(xml_problem(svg), "");
    EXPECT_EQ(xml_problem(chart(sample())), "");
}

TEST(Chart, SameTraceSameBytes) {
    const std::string a = chart(sample()), b = chart(sample());
    EXPECT_EQ(a, b);
    EXPECT_NE(a, render_chart_svg("job_2abc", sample(), 801, kChartDefaultPanelHeight));
}

TEST(Chart, TitleLegendAndScreenReaderTexts) {
    const std::string svg = chart(sample());
    EXPECT_NE(svg.find("<title id=\"chart-title\">Progress of job job_2abc, latest event 2026-04-14T10:15:00Z</title>"),
              std::string::npos);
    EXPECT_NE(svg.find("At the end: files 8 completed, 1 failed; kind inference 478 success, 12 failed."),
              std::string::npos);
    EXPECT_NE(svg.find(">Job job_2abc \xC2\xB7 latest event 2026-04-14T10:15:00Z</text>"), std::string::npos);
    EXPECT_NE(svg.find(">completed / success</text>"), std::string::npos);
    EXPECT_NE(svg.find("@media (prefers-color-scheme:dark)"), std::string::npos);
    EXPECT_NE(svg.find(">09:50</text>"), std::string::npos);
    EXPECT_NE(svg.find(">10:15</text>"), std::string::npos);
    EXPECT_NE(svg.find(">500</text>"), std::string::npos);  // the items axis ends at 500
    Trace none = TraceBuilder(make_window(k10h00, k10h00 + 60 * kSec, 10)).finish();
    EXPECT_NE(chart(none).find("latest event none yet</title>"), std::string::npos);
}

TEST(Chart, SeriesWhereTheDocumentedScalesPutThem) {
    const Trace t = sample();
    const std::string svg = chart(t);
    const ChartLayout l = chart_layout(t, kChartDefaultWidth, kChartDefaultPanelHeight);
    EXPECT_EQ(l.plot_width(), 720);
    EXPECT_EQ(l.height(), kChartHeader + 2 * (20 + 160 + 20 + 8) + kChartFooter);
    // Items panel (1): the last point is the end (x = 64 + 720), 478 on an axis of 500.
    const double bottom = l.plot_top(1) + 160;
    char expected[64];
    snprintf(expected, sizeof expected, "784.00,%.2f\"/>", bottom - 478.0 * 160 / 500);
    EXPECT_NE(svg.find(expected), std::string::npos) << expected;
    // Files panel (0): 8 completed on an axis of 8 (step 2, four intervals); the first point,
    // t_0 = start + 30 s, is at 64 + 720 / 50, with no file yet.
    snprintf(expected, sizeof expected, "<polyline class=\"s0\" points=\"78.40,%d.00 ", l.plot_top(0) + 160);
    EXPECT_NE(svg.find(expected), std::string::npos) << expected;
    snprintf(expected, sizeof expected, "784.00,%.2f\"/>", l.plot_top(0) + 160 - 8.0 * 160 / 8);
    EXPECT_NE(svg.find(expected), std::string::npos) << expected;
}

TEST(Chart, SizeClamps) {
    EXPECT_EQ(clamp_chart_width(std::nullopt), 800);
    EXPECT_EQ(clamp_chart_width(0), 320);
    EXPECT_EQ(clamp_chart_width(INT64_MAX), 4000);
    EXPECT_EQ(clamp_chart_panel_height(std::nullopt), 160);
    EXPECT_EQ(clamp_chart_panel_height(-5), 80);
    EXPECT_EQ(clamp_chart_panel_height(5000), 1000);
    EXPECT_THROW(render_chart_svg("j", sample(), 100, 160), std::invalid_argument);
}

TEST(Chart, SizeBoundHoldsAndTooLargeIsRefusedBeforeRendering) {
    const Trace t = sample(std::string(512, '&'));
    const ChartLayout l = chart_layout(t, kChartMaxWidth, kChartMaxPanelHeight);
    EXPECT_LE(render_chart_svg(std::string(512, '\''), t, kChartMaxWidth, kChartMaxPanelHeight).size(),
              chart_size_bound(std::string(512, '\''), t, l));
    // 500 kinds at 1000 points (more than §7.5 lets a job have) pass the bound.
    TraceBuilder b(make_window(k10h00, k10h00 + 1000 * kSec, 1000));
    for (int i = 0; i < 500; ++i) b.add_progress(ProgressRow{{}, true, "k" + std::to_string(1000 + i), k10h00, 1, 1});
    try {
        render_chart_svg("j", std::move(b).finish(), kChartDefaultWidth, kChartDefaultPanelHeight);
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidParameter);
        EXPECT_NE(std::string(e.what()).find("over the chart's bound of 16 MiB"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace traces
