#include "throughput.h"

#include "error.h"
#include "render.h"
#include "rfc3339.h"

#include <cmath>
#include <vector>

namespace traces {
namespace {

constexpr double kUsPerSecond = 1e6;

// a × b ÷ c rounded half away from zero, for non-negative a, b and positive
// c, exactly (128-bit), or nullopt past 64 bits.
std::optional<int64_t> mul_div_round(int64_t a, int64_t b, int64_t c) {
    const __int128 p = static_cast<__int128>(a) * b;
    const __int128 q = (p + c / 2) / c;
    if (q > INT64_MAX) return std::nullopt;
    return static_cast<int64_t>(q);
}

std::string render_double(double v) {
    Sink measure;
    put_double(measure, v);
    std::vector<char> buffer(measure.size());
    Sink out(buffer.data(), buffer.size());
    put_double(out, v);
    return std::string(buffer.data(), buffer.size());
}

}  // namespace

Throughput estimate_throughput(const ThroughputInput& in) {
    if (in.window_end_us <= in.window_start_us)
        throw Error(ErrorKind::InvalidParameter, "traces: the throughput window must not be empty");
    if (in.files < 0 || in.remaining < 0 || !std::isfinite(in.items) || in.items < 0)
        throw Error(ErrorKind::InvalidParameter, "traces: throughput counts must not be negative");
    // The window's length cannot overflow: both ends are valid times.
    const int64_t window_us = in.window_end_us - in.window_start_us;
    Throughput t;
    t.window_seconds = static_cast<double>(window_us) / kUsPerSecond;
    t.files_per_second = static_cast<double>(in.files) * kUsPerSecond / static_cast<double>(window_us);
    t.items_per_second = in.items * kUsPerSecond / static_cast<double>(window_us);
    if (!in.terminal && in.files > 0) {
        const auto needed = mul_div_round(in.remaining, window_us, in.files);
        if (!needed || *needed > kRfc3339MaxUs - in.now_us)
            throw Error(ErrorKind::DatetimeOutOfRange, "traces: the eta lies past the year 9999");
        t.eta_us = in.now_us + *needed;
    }
    return t;
}

std::string throughput_json(const Throughput& t) {
    return "\"throughput\":{\"window_seconds\":" + render_double(t.window_seconds) +
           ",\"files_per_second\":" + render_double(t.files_per_second) +
           ",\"items_per_second\":" + render_double(t.items_per_second) + "},\"eta\":" +
           (t.eta_us ? "\"" + format_rfc3339(*t.eta_us) + "\"" : std::string("null"));
}

}  // namespace traces
