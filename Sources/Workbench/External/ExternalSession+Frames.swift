import Foundation

/// The frames of a session (docs/EXTERNAL.md, `ExternalProtocol`): the configuration, the
/// handshake, reading a request's header and payload into the session's buffers, and writing
/// the replies from them (no allocation per step).
extension ExternalSession {
    /// Sends the `config` frame: version, the configuration as JSON, the start points.
    mutating func sendConfig(_ child: ChildProcess, starts: [[Double]], warmup: Int, steps: Int, seeds: [UInt64],
                             oracle: BatchGradientOracle, deadline: ContinuousClock.Instant?) throws {
        let first = oracle.chains[0]
        let configuration = ExternalConfiguration(
            protocolVersion: ExternalProtocol.version, sampler: sampler.manifest.id,
            target: .init(id: first.target.id, dimension: dimension, dataSize: first.dataSize,
                          batchSize: first.batchSize, fullBatch: first.batch.isFull, batching: first.scheme.rawValue,
                          parameterNames: first.target.parameterNames),
            chains: chains, steps: steps, warmup: warmup, stepSize: sampler.stepSize,
            hyperparameters: sampler.parameters.values, seeds: seeds,
            gradientCost: sampler.manifest.gradientCost.cost.perStepCounts)
        let json = [UInt8](try JSONOutput.encoder().encode(configuration))
        var bytes: [UInt8] = []
        bytes.reserveCapacity(13 + json.count + 8 * chains * dimension)
        Self.append(UInt32(9 + json.count + 8 * chains * dimension), to: &bytes)
        bytes.append(ExternalProtocol.Kind.config.rawValue)
        Self.append(ExternalProtocol.version, to: &bytes)
        Self.append(UInt32(json.count), to: &bytes)
        bytes += json
        for start in starts {
            precondition(start.count == dimension, "a start point has d coordinates")
            for x in start { Self.append(x.bitPattern, to: &bytes) }
        }
        try bytes.withUnsafeBytes { try child.write($0, deadline: deadline) }
    }

    func expectReady(_ child: ChildProcess, deadline: ContinuousClock.Instant?) throws {
        let (length, kind) = try readHeader(child, deadline: deadline)
        guard kind == ExternalProtocol.Kind.ready.rawValue, length == 5 else {
            if kind == ExternalProtocol.Kind.error.rawValue { throw Stop(reason: try readError(child, length: length, deadline: deadline)) }
            throw Stop(reason: "malformed frame: expected ready (kind 0x02, 4 bytes), got kind 0x\(String(kind, radix: 16)) of \(length - 1) bytes")
        }
        var version: UInt32 = 0
        try withUnsafeMutableBytes(of: &version) { try child.read(into: $0, deadline: deadline) }
        let theirs = UInt32(littleEndian: version)
        guard theirs == ExternalProtocol.version else {
            throw Stop(reason: "the child speaks protocol version \(theirs); this workbench speaks \(ExternalProtocol.version)")
        }
    }

    /// Reads a frame header: (L, kind); checks L.
    func readHeader(_ child: ChildProcess, deadline: ContinuousClock.Instant?) throws -> (Int, UInt8) {
        var bytes: (UInt32, UInt8) = (0, 0)
        try withUnsafeMutableBytes(of: &bytes.0) { try child.read(into: $0, deadline: deadline) }
        let length = Int(UInt32(littleEndian: bytes.0))
        guard length >= 1, length <= ExternalProtocol.maximumFrame else {
            throw Stop(reason: "malformed frame at step \(step): length \(length) (a frame is 1 to \(ExternalProtocol.maximumFrame) bytes)")
        }
        try withUnsafeMutableBytes(of: &bytes.1) { try child.read(into: $0, deadline: deadline) }
        return (length, bytes.1)
    }

    func readError(_ child: ChildProcess, length: Int, deadline: ContinuousClock.Instant?) throws -> String {
        var text = [UInt8](repeating: 0, count: min(length - 1, 65536))
        try text.withUnsafeMutableBytes { try child.read(into: $0, deadline: deadline) }
        return "the child gave up at step \(step): " + String(decoding: text, as: UTF8.self)
    }

