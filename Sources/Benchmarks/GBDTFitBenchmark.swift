import CardioSim
import Foundation
import MLEngine

/// `gbdt_fit_s`: seconds to fit 200 rounds of depth-6 trees (lr 0.1, lambda 1, 256 bins,
/// log-loss on `event`) on the train split of the patients table, the settings of
/// `Benchmarks/reference/gbdt_fit.py` (xgboost, `tree_method="hist"`). Binning counts as part
/// of the fit, as it does in xgboost. The median of five fits; also the test log-loss, which
/// should be within 2% of xgboost's.
enum GBDTFitBenchmark {
    static func figures() -> [BenchFigure] {
        do {
            let table = try PatientTable.load(named: "patients")
            let train = PatientTable.tensors(table.train), test = PatientTable.tensors(table.test)
            let labels = train.event.copyScalars().map(Double.init), testLabels = test.event.copyScalars().map(Double.init)
            let settings = BoostingSettings(learningRate: 0.1, maxDepth: 6, rules: SplitRules(lambda: 1, gamma: 0, minChildWeight: 1))
            var times: [Double] = []
            var model: GradientBoostedTrees?
            for _ in 0..<5 {
                let start = DispatchTime.now().uptimeNanoseconds
                model = try GradientBoostedTrees.fit(features: train.features, labels: labels, objective: .logLoss,
                                                     settings: settings, rounds: 200, maxBins: 256).model
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            let testLoss = try model.map { BoostingObjective.logLoss.loss(scores: try $0.scores(features: test.features), labels: testLabels) } ?? .nan
            return [BenchFigure(key: "gbdt_fit_s", value: .number(times.sorted()[2]), unit: "s per fit (median of 5)"),
                    BenchFigure(key: "gbdt_test_logloss", value: .number(testLoss), unit: "log-loss on the test split")]
        } catch {
            return [BenchFigure(key: "gbdt_error", value: .string("\(error)"), unit: "")]
        }
    }
}
