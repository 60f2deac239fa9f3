// JSON rendering of a trace, keys in the order docs/contract.md §2.10 fixes.
//
// The extension sizes its answer before it allocates it and writes it
// straight into the result datum: every renderer writes into a Sink, which
// either only counts (the sizing pass) or copies into a buffer of exactly
// the size counted. Rendering goes a range of points at a time, so the glue
// can check for interrupts between ranges (the core cannot).
#pragma once
#include "no_postgres.h"
#include "trace.h"

#include <cstddef>
#include <memory_resource>
#include <string>
#include <string_view>

namespace traces {

class Sink {
public:
    Sink() = default;                                       // counts only
    Sink(char* buffer, size_t capacity) : buffer_(buffer), capacity_(capacity) {}

    // Throws std::logic_error (a bug: the sizing pass disagreed) rather
    // than write past the buffer.
    void put(std::string_view s);
    void put(char c) { put(std::string_view(&c, 1)); }
    size_t size() const { return size_; }

private:
    char* buffer_ = nullptr;
    size_t capacity_ = 0;
    size_t size_ = 0;
};

// The shortest decimal digits that read back as `v`, in fixed notation
// (never an exponent), with ".0" when there is no fraction: 30.0, 0.1,
// 38221.31178. Throws std::logic_error on a non-finite value (the product
// never prints one).
void put_double(Sink& out, double v);

// A finished trace ready to be written: each kind's key is escaped once for
// all points, in memory from `memory`.
class TraceJson {
public:
    TraceJson(const Trace& trace, std::pmr::memory_resource* memory = std::pmr::get_default_resource());

    // Points [from, to) of {"job_id":…,"bucket_seconds":…,"latest_event_at":…,"points":[…]}:
    // with the head when from == 0 and the tail when to == n, so that the
    // parts of consecutive ranges covering [0, n) make the whole document.
    // Throws Error (DatetimeOutOfRange) when a time falls outside what
    // RFC 3339 can write, std::logic_error on a range outside [0, n].
    void render(std::string_view job_id, int32_t from, int32_t to, Sink& out) const;

    // The `items` object of point k: {"<kind>":{"success":…,"failed":…},…}
    void render_items(int32_t k, Sink& out) const;

    const Trace& trace() const { return trace_; }

private:
    const Trace& trace_;
    std::pmr::vector<std::pmr::string> keys_;
};

// The whole document, or point k's items, as one string (sized, then
// written): for tests and tools; the extension renders through TraceJson.
std::string render_trace_json(std::string_view job_id, const Trace& trace);
std::string render_items_json(const Trace& trace, int32_t k);

}  // namespace traces
