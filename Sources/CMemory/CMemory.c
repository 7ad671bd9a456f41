#define _GNU_SOURCE
#include "CMemory.h"

#ifdef __linux__
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <sys/mman.h>
#include <unistd.h>

struct release {
    const uintptr_t *ranges;
    size_t count;
    uintptr_t page;
    int pagemap;
    long advised;
    int error;
};

// /proc/self/pagemap holds one 64-bit entry per page: bit 63 present, 62 swapped, 61 a page of the file.
#define PAGEMAP_PRESENT (1ULL << 63)
#define PAGEMAP_SWAPPED (1ULL << 62)
#define PAGEMAP_FILE (1ULL << 61)
#define PAGEMAP_BATCH 512

// A swapped page, or a present one that is not the file's (copied on write by a relocation, a breakpoint, a write
// through /proc/self/mem), is this process's own data: MADV_DONTNEED would bring the file's bytes back in its place.
static int holds_own_data(uint64_t entry) {
    return (entry & PAGEMAP_SWAPPED) != 0 || ((entry & PAGEMAP_PRESENT) != 0 && (entry & PAGEMAP_FILE) == 0);
}

static void advise(struct release *state, uintptr_t from, uintptr_t to) {
    if (from >= to) return;
    if (madvise((void *)from, to - from, MADV_DONTNEED) == 0) {
        state->advised += (long)(to - from);
    } else {
        state->error = errno;
    }
}

// The caller read smaps before this call: a page copied since then (a library relocating its text while it loads,
// a debugger's breakpoint) is kept because every page is looked up again here, just before its madvise. A page
// copied between that look-up and the madvise (a write through ptrace at that very moment) is the one case left.
static void release_file_pages(struct release *state, uintptr_t from, uintptr_t to) {
    uint64_t entries[PAGEMAP_BATCH];
    uintptr_t address = from, run = from;
    while (address < to) {
        size_t pages = (to - address) / state->page;
        if (pages > PAGEMAP_BATCH) pages = PAGEMAP_BATCH;
        ssize_t got = pread(state->pagemap, entries, pages * sizeof entries[0],
                            (off_t)(address / state->page * sizeof entries[0]));
        if (got < (ssize_t)sizeof entries[0]) {
            // Nothing is known of the pages from here on: release those checked, none after them.
            state->error = got < 0 ? errno : EIO;
            break;
        }
        size_t known = (size_t)got / sizeof entries[0];
        for (size_t index = 0; index < known; index++, address += state->page) {
            if (!holds_own_data(entries[index])) continue;
            advise(state, run, address);
            run = address + state->page;
        }
    }
    advise(state, run, address);
}

// Inward to whole pages: a page shared with a neighbouring segment is left alone.
static void release_segment(struct release *state, uintptr_t low, uintptr_t high) {
    for (size_t index = 0; index < state->count; index++) {
        uintptr_t start = state->ranges[2 * index], end = state->ranges[2 * index + 1];
        uintptr_t from = low > start ? low : start, to = high < end ? high : end;
        if (from > UINTPTR_MAX - (state->page - 1)) continue;
        from = (from + state->page - 1) & ~(state->page - 1);
        to &= ~(state->page - 1);
        if (from >= to) continue;
        release_file_pages(state, from, to);
    }
}

// An object with text relocations has its code written by the loader, possibly while this runs (dl_iterate_phdr lists
// an object before it is relocated): none of its pages is released.
static int has_text_relocations(const struct dl_phdr_info *info) {
    for (ElfW(Half) index = 0; index < info->dlpi_phnum; index++) {
        const ElfW(Phdr) *header = &info->dlpi_phdr[index];
        if (header->p_type != PT_DYNAMIC) continue;
        for (const ElfW(Dyn) *entry = (const ElfW(Dyn) *)(info->dlpi_addr + header->p_vaddr); entry->d_tag != DT_NULL;
             entry++) {
            if (entry->d_tag == DT_TEXTREL) return 1;
            if (entry->d_tag == DT_FLAGS && (entry->d_un.d_val & DF_TEXTREL) != 0) return 1;
        }
    }
    return 0;
}

static int visit_object(struct dl_phdr_info *info, size_t size, void *context) {
    (void)size;
    struct release *state = context;
    if (has_text_relocations(info)) return 0;
    for (ElfW(Half) index = 0; index < info->dlpi_phnum; index++) {
        const ElfW(Phdr) *header = &info->dlpi_phdr[index];
        if (header->p_type != PT_LOAD || (header->p_flags & PF_W) != 0 || header->p_memsz == 0) continue;
        uintptr_t low = (uintptr_t)info->dlpi_addr + (uintptr_t)header->p_vaddr;
        uintptr_t high = low + (uintptr_t)header->p_memsz;
        if (high < low) continue;
        release_segment(state, low, high);
    }
    return 0;
}

long pollbot_release_clean_segments(const uintptr_t *ranges, size_t count) {
    long page = sysconf(_SC_PAGESIZE);
    int pagemap = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    if (pagemap < 0) return -1;
    struct release state = { ranges, count, (uintptr_t)(page > 0 ? page : 4096), pagemap, 0, 0 };
    dl_iterate_phdr(visit_object, &state);
    close(pagemap);
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
