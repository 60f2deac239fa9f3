#include "memory.h"

#include <cstdint>
#include <new>

namespace traces::bridge {
namespace {

// What the glue's allocator guarantees (palloc's MAXALIGN on every platform
// PostgreSQL supports). A stricter alignment (__int128 wants 16) is made
// by over-allocating and keeping the raw pointer just below the aligned one.
constexpr size_t kGivenAlignment = 8;

bool over_aligned(size_t alignment) { return alignment > kGivenAlignment; }

}  // namespace

void* CallbackResource::do_allocate(size_t bytes, size_t alignment) {
    if (!memory_.alloc) return std::pmr::new_delete_resource()->allocate(bytes, alignment);
    if (!over_aligned(alignment)) {
        void* p = memory_.alloc(memory_.context, bytes);
        if (!p) throw std::bad_alloc();
        return p;
    }
    const size_t extra = alignment + sizeof(void*);
    if (bytes > SIZE_MAX - extra) throw std::bad_alloc();
    void* raw = memory_.alloc(memory_.context, bytes + extra);
    if (!raw) throw std::bad_alloc();
    const uintptr_t first = reinterpret_cast<uintptr_t>(raw) + sizeof(void*);
    void* aligned = reinterpret_cast<void*>((first + alignment - 1) & ~(uintptr_t{alignment} - 1));
    static_cast<void**>(aligned)[-1] = raw;
    return aligned;
}

void CallbackResource::do_deallocate(void* p, size_t bytes, size_t alignment) {
    if (!memory_.alloc) return std::pmr::new_delete_resource()->deallocate(p, bytes, alignment);
    memory_.release(memory_.context, over_aligned(alignment) ? static_cast<void**>(p)[-1] : p);
}

}  // namespace traces::bridge
