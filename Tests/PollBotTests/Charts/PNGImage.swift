import CCairo
import Foundation

/// A PNG decoded by cairo (a real decoder, not our encoder's bookkeeping), for pixel samples.
final class PNGImage {
    let width: Int
    let height: Int
    private let surface: OpaquePointer

    init?(_ data: Data) {
        final class Source {
            let data: Data
            var offset = 0
            init(_ data: Data) { self.data = data }
        }
        let source = Source(data)
        let surface = withExtendedLifetime(source) {
            cairo_image_surface_create_from_png_stream({ closure, buffer, length in
                let source = Unmanaged<Source>.fromOpaque(closure!).takeUnretainedValue()
                guard source.offset + Int(length) <= source.data.count, let buffer else { return CAIRO_STATUS_READ_ERROR }
                source.data.copyBytes(to: buffer, from: source.offset..<(source.offset + Int(length)))
                source.offset += Int(length)
                return CAIRO_STATUS_SUCCESS
            }, Unmanaged.passUnretained(source).toOpaque())
        }
        guard let surface, cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else { return nil }
        self.surface = surface
        width = Int(cairo_image_surface_get_width(surface))
        height = Int(cairo_image_surface_get_height(surface))
    }

    deinit { cairo_surface_destroy(surface) }

    /// The pixel at (x, y) as 0xRRGGBB.
    func pixel(_ x: Int, _ y: Int) -> UInt32 {
        let stride = Int(cairo_image_surface_get_stride(surface))
        let data = cairo_image_surface_get_data(surface)!
        return (data + y * stride + x * 4).withMemoryRebound(to: UInt32.self, capacity: 1) { $0.pointee } & 0xFFFFFF
    }

    /// Pixels within `tolerance` (per channel) of `color`, inside the rectangle.
    func count(_ color: UInt32, tolerance: Int = 12, x: Range<Int>? = nil, y: Range<Int>? = nil) -> Int {
        var total = 0
        for row in y ?? 0..<height {
            for column in x ?? 0..<width where Self.close(pixel(column, row), color, tolerance) { total += 1 }
        }
        return total
    }

    static func close(_ a: UInt32, _ b: UInt32, _ tolerance: Int) -> Bool {
        [16, 8, 0].allSatisfy { shift in abs(Int((a >> UInt32(shift)) & 0xFF) - Int((b >> UInt32(shift)) & 0xFF)) <= tolerance }
    }
}
