import Workbench

/// What the BNN targets (`BNNRegression`, `BNNClassifier`) share around their likelihoods: a
/// train split and a pool of MLP workspaces, from which the full gradient (every train row)
/// and a minibatch gradient (the batch's rows, the likelihood weighted N/|B|) are one
/// accumulation over the rows gathered into a workspace. Rows and targets are copied into the
/// borrowed workspace, so no call allocates.
protocol MLPLikelihood: Target {
    var data: StandardisedSplit { get }
    var pool: WorkspacePool<MLP.Workspace> { get }
    /// Prior gradient plus `weight` × the likelihood gradient of the `m` rows gathered in `ws`
    /// (inputs in `ws.activations[0]`, targets in `ws.rowScratch`), written into `gradient`.
    func accumulateGradient(at theta: [Double], rows m: Int, weight: Double, _ ws: MLP.Workspace,
                            into gradient: inout [Double])
}

extension MLPLikelihood {
    public var dataSize: Int { data.trainCount }

    public func potentialGradient(at theta: [Double], into gradient: inout [Double]) {
        pool.withWorkspace { ws in
            gatherAll(ws)
            accumulateGradient(at: theta, rows: data.trainCount, weight: 1, ws, into: &gradient)
        }
    }

    public func minibatchPotentialGradient(at theta: [Double], batch: ArraySlice<Int32>, into gradient: inout [Double]) {
        pool.withWorkspace { ws in
            gather(batch, ws)
            accumulateGradient(at: theta, rows: batch.count, weight: Double(dataSize) / Double(batch.count), ws, into: &gradient)
        }
    }

    /// Copies the train rows and targets of `batch`, in its order, into the workspace.
    func gather(_ batch: ArraySlice<Int32>, _ ws: MLP.Workspace) {
        let p = data.featureCount
        data.trainX.withUnsafeBufferPointer { x in
            ws.activations[0].withUnsafeMutableBufferPointer { a in
                var r = 0
                for i in batch {
                    (a.baseAddress! + r * p).update(from: x.baseAddress! + Int(i) * p, count: p)
                    ws.rowScratch[r] = data.trainY[Int(i)]
                    r += 1
                }
            }
        }
    }

    /// Copies every train row and target into the workspace.
    func gatherAll(_ ws: MLP.Workspace) {
        ws.activations[0].withUnsafeMutableBufferPointer { a in
            data.trainX.withUnsafeBufferPointer { x in a.baseAddress!.update(from: x.baseAddress!, count: x.count) }
        }
        ws.rowScratch.withUnsafeMutableBufferPointer { y in
            data.trainY.withUnsafeBufferPointer { t in y.baseAddress!.update(from: t.baseAddress!, count: t.count) }
        }
    }
}
