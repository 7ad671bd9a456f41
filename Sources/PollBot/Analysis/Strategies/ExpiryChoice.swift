import Foundation

/// Which listed expiry an analysis reads.
public enum ExpiryChoice {
    /// The listed expiry whose day is nearest `targetDays` calendar days from `now`, never one whose close has passed
    /// (an expiry today after the close counts as past); ties go to the later one.
    ///
    /// Distances are counted in exchange-local days, not seconds: a trader asking for "about 30 days" means dates, and
    /// two expiries 28 and 32 days away are equally near whatever the time of day is.
    public static func nearest(to targetDays: Int, among expiries: [ExpiryDate], now: Date,
                               calendar: MarketCalendar = .india) -> ExpiryDate? {
        let target = calendar.day(of: now) + max(-1_000_000, min(1_000_000, targetDays))
        return expiries.filter { $0.close(in: calendar) > now }.min { first, second in
            let (near, far) = (abs(first.dayNumber - target), abs(second.dayNumber - target))
            return near != far ? near < far : first > second
        }
    }
}
