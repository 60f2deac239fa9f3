// A std::pmr::memory_resource over the glue's tr_memory (traces_bridge.h):
// how the core's containers get memory the server accounts for. The
// allocation itself (palloc in a memory context) happens in the glue's C
// code, which never raises; a NULL becomes std::bad_alloc here, which the
// bridge reports as TR_OUT_OF_MEMORY.
#pragma once
#include "traces_bridge.h"

#include <cstddef>
#include <memory_resource>

namespace traces::bridge {

class CallbackResource final : public std::pmr::memory_resource {
public:
    // `memory` NULL: the C++ heap.
    explicit CallbackResource(const tr_memory* memory) : memory_(memory ? *memory : tr_memory{}) {}

    const tr_memory* memory() const { return memory_.alloc ? &memory_ : nullptr; }

private:
    void* do_allocate(size_t bytes, size_t alignment) override;
    void do_deallocate(void* p, size_t bytes, size_t alignment) override;
    bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }

    tr_memory memory_;
};

}  // namespace traces::bridge
