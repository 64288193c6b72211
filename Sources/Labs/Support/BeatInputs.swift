import CardioSim
import MLEngine

/// The heartbeats as a classifier receives them (`mlp-ecg`, `cnn-ecg`): the "beats" data set,
/// optionally with its sample positions scrambled by one fixed permutation (the same for every
/// beat, training and test), and with the test beats optionally shifted later in their window.
///
/// Shifted test beats are simulated again with the R peak `shift` samples later (same beats,
/// same noise draws, same labels), so the shift is a real slip in time, not a wrapped array.
struct BeatInputs: Sendable {
    let dataset: BeatDataset
    /// Input position i of the network reads sample `permutation[i]` of the beat; nil keeps the order.
    let permutation: [Int]?
    /// Training beats [N, window], as the network receives them.
    let train: Tensor
    /// Test beats [M, window] at the current shift, as the network receives them.
    private(set) var test: Tensor
    private(set) var shift = 0
    private let unshiftedTest: Tensor

    var window: Int { dataset.train.beats.shape[1] }
    var classCount: Int { dataset.classes.count }
    var trainLabels: [Int] { dataset.train.labels }
    var testLabels: [Int] { dataset.test.labels }
    var classNames: [String] { dataset.classes.map(\.rawValue) }

    init(dataset: BeatDataset, permutation: [Int]?) {
        self.dataset = dataset
        self.permutation = permutation
        train = Self.arrange(dataset.train.beats, permutation)
        unshiftedTest = Self.arrange(dataset.test.beats, permutation)
        test = unshiftedTest
    }

    /// Moves the test beats `samples` later in their window (0 restores them).
    /// - Throws: when the simulator refuses the shift.
    mutating func setShift(_ samples: Int) throws {
        guard samples != shift else { return }
        if samples == 0 {
            test = unshiftedTest
        } else {
            var config = dataset.config
            config.trainCount = 0
            config.testShiftSamples += samples
            let shifted = try BeatDataset.generate(config, seed: dataset.seed)
            // The labels depend only on the seed, so they match the unshifted beats one for one.
            precondition(shifted.test.labels == dataset.test.labels, "shifted test beats changed their labels")
            test = Self.arrange(shifted.test.beats, permutation)
        }
        shift = samples
    }

    /// One random permutation of the window's positions, drawn from `generator`.
    static func scramble(window: Int, generator: inout SeededGenerator) -> [Int] {
        generator.permutation(window)
    }

    private static func arrange(_ beats: Tensor, _ permutation: [Int]?) -> Tensor {
        guard let permutation else { return beats }
        return beats.gathering(permutation, alongAxis: 1)
    }
}
