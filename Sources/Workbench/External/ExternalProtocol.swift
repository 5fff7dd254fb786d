/// The wire format between the workbench and an external sampler's child process
/// (docs/EXTERNAL.md, the one specification; this file and `clients/python` follow it).
///
/// Every message is a frame: a little-endian `u32` length L (the bytes after it), a `u8`
/// kind, then L − 1 payload bytes. Numbers are little-endian: `u32`, and `f64` (IEEE 754
/// binary64) for every position, gradient and statistic. Arrays of positions are C × d,
/// chain-major (row c is chain c), ArviZ's (chain, …, dimension) order.
public enum ExternalProtocol {
    /// The protocol version this workbench speaks (in `config` and expected in `ready`).
    public static let version: UInt32 = 1

    /// The largest frame accepted from a child (a longer length is a malformed frame).
    public static let maximumFrame = 1 << 30

    /// The kind byte of a frame.
    public enum Kind: UInt8, Sendable {
        /// Workbench → child, first: `u32` version, `u32` J, J bytes of JSON (the
        /// configuration), then the initial positions, C × d `f64`.
        case config = 0x01
        /// Child → workbench, answering `config`: `u32` version.
        case ready = 0x02
        /// Child → workbench: `u8` batch (`Batch`), `u8` flags (bit 0: with log densities),
        /// 2 bytes 0, then C × d `f64` positions.
        case gradient = 0x10
        /// Workbench → child: C × d `f64` gradients of the log density, then C `f64` log
        /// densities when asked.
        case gradientReply = 0x11
        /// Child → workbench: C × d `f64` positions.
        case logDensity = 0x12
        /// Workbench → child: C `f64` log densities (all data).
        case logDensityReply = 0x13
        /// Child → workbench, once per step: `u8` statistics mask (`Statistic`), `u8` next
        /// gradient (0 none, else 1 + `Batch`: the next step's gradient at these positions, in
        /// the reply), `u8` flags (bit 0: with log densities), 1 byte 0, C × d `f64` positions,
        /// then C `f64` per statistic in the mask, in bit order.
        case record = 0x20
        /// Workbench → child: `u8` verdict (0 continue, 1 stop), `u8` reason (`StopReason`),
        /// 2 bytes 0, C bytes (1 for each chain still running, 0 for a stopped one), then, when
        /// it continues and the record asked, the gradient reply's payload.
        case recordReply = 0x21
        /// Child → workbench: a UTF-8 message; the child gives up (the cell fails with it).
        case error = 0x30
    }

    /// Which data a gradient is computed on.
    public enum Batch: UInt8, Sendable, CustomStringConvertible {
        /// A new minibatch per chain, drawn by the workbench (`--batching`); cost n each.
        case new = 0
        /// The same minibatch as the chain's previous gradient; cost n each.
        case same = 1
        /// All data; cost N each.
        case full = 2

        public var description: String {
            switch self {
            case .new: return "new"
            case .same: return "same"
            case .full: return "full"
            }
        }
    }

    /// The per-chain statistics a record may carry (bits of its mask).
    public enum Statistic: Int, CaseIterable, Sendable {
        /// Acceptance probability of the step (BlackJAX's `acceptance_rate`).
        case acceptanceRate = 0
        /// Energy error ΔE of the step.
        case energyError = 1
        /// Non-zero: the sampler says the chain diverged at this step (`is_divergent`).
        case isDivergent = 2

        public var bit: UInt8 { 1 << UInt8(rawValue) }
    }

    /// Why the workbench stops the child (`recordReply`'s reason byte).
    public enum StopReason: UInt8, Sendable, CustomStringConvertible {
        case none = 0
        /// Every step has been recorded.
        case stepsDone = 1
        /// A chain has spent more gradients than the manifest declares for its steps.
        case budgetSpent = 2
        /// Every chain has stopped (diverged).
        case allChainsStopped = 3
        /// The cell's wall-time cap has passed.
        case wallTime = 4

        public var description: String {
            switch self {
            case .none: return "none"
            case .stepsDone: return "steps done"
            case .budgetSpent: return "budget spent"
            case .allChainsStopped: return "all chains stopped"
            case .wallTime: return "wall-time cap"
            }
        }
    }
}