    /// Reads the `count` payload bytes of a frame of `length` into `frame`; a payload of
    /// another size than `count` is a wrong shape.
    mutating func readPayload(_ child: ChildProcess, length: Int, expected count: Int, what: String,
                              deadline: ContinuousClock.Instant?) throws {
        guard length - 1 == count else {
            throw Stop(reason: "wrong shape at step \(step): a \(what) frame of \(length - 1) bytes, expected \(count) "
                + "(C = \(chains) chains × d = \(dimension))")
        }
        try frame.withUnsafeMutableBytes { try child.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<count]), deadline: deadline) }
    }

    /// Copies C × d doubles from `frame` at `offset` into `positions`; a non-finite
    /// coordinate of a running chain in a request is a fault (`check`).
    mutating func takePositions(at offset: Int, check: Bool, oracle: BatchGradientOracle, what: String) throws {
        let n = chains * dimension
        frame.withUnsafeBytes { source in
            positions.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<(offset + 8 * n)])) }
        }
        guard check else { return }
        for c in 0..<chains where oracle.active[c] {
            for i in 0..<dimension where !positions[c * dimension + i].isFinite {
                throw Stop(reason: "a \(what) request at step \(step) has a non-finite position (chain \(c), coordinate \(i): "
                    + "\(positions[c * dimension + i])); a diverging chain is recorded, not asked about")
            }
        }
    }

    /// Sends a reply of `kind` whose payload is `gradients` (when asked), then `values` (when asked).
    mutating func send(_ kind: ExternalProtocol.Kind, gradients: Bool = true, values: Bool, _ child: ChildProcess,
                       deadline: ContinuousClock.Instant?) throws {
        try sendReply(kind, length: appendReply(gradients: gradients, values: values, at: 5), child, deadline: deadline)
    }

    /// Copies `gradients` (C × d), then `values` (C), each when asked, into the reply from byte
    /// `offset` on; returns the end. No allocation: both are the session's buffers.
    mutating func appendReply(gradients withGradients: Bool, values withValues: Bool, at offset: Int) -> Int {
        var offset = offset
        if withGradients { offset = Self.copy(gradients, into: &reply, at: offset) }
        if withValues { offset = Self.copy(values, into: &reply, at: offset) }
        return offset
    }

    static func copy(_ array: [Double], into reply: inout [UInt8], at offset: Int) -> Int {
        reply.withUnsafeMutableBytes { out in
            array.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: out[offset..<(offset + $0.count)]).copyMemory(from: $0) }
        }
        return offset + 8 * array.count
    }

    /// Writes a record reply's verdict, reason and active flags after the header; returns the end.
    mutating func writeVerdict(_ reason: ExternalProtocol.StopReason, active: [Bool]) -> Int {
        reply[5] = reason == .none ? 0 : 1
        reply[6] = reason.rawValue
        reply[7] = 0
        reply[8] = 0
        for c in 0..<chains { reply[9 + c] = active[c] ? 1 : 0 }
        return 9 + chains
    }

    /// Writes the header of a reply of `length` bytes in all and sends it.
    mutating func sendReply(_ kind: ExternalProtocol.Kind, length: Int, _ child: ChildProcess,
                            deadline: ContinuousClock.Instant?) throws {
        let l = UInt32(length - 4)
        reply[0] = UInt8(l & 0xff); reply[1] = UInt8((l >> 8) & 0xff); reply[2] = UInt8((l >> 16) & 0xff); reply[3] = UInt8(l >> 24)
        reply[4] = kind.rawValue
        try reply.withUnsafeBytes { try child.write(UnsafeRawBufferPointer(rebasing: $0[0..<length]), deadline: deadline) }
    }

    static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        for k in 0..<4 { bytes.append(UInt8((value >> (8 * UInt32(k))) & 0xff)) }
    }

    static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        for k in 0..<8 { bytes.append(UInt8((value >> (8 * UInt64(k))) & 0xff)) }
    }
}
