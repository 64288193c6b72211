import CardioSim
import MLEngine

/// What the boosting lab predicts from the patients table.
enum BoostingTask: String, CaseIterable, Sendable {
    /// Whether an event happened (0/1), with log-loss.
    case classify
    /// The 10-year risk in percent, with squared error.
    case regress
    /// The five classes of the "beats-hard" beats from their 250 samples, with softmax log-loss
    /// (`BeatTable`; the map's production classification row).
    case beats

    static var names: [String] { allCases.map(\.rawValue) }

    var objective: BoostingObjective {
        switch self {
        case .classify: return .logLoss
        case .regress: return .squaredError
        case .beats: return .softmax(classes: BeatClass.allCases.count)
        }
    }

    var lossName: String {
        switch self {
        case .classify: return "log-loss"
        case .regress: return "squared error, %^2"
        case .beats: return "softmax log-loss"
        }
    }
}

/// The "patients" recipe as the boosting lab reads it: features [rows, 12] and both targets of
/// the training and test splits. Made once per process (it is small, but every page turn would
/// otherwise simulate it again).
struct PatientData: Sendable {
    let trainFeatures: Tensor
    let testFeatures: Tensor
    let trainRisk: [Double], testRisk: [Double]
    let trainEvent: [Double], testEvent: [Double]

    static var featureNames: [String] { Patient.featureColumns }

    func labels(_ task: BoostingTask, test: Bool) -> [Double] {
        switch task {
        case .classify: return test ? testEvent : trainEvent
        case .regress: return test ? testRisk : trainRisk
        // The beats are another table (`BeatTable`); the lab never asks the patients for them.
        case .beats: return []
        }
    }

    static let shared: PatientData = {
        let table = (try? PatientTable.load(named: "patients"))
            ?? BuiltInRecipes.all.first { $0.name == "patients" }.flatMap { recipe -> PatientTable? in
                guard case .patients(let config) = recipe.parameters else { return nil }
                return try? PatientTable.generate(config, seed: recipe.seed)
            }
        // The built-in recipe always validates, so the default settings here cannot fail either.
        // swiftlint:disable:next force_try
        return PatientData(table ?? (try! PatientTable.generate(PatientTableConfig(), seed: 46)))
    }()

    init(_ table: PatientTable) {
        let train = PatientTable.tensors(table.train), test = PatientTable.tensors(table.test)
        trainFeatures = train.features
        testFeatures = test.features
        trainRisk = train.risk.copyScalars().map(Double.init)
        testRisk = test.risk.copyScalars().map(Double.init)
        trainEvent = train.event.copyScalars().map(Double.init)
        testEvent = test.event.copyScalars().map(Double.init)
    }
}

/// Area under the ROC curve: the chance that a random positive row scores above a random
/// negative one (ties count half). 0.5 is guessing, 1 a perfect ranking.
enum RankingScore {
    static func auc(scores: [Double], labels: [Double]) -> Double {
        let order = scores.indices.sorted { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
        var rankSum = 0.0, positives = 0.0
        var i = 0
        while i < order.count {
            // Tied scores share the mean of their ranks.
            var j = i
            while j + 1 < order.count && scores[order[j + 1]] == scores[order[i]] { j += 1 }
            let rank = Double(i + j) / 2 + 1
            for k in i...j where labels[order[k]] > 0.5 { rankSum += rank; positives += 1 }
            i = j + 1
        }
        let negatives = Double(order.count) - positives
        guard positives > 0, negatives > 0 else { return 0.5 }
        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives)
    }
}
