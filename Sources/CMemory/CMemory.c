#define _GNU_SOURCE
#include "CMemory.h"

#ifdef __linux__
#include <errno.h>
#include <link.h>
#include <sys/mman.h>
#include <unistd.h>

struct release {
    const uintptr_t *ranges;
    size_t count;
    uintptr_t page;
    long advised;
    int error;
};

// Inward to whole pages: a page shared with a neighbouring segment is left alone.
static void release_segment(struct release *state, uintptr_t low, uintptr_t high) {
    for (size_t index = 0; index < state->count; index++) {
        uintptr_t start = state->ranges[2 * index], end = state->ranges[2 * index + 1];
        uintptr_t from = low > start ? low : start, to = high < end ? high : end;
        from = (from + state->page - 1) & ~(state->page - 1);
        to &= ~(state->page - 1);
        if (from >= to) continue;
        if (madvise((void *)from, to - from, MADV_DONTNEED) == 0) {
            state->advised += (long)(to - from);
        } else {
            state->error = errno;
        }
    }
}

static int visit_object(struct dl_phdr_info *info, size_t size, void *context) {
    (void)size;
    struct release *state = context;
    for (ElfW(Half) index = 0; index < info->dlpi_phnum; index++) {
        const ElfW(Phdr) *header = &info->dlpi_phdr[index];
        if (header->p_type != PT_LOAD || (header->p_flags & PF_W) != 0 || header->p_memsz == 0) continue;
        uintptr_t low = (uintptr_t)info->dlpi_addr + (uintptr_t)header->p_vaddr;
        release_segment(state, low, low + (uintptr_t)header->p_memsz);
    }
    return 0;
}

long pollbot_release_clean_segments(const uintptr_t *ranges, size_t count) {
    long page = sysconf(_SC_PAGESIZE);
    struct release state = { ranges, count, (uintptr_t)(page > 0 ? page : 4096), 0, 0 };
    dl_iterate_phdr(visit_object, &state);
    if (state.error != 0) {
        errno = state.error;
        return -1;
    }
    return state.advised;
}

#else

#include <errno.h>

long pollbot_release_clean_segments(const uintptr_t *ranges, size_t count) {
    (void)ranges;
    (void)count;
    errno = ENOSYS;
    return -1;
}

#endif

#ifdef __GLIBC__

#include <malloc.h>

int pollbot_heap_one_arena(void) {
    return mallopt(M_ARENA_MAX, 1);
}

int pollbot_heap_trim(void) {
    return malloc_trim(0);
}

#else

// Other C libraries lay out their heaps their own way and have neither call.
int pollbot_heap_one_arena(void) {
    return 0;
}

int pollbot_heap_trim(void) {
    return 0;
}

#endif
