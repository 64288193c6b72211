import MLEngine

/// Bringing a lab back from a checkpoint, two ways: restore its saved tensors and state (fast),
/// or replay the run from its seed and event log (slow, and a proof: the result must be the
/// saved weights bit for bit, because a lab's state after N steps depends only on the seed,
/// the hyperparameter events by step and N).
extension CheckpointFile {
    /// A fresh lab of the checkpoint's kind, with the hyperparameters it had at `step`, reset
    /// with the saved seed.
    private func freshLab(using catalogue: LabCatalogue) throws(CheckpointError) -> any Lab {
        var lab: any Lab
        do { lab = try catalogue.make(labID, seed: seed) } catch {
            if case .unknownLab(let id, let suggestion) = error { throw .unknownLab(id, suggestion: suggestion) }
            throw .unknownLab(labID, suggestion: nil)
        }
        for setting in hyperparameters {
            do { try lab.set(setting.name, to: setting.value) } catch {
                throw .doesNotFitLab(lab: labID, problem: "hyperparameter \(setting.name) = \(setting.value): \(error)")
            }
        }
        lab.reset(seed: seed)
        return lab
    }

    /// The lab at the checkpoint's state, built from `catalogue`. The lab's own `restore` checks
    /// the state (each lab knows which of its tensors have a fixed shape and which grow with the
    /// run, such as the optimizer race's trails); then every saved tensor must come back out of
    /// the restored lab with the shape it was saved with, so a lab that quietly ignored a
    /// misshapen tensor is refused too.
    ///
    /// (This used to compare the saved shapes with those of a fresh lab at step 0 before
    /// restoring, which refused every checkpoint of a lab whose state grows as it trains.)
    public func restoredLab(using catalogue: LabCatalogue) throws(CheckpointError) -> any Lab {
        var lab = try freshLab(using: catalogue)
        do { try lab.restore(checkpoint.state) } catch { throw .doesNotFitLab(lab: labID, problem: "\(error)") }
        let restored = lab.snapshot().tensors
        for name in checkpoint.state.tensors.keys.sorted() {
            if let have = restored[name]?.shape, let saved = checkpoint.state.tensors[name]?.shape, have != saved {
                throw .doesNotFitLab(lab: labID, problem: "tensor '\(CheckpointFormat.tensorPrefix)\(name)' has shape \(saved), "
                                     + "but the lab with these hyperparameters has \(have)")
            }
        }
        return lab
    }

    /// The lab re-run from the saved seed, applying the saved event log, up to `step`; and
    /// whether it arrived at the saved tensors bit for bit (same names, shapes and bits).
    public func replayedLab(using catalogue: LabCatalogue) throws(CheckpointError) -> (lab: any Lab, matchesSaved: Bool) {
        _ = try freshLab(using: catalogue)          // the same clear errors as restoring
        guard step <= RunRecord.maximumSteps else {
            throw .replayFailed("the checkpoint is at step \(step); replaying from the start takes at most \(RunRecord.maximumSteps) steps "
                                + "(as long as training took); load it instead")
        }
        let lab: any Lab
        do { lab = try checkpoint.run.replay(using: catalogue, steps: step) } catch { throw .replayFailed("\(error)") }
        return (lab, Self.identical(lab.snapshot().tensors, checkpoint.state.tensors))
    }

    /// Same names, shapes and bit patterns (so -0 differs from 0, and NaN equals the same NaN).
    static func identical(_ a: [String: Tensor], _ b: [String: Tensor]) -> Bool {
        guard Set(a.keys) == Set(b.keys) else { return false }
        return a.allSatisfy { name, tensor in
            guard let other = b[name], other.shape == tensor.shape else { return false }
            return tensor.copyScalars().map(\.bitPattern) == other.copyScalars().map(\.bitPattern)
        }
    }
}

extension Session.Checkpoint {
    /// The checkpoint of `lab` after `step` steps of `run`, for code that drives a lab without a
    /// session (the headless runner): `RunRecord(startOf: lab)` right after its reset, plus the
    /// live changes it made.
    public init(lab: any Lab, run: RunRecord, step: Int, lessonID: String? = nil, page: Int? = nil) {
        self.init(lessonID: lessonID, page: page, run: run, step: step, metrics: lab.metrics, state: lab.snapshot())
    }
}

extension Session {
    /// Opens `file` in this session: its lab at the saved step, on the lesson page it came from,
    /// paused ('train' continues). With `fromStart`, re-runs the saved seed and event log up to
    /// the saved step instead of restoring the saved tensors.
    ///
    /// Everything is checked before anything changes: when this throws, the session (page, lab,
    /// step, event log) is exactly as it was.
    /// - Returns: what happened, for the status line: "quadratic at step 45 (lesson bowl, page 2)",
    ///   plus, when replaying, whether the weights came out bit for bit as saved.
    /// `page` (0-based) shows that page of the checkpoint's lesson instead of the saved one.
    @discardableResult
    public func open(_ file: CheckpointFile, fromStart: Bool = false, page: Int? = nil) throws(CheckpointError) -> String {
        try opening(file, fromStart: fromStart, page: page).message
    }

    /// What opening a checkpoint did: the status-line message and, for a replay from the start,
    /// whether the weights came out bit for bit as saved (nil when the saved state was loaded).
    public struct Opening: Sendable, Equatable {
        public var message: String
        public var weightsMatch: Bool?
    }

    /// `open(_:fromStart:page:)`, also saying whether a replay matched, for callers that must act
    /// on it (`mlcourse replay --from-start` exits non-zero when it does not).
    public func opening(_ file: CheckpointFile, fromStart: Bool = false, page: Int? = nil) throws(CheckpointError) -> Opening {
        // Where the lab opened, said after resuming: the page it really is on (a file naming
        // page 99999 opens the lesson's last page, and the message must say so).
        func place() -> String {
            guard let lesson = file.checkpoint.lessonID, self.lesson?.id == lesson else { return "" }
            return " (lesson \(lesson), page \(pageIndex + 1))"
        }
        if fromStart {
            let (lab, matches) = try file.replayedLab(using: catalogue)
            resume(lab, at: file.checkpoint, page: page)
            let place = place()
            let changes = file.checkpoint.run.events.count
            let message = "replayed \(file.labID) from seed \(file.seed) with \(changes) change\(changes == 1 ? "" : "s") to step \(file.step)\(place); "
                + (matches ? "the weights match the saved ones bit for bit"
                           : "the weights differ from the saved ones (the lab's code or data changed since it was saved)")
            return Opening(message: message, weightsMatch: matches)
        }
        resume(try file.restoredLab(using: catalogue), at: file.checkpoint, page: page)
        return Opening(message: "\(file.labID) at step \(file.step)\(place()); 'train' continues", weightsMatch: nil)
    }
}
