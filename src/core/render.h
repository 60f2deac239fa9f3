// JSON rendering of a trace, keys in the order docs/contract.md §2.10 fixes.
#pragma once
#include "no_postgres.h"
#include "trace.h"

#include <string>
#include <string_view>

namespace traces {

// {"job_id":…,"bucket_seconds":…,"latest_event_at":…,"points":[…]}
// Throws Error (DatetimeOutOfRange) when a time falls outside what RFC 3339
// can write.
std::string render_trace_json(std::string_view job_id, const Trace& trace);

// The `items` object of point k: {"<kind>":{"success":…,"failed":…},…}
std::string render_items_json(const Trace& trace, int32_t k);

}  // namespace traces
