import Foundation

/// SplitMix64 (Steele, Lea, Flood 2014): a 64-bit mixer used to expand one seed into the
/// 256-bit state of `Xoshiro256StarStar` and to derive independent stream seeds.
@inlinable
public func splitMix64(_ state: inout UInt64) -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

/// xoshiro256** 1.0 (Blackman & Vigna 2018): the generator every chain owns.
///
/// Contract: the sequence is a pure function of the seed, so the same seed gives the same
/// chain bit for bit on every run and thread count. Seeds are expanded through SplitMix64,
/// so nearby seeds give unrelated streams. Derive per-chain streams with
/// `init(seed:stream:index:)`, never by sharing a generator across threads.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable {
    @usableFromInline var s0: UInt64
    @usableFromInline var s1: UInt64
    @usableFromInline var s2: UInt64
    @usableFromInline var s3: UInt64

    /// A generator whose 256-bit state is four SplitMix64 outputs from `seed`.
    public init(seed: UInt64) {
        var sm = seed
        s0 = splitMix64(&sm)
        s1 = splitMix64(&sm)
        s2 = splitMix64(&sm)
        s3 = splitMix64(&sm)
    }

    /// The generator of stream `index` under the named `stream` of a master `seed`: the seed
    /// is mixed with a 64-bit FNV-1a hash of `stream` and with `index`, so (grid seed, cell key,
    /// chain index) name a reproducible, independent stream.
    public init(seed: UInt64, stream: String, index: Int) {
        var sm = seed ^ fnv1a64(stream)
        let a = splitMix64(&sm)
        var sm2 = a ^ (UInt64(bitPattern: Int64(index)) &* 0xD1B5_4A32_D192_ED03)
        self.init(seed: splitMix64(&sm2))
    }

    @inlinable
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// A uniform deviate in the open interval (0, 1): 53 random bits, offset by half a unit.
    @inlinable
    public mutating func uniform() -> Double {
        (Double(next() >> 11) + 0.5) * 0x1.0p-53
    }

    /// A standard normal deviate by the 256-layer Ziggurat (Marsaglia & Tsang 2000, in
    /// Doornik's ZIGNOR form, 2005; tables in `ZigguratTables.swift`). Every sampler and target
    /// draws its noise here.
    ///
    /// One 64-bit output gives the layer i (its low 8 bits) and a uniform u in [−1, 1) (its top
    /// 53 bits), disjoint bits so the two are independent. If |u| < xᵢ₊₁/xᵢ the draw u·xᵢ lies
    /// in the layer's rectangle under the density and is returned (about 99 % of calls: one
    /// generator output, a multiply and a compare). Otherwise the base layer samples the tail
    /// beyond R by Marsaglia's exponential method, and the other layers accept u·xᵢ in the
    /// wedge when f(xᵢ₊₁) + U (f(xᵢ) − f(xᵢ₊₁)) < f(u·xᵢ), else start over. The result is exactly
    /// N(0, 1) up to the 53-bit resolution of u; the sequence is a pure function of the
    /// generator's state (no spare deviate is kept), so the same seed gives the same deviates.
    @inlinable
    public mutating func normal() -> Double { ziggurat() }

    /// The body of `normal()`, always inlined where it is called (`normal()` itself is left to
    /// the optimiser, so every sampler's loop does not grow by it).
    @inlinable @inline(__always)
    mutating func ziggurat() -> Double {
        while true {
            let bits = next()
            let i = Int(truncatingIfNeeded: bits & 0xFF)
            let u = Double(bits >> 11) * 0x1.0p-52 - 1
            let ratio = zigguratRatio.withUnsafeBufferPointer { $0[i] }
            if abs(u) < ratio { return u * zigguratX.withUnsafeBufferPointer { $0[i] } }
            if let x = zigguratSlowPath(layer: i, u: u) { return x }
        }
    }

    /// `ziggurat()` with the tables' storage (`withZigguratTables`) passed in, so that the
    /// batch fill reads the global tables' addresses once per batch, not per draw. (`ziggurat()`
    /// keeps its own body: written through this one, its callers grew and the per-draw
    /// accessors moved into them, which slowed them; BENCHMARKS.md has the figure.)
    @inlinable @inline(__always)
    mutating func ziggurat(ratio: UnsafePointer<Double>, x: UnsafePointer<Double>) -> Double {
        while true {
            let bits = next()
            let i = Int(truncatingIfNeeded: bits & 0xFF)
            let u = Double(bits >> 11) * 0x1.0p-52 - 1
            if abs(u) < ratio[i] { return u * x[i] }
            if let x = zigguratSlowPath(layer: i, u: u) { return x }
        }
    }

    /// The rest of `ziggurat(ratio:x:)` after a draw (layer i, u) fell outside its rectangle:
    /// the slow path, and fresh draws if it rejects.
    @inlinable @inline(never)
    mutating func zigguratAfterRectangle(layer i: Int, u: Double, ratio: UnsafePointer<Double>, x: UnsafePointer<Double>) -> Double {
        if let value = zigguratSlowPath(layer: i, u: u) { return value }
        return ziggurat(ratio: ratio, x: x)
    }

    /// Calls `body` with the storage of `zigguratRatio` and `zigguratX`.
    @inlinable @inline(__always)
    static func withZigguratTables<R>(_ body: (UnsafePointer<Double>, UnsafePointer<Double>) -> R) -> R {
        zigguratRatio.withUnsafeBufferPointer { ratio in
            zigguratX.withUnsafeBufferPointer { x in body(ratio.baseAddress!, x.baseAddress!) }
        }
    }

    /// The rare branch of `normal()`: the tail (layer 0) or a wedge; nil means start over.
    @usableFromInline
    mutating func zigguratSlowPath(layer i: Int, u: Double) -> Double? {
        if i == 0 {
            // The tail beyond R (Marsaglia 1964): x = R + a with a ~ −ln U₁ / R accepted when
            // 2(−ln U₂) > a².
            let r = zigguratX[1]
            while true {
                let a = -Foundation.log(uniform()) / r
                let b = -Foundation.log(uniform())
                if b + b > a * a { return u < 0 ? -(r + a) : r + a }
            }
        }
        let x = u * zigguratX[i]
        let lower = zigguratDensity[i + 1], upper = zigguratDensity[i]
        if lower + uniform() * (upper - lower) < Foundation.exp(-0.5 * x * x) { return x }
        return nil
    }

    /// Fills `buffer` with independent standard normal deviates: the deviates `normal()` would
    /// give, in order.
    @inlinable
    public mutating func fillNormal(_ buffer: inout [Double]) {
        buffer.withUnsafeMutableBufferPointer { fillNormal($0) }
    }

    /// Fills `buffer` with the deviates `normal()` would give, in order: one call whose loop
    /// has the generator inlined, cheaper than a call of `normal()` per deviate (BENCHMARKS.md,
    /// "Measurements behind the code").
    @inlinable
    public mutating func fillNormal(_ buffer: UnsafeMutableBufferPointer<Double>) {
        for i in buffer.indices { buffer[i] = ziggurat() }
    }

    /// Fills row c of `rows` (C × d, chain-major, C = `generators.count`) with generator c's
    /// next d standard normal deviates — for each c what `generators[c].fillNormal` on its row
    /// gives, bit for bit — in one loop over the chains of a batch (`BatchedSampler`). A chain
    /// alone (C = 1) is that call itself: the batch loop reads the tables' addresses once per
    /// call, which a batch shares out over its chains but a lone chain would pay every step.
    @inlinable
    public static func fillNormal(_ generators: UnsafeMutableBufferPointer<Xoshiro256StarStar>,
                                  rows: UnsafeMutableBufferPointer<Double>) {
        if generators.count == 1 { return generators[0].fillNormal(rows) }
        let d = generators.isEmpty ? 0 : rows.count / generators.count
        precondition(d * generators.count == rows.count, "one row of d deviates per generator")
        withZigguratTables { ratio, x in
            if d == 1 {
                // Two generators at a time: both outputs first, then each one's fast path, each
                // falling back to the rest of `ziggurat` (slow path, fresh draws) on its own, so
                // the two draws' latencies overlap (BENCHMARKS.md, measurements behind the code).
                @inline(__always) func draw(_ c: Int, _ bits: UInt64) {
                    let i = Int(truncatingIfNeeded: bits & 0xFF)
                    let u = Double(bits >> 11) * 0x1.0p-52 - 1
                    rows[c] = abs(u) < ratio[i] ? u * x[i] : generators[c].zigguratAfterRectangle(layer: i, u: u, ratio: ratio, x: x)
                }
                var c = 0
                while c + 1 < generators.count {
                    let first = generators[c].next(), second = generators[c + 1].next()
                    draw(c, first)
                    draw(c + 1, second)
                    c += 2
                }
                if c < generators.count { rows[c] = generators[c].ziggurat(ratio: ratio, x: x) }
                return
            }
            for c in generators.indices {
                for i in (c * d)..<((c + 1) * d) { rows[i] = generators[c].ziggurat(ratio: ratio, x: x) }
            }
        }
    }

    /// A uniform integer in 0..<bound by Lemire's nearly divisionless method (written out
    /// here so the sequence never depends on the standard library's choice of algorithm).
    @inlinable
    public mutating func integer(below bound: Int) -> Int {
        precondition(bound > 0, "integer(below:) needs a positive bound")
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }
}

/// 64-bit FNV-1a hash of the UTF-8 bytes of `text` (stable across runs and platforms,
/// unlike `Hasher`).
public func fnv1a64(_ text: String) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in text.utf8 {
        h ^= UInt64(byte)
        h &*= 0x0000_0100_0000_01B3
    }
    return h
}
