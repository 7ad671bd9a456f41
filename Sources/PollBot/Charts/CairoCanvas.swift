import BotKit
import CCairoLoader
import Foundation

/// A cairo image surface and its context, freed when the canvas goes; used on one thread at a time. Without cairo
/// (see `CairoLibrary`) the canvas draws nothing and `png` throws `CairoUnavailable`; it never traps.
final class CairoCanvas {
    let width: Int
    let height: Int
    /// The surface drawn on, or why there is none.
    private let state: Result<Live, CairoUnavailable>
    private var live: Live? { try? state.get() }

    /// The surface being drawn on, its context, and the cairo they came from.
    private struct Live {
        let cairo: pollbot_cairo
        let surface: OpaquePointer
        let context: OpaquePointer
    }

    /// `library` is for tests; the bot draws with the process's cairo, opened by the first canvas.
    init(width: Int, height: Int, library: Result<CairoLibrary, CairoUnavailable> = CairoLibrary.shared) {
        self.width = width
        self.height = height
        state = library.flatMap { library in
            let cairo = library.api
            // cairo reports a failure (no memory, a size it cannot take) through an object in an error state, which
            // `png` turns into an error; a NULL would be a cairo unlike the documented one.
            guard let surface = cairo.image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height)) else {
                return .failure(CairoUnavailable(library: CairoLibrary.soname, reason: "cairo_image_surface_create returned NULL"))
            }
            guard let context = cairo.create(surface) else {
                cairo.surface_destroy(surface)
                return .failure(CairoUnavailable(library: CairoLibrary.soname, reason: "cairo_create returned NULL"))
            }
            cairo.select_font_face(context, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL)
            return .success(Live(cairo: cairo, surface: surface, context: context))
        }
    }

    deinit {
        guard let live else { return }
        live.cairo.destroy(live.context)
        live.cairo.surface_destroy(live.surface)
    }

    func color(_ color: ChartTheme.Color, alpha: Double = 1) {
        guard let live else { return }
        live.cairo.set_source_rgba(live.context, color.red, color.green, color.blue, alpha)
    }

    func fill(x: Double, y: Double, width: Double, height: Double) {
        guard let live else { return }
        live.cairo.rectangle(live.context, x, y, width, height)
        live.cairo.fill(live.context)
    }

    func line(from start: (Double, Double), to end: (Double, Double), width: Double = 1, dash: [Double] = []) {
        guard let live else { return }
        let cairo = live.cairo, context = live.context
        cairo.set_line_width(context, width)
        cairo.set_dash(context, dash, Int32(dash.count), 0)
        cairo.move_to(context, start.0, start.1)
        cairo.line_to(context, end.0, end.1)
        cairo.stroke(context)
        cairo.set_dash(context, nil, 0, 0)
    }

    /// A polyline through the points, broken where a point is nil.
    func path(_ points: [(Double, Double)?], width: Double) {
        guard let live else { return }
        let cairo = live.cairo, context = live.context
        cairo.set_line_width(context, width)
        cairo.set_line_join(context, CAIRO_LINE_JOIN_ROUND)
        var drawing = false
        for point in points {
            guard let point else {
                drawing = false
                continue
            }
            if drawing { cairo.line_to(context, point.0, point.1) } else { cairo.move_to(context, point.0, point.1) }
            drawing = true
        }
        cairo.stroke(context)
    }

    /// Text at (x, y) on its baseline; `anchor` 0 aligns left, 0.5 centres, 1 aligns right. Returns its width.
    @discardableResult
    func text(_ text: String, x: Double, y: Double, size: Double, bold: Bool = false, anchor: Double = 0) -> Double {
        let width = textWidth(text, size: size, bold: bold)
        guard let live else { return width }
        live.cairo.move_to(live.context, x - width * anchor, y)
        live.cairo.show_text(live.context, text)
        return width
    }

    /// Selects the font and measures `text` in it (0 without cairo); `text` draws with the font this leaves selected.
    func textWidth(_ text: String, size: Double, bold: Bool = false) -> Double {
        guard let live else { return 0 }
        let cairo = live.cairo, context = live.context
        cairo.select_font_face(context, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo.set_font_size(context, size)
        var extents = cairo_text_extents_t()
        cairo.text_extents(context, text, &extents)
        return extents.x_advance
    }

    /// The picture as PNG bytes, encoded in memory; `CairoUnavailable` when cairo could not be loaded.
    func png() throws -> Data {
        let live = try state.get()
        final class Sink { var data = Data() }
        let sink = Sink()
        live.cairo.surface_flush(live.surface)
        let status = live.cairo.surface_write_to_png_stream(live.surface, { closure, bytes, length in
            guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
            Unmanaged<Sink>.fromOpaque(closure).takeUnretainedValue().data.append(bytes, count: Int(length))
            return CAIRO_STATUS_SUCCESS
        }, Unmanaged.passUnretained(sink).toOpaque())
        guard status == CAIRO_STATUS_SUCCESS else { throw ChartError.encoding(live.cairo.describe(status)) }
        return withExtendedLifetime(sink) { sink.data }
    }
}
