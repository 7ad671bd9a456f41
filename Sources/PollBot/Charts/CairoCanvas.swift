import BotKit
import CCairo
import Foundation

/// A cairo image surface and its context, freed when the canvas goes; used on one thread at a time.
final class CairoCanvas {
    let width: Int
    let height: Int
    private let surface: OpaquePointer
    let context: OpaquePointer

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height))
        context = cairo_create(surface)
        cairo_select_font_face(context, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL)
    }

    deinit {
        cairo_destroy(context)
        cairo_surface_destroy(surface)
    }

    func color(_ color: ChartTheme.Color, alpha: Double = 1) {
        cairo_set_source_rgba(context, color.red, color.green, color.blue, alpha)
    }

    func fill(x: Double, y: Double, width: Double, height: Double) {
        cairo_rectangle(context, x, y, width, height)
        cairo_fill(context)
    }

    func line(from start: (Double, Double), to end: (Double, Double), width: Double = 1, dash: [Double] = []) {
        cairo_set_line_width(context, width)
        cairo_set_dash(context, dash, Int32(dash.count), 0)
        cairo_move_to(context, start.0, start.1)
        cairo_line_to(context, end.0, end.1)
        cairo_stroke(context)
        cairo_set_dash(context, nil, 0, 0)
    }

    /// A polyline through the points, broken where a point is nil.
    func path(_ points: [(Double, Double)?], width: Double) {
        cairo_set_line_width(context, width)
        cairo_set_line_join(context, CAIRO_LINE_JOIN_ROUND)
        var drawing = false
        for point in points {
            guard let point else {
                drawing = false
                continue
            }
            if drawing { cairo_line_to(context, point.0, point.1) } else { cairo_move_to(context, point.0, point.1) }
            drawing = true
        }
        cairo_stroke(context)
    }

    /// Text at (x, y) on its baseline; `anchor` 0 aligns left, 0.5 centres, 1 aligns right. Returns its width.
    @discardableResult
    func text(_ text: String, x: Double, y: Double, size: Double, bold: Bool = false, anchor: Double = 0) -> Double {
        let width = textWidth(text, size: size, bold: bold)
        cairo_move_to(context, x - width * anchor, y)
        cairo_show_text(context, text)
        return width
    }

    /// Selects the font and measures `text` in it; `text` draws with the font this leaves selected.
    func textWidth(_ text: String, size: Double, bold: Bool = false) -> Double {
        cairo_select_font_face(context, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(context, size)
        var extents = cairo_text_extents_t()
        cairo_text_extents(context, text, &extents)
        return extents.x_advance
    }

    /// The picture as PNG bytes, encoded in memory.
    func png() throws -> Data {
        final class Sink { var data = Data() }
        let sink = Sink()
        cairo_surface_flush(surface)
        let status = cairo_surface_write_to_png_stream(surface, { closure, bytes, length in
            guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
            Unmanaged<Sink>.fromOpaque(closure).takeUnretainedValue().data.append(bytes, count: Int(length))
            return CAIRO_STATUS_SUCCESS
        }, Unmanaged.passUnretained(sink).toOpaque())
        guard status == CAIRO_STATUS_SUCCESS else { throw ChartError.encoding(String(cString: cairo_status_to_string(status))) }
        return withExtendedLifetime(sink) { sink.data }
    }
}
