#ifndef POLLBOT_MEMORY_H
#define POLLBOT_MEMORY_H

// What the process gives back to the kernel, and how its heap is laid out: the calls Swift cannot reach through
// Glibc's module (link.h, malloc.h).
#include <stddef.h>
#include <stdint.h>

/// Releases the resident pages of the read-only segments (code, constants) of every loaded ELF object: the kernel
/// drops them from the page tables and maps them again from the page cache at the next touch. Only the parts of
/// segments without PF_W that lie inside one of the `count` ranges [start, end), given as pairs in `ranges` (the
/// caller's list of mappings holding no page of their own, from /proc/self/smaps), are released, and of those only
/// the pages that /proc/self/pagemap shows to be the file's at the moment of the call: the list is older than the call,
/// and a page copied since (a text relocation, a breakpoint) would lose its data. Objects with text relocations are
/// skipped. Returns the bytes advised, or -1 with errno set when pagemap cannot be read or a call failed (the others
/// still ran).
long pollbot_release_clean_segments(const uintptr_t *_Nonnull ranges, size_t count);

/// One malloc arena for every thread (mallopt M_ARENA_MAX 1), before a second thread starts; returns whether glibc
/// took it. Each thread's own arena keeps its own free memory, which a burst spread over every arena.
int pollbot_heap_one_arena(void);

/// Returns the heap's free pages to the kernel (malloc_trim); returns whether any were.
int pollbot_heap_trim(void);

#endif
