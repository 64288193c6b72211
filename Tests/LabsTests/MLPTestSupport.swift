import CardioSim
import Course
import MLEngine

/// The "beats" data set, generated once for all the MLP lab tests (about 5000 beats).
enum SharedBeats {
    static let dataset: BeatDataset? = try? BeatDataset.load(named: "beats")
}

extension Lab {
    /// Runs `count` steps.
    mutating func stepMany(_ count: Int) throws {
        for _ in 0..<count { _ = try step() }
    }

    /// Sets several hyperparameters, then resets with `seed` so reset-only ones apply.
    mutating func applyAndReset(_ values: [String: HyperValue], seed: UInt64) throws {
        for (name, value) in values.sorted(by: { $0.key < $1.key }) { try set(name, to: value) }
        reset(seed: seed)
    }
}

/// True when two states hold the same tensors, bit for bit, and the same metadata.
func statesAgree(_ a: LabState, _ b: LabState) -> Bool {
    a.labID == b.labID && a.tensors.keys.sorted() == b.tensors.keys.sorted()
        && a.tensors.allSatisfy { key, value in
            guard let other = b.tensors[key], other.shape == value.shape else { return false }
            return value.copyScalars().map(\.bitPattern) == other.copyScalars().map(\.bitPattern)
        }
        && a.metadata == b.metadata
}
