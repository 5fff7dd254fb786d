/// Which kept positions a chain stores (`ChainRecord`'s thinned draws): every `thin`-th,
/// counted from the first; when the store holds `maxDraws`, every second stored draw is
/// dropped (`compact`) and `thin` doubles, so the stored draws stay equally spaced. One value
/// serves every chain of a batch (`BatchRecord`): chains in lock step keep the same steps.
struct DrawThinning: Sendable {
    /// Steps between stored draws (the initial thinning, doubled at each compaction).
    private(set) var thin: Int
    private var keptSinceStart = 0
    /// keptSinceStart mod thin, kept up to date by counting, so that a step costs no integer
    /// division.
    private var phase = 0

    init(thin: Int) { self.thin = thin }

    /// What to do with the next kept position, given whether the store is full: compact the
    /// store first (then `thin` has doubled), and whether to store it.
    @inline(__always)
    mutating func next(storeIsFull: Bool) -> (compact: Bool, store: Bool) {
        var compact = false, store = false
        if phase == 0 {
            if storeIsFull {
                compact = true
                thin *= 2
                phase = keptSinceStart % thin
            }
            store = phase == 0
        }
        keptSinceStart += 1
        phase += 1
        if phase == thin { phase = 0 }
        return (compact, store)
    }

    /// Drops every second draw of `draws` (rows of `dimension` values), keeping the first.
    static func compact(_ draws: inout [Double], dimension d: Int) {
        let kept = (draws.count / d + 1) / 2
        for k in 0..<kept where k > 0 {
            for i in 0..<d { draws[k * d + i] = draws[2 * k * d + i] }
        }
        draws.removeLast(draws.count - kept * d)
    }
}
