#include "CCairoLoader.h"
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

const pollbot_cairo *pollbot_cairo_open(const char *library, char *error, size_t size) {
    // RTLD_LOCAL keeps cairo's symbols, and those of the libraries it brings, out of the global lookup scope: nothing
    // else in the process can bind to them by accident. RTLD_NOW fails here, not in the middle of a drawing.
    void *handle = dlopen(library, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        const char *reason = dlerror();
        snprintf(error, size, "%s", reason != NULL ? reason : "dlopen failed");
        return NULL;
    }
    pollbot_cairo *cairo = calloc(1, sizeof *cairo);
    if (cairo == NULL) {
        snprintf(error, size, "out of memory loading %s", library);
        dlclose(handle);
        return NULL;
    }
    // POSIX guarantees that dlsym's void * converts to a function pointer.
#define POLLBOT_CAIRO_RESOLVE(name)                                                       \
    cairo->name = (__typeof__(cairo->name))dlsym(handle, "cairo_" #name);                 \
    if (cairo->name == NULL) {                                                            \
        snprintf(error, size, "%s has no symbol cairo_" #name, library);                  \
        free(cairo);                                                                      \
        dlclose(handle);                                                                  \
        return NULL;                                                                      \
    }
    POLLBOT_CAIRO_FUNCTIONS(POLLBOT_CAIRO_RESOLVE)
#undef POLLBOT_CAIRO_RESOLVE
    return cairo;
}
