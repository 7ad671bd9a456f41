#ifndef POLLBOT_CAIRO_LOADER_H
#define POLLBOT_CAIRO_LOADER_H

// cairo's types and constants, and a table of the functions pollbot draws with, resolved with dlsym at the first
// chart: the binary does not link libcairo, so cairo and the libraries it brings (X11, xcb, pixman, fontconfig,
// freetype, png) are not loaded until a chart is drawn. Nothing here is linked against cairo; its prototypes come
// only from the header, and Swift calls the pointers in the table, never `cairo_*` directly.
#include <stddef.h>
#include <cairo/cairo.h>

#define POLLBOT_CAIRO_FUNCTIONS(X) \
    X(version_string) X(status_to_string) \
    X(image_surface_create) X(surface_flush) X(surface_write_to_png_stream) X(surface_destroy) \
    X(create) X(destroy) X(set_source_rgba) X(rectangle) X(fill) \
    X(set_line_width) X(set_line_join) X(set_dash) X(move_to) X(line_to) X(stroke) \
    X(select_font_face) X(set_font_size) X(text_extents) X(show_text)

/// Each field is the cairo function of the same name without its `cairo_` prefix.
typedef struct pollbot_cairo {
#define POLLBOT_CAIRO_FIELD(name) __typeof__(cairo_##name) *_Nonnull name;
    POLLBOT_CAIRO_FUNCTIONS(POLLBOT_CAIRO_FIELD)
#undef POLLBOT_CAIRO_FIELD
} pollbot_cairo;

/// Opens `library` with dlopen (RTLD_NOW | RTLD_LOCAL) and resolves every function; NULL on failure, with the
/// library or the missing symbol named in `error`. The library stays loaded for the life of the process.
const pollbot_cairo *_Nullable pollbot_cairo_open(const char *_Nonnull library, char *_Nonnull error, size_t size);

#endif
