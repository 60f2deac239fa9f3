// The summary's throughput and ETA (docs/contract.md §12.6): rates over a
// trailing window and the time the remaining inputs need at the recent
// file rate.
#pragma once
#include "no_postgres.h"

#include <cstdint>
#include <optional>
#include <string>

namespace traces {

struct ThroughputInput {
    int64_t window_start_us = 0;  // the throughput window, (start, end]
    int64_t window_end_us = 0;    // the job's end (finished_at, or now)
    int64_t now_us = 0;           // the transaction's now()
    int64_t files = 0;            // inputs finished within the window
    double items = 0;             // items (success + failed) reported within the window
    int64_t remaining = 0;        // tracked inputs not finished (pending + processing)
    bool terminal = false;        // the job has ended
};

struct Throughput {
    double window_seconds = 0;
    double files_per_second = 0;
    double items_per_second = 0;
    // now + remaining × window ÷ files, to the microsecond (half away from
    // zero); none for a terminal job or when no input finished in the window.
    std::optional<int64_t> eta_us;
};

// Throws Error(InvalidParameter) for an empty or inverted window, negative
// counts or items that are not a finite number, Error(DatetimeOutOfRange)
// when the ETA lies past the years RFC 3339 can write.
Throughput estimate_throughput(const ThroughputInput& in);

// `"throughput":{"window_seconds":…,"files_per_second":…,"items_per_second":…},"eta":…`
// with the rates as the trace's bucket_seconds (shortest digits, fixed
// notation) and eta as the trace's times (§2.9) or null.
std::string throughput_json(const Throughput& t);

}  // namespace traces
