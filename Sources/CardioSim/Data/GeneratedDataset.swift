import Foundation
import MLEngine

/// A table of named columns, every cell already written as text (numbers in Swift's shortest
/// round-tripping form, so a CSV re-reads to the same values).
public struct DataTable: Sendable, Equatable {
    public var columns: [String]
    public var rows: [[String]]
}

/// A generated data set in the two forms the exporters need: a table and named tensors.
public struct GeneratedDataset: Sendable {
    public var recipe: Recipe
    public var table: DataTable
    public var tensors: [(name: String, tensor: Tensor)]
}

extension Recipe {
    /// Generates the data set (with `seed` instead of the recipe's when given).
    public func generate(seed override: UInt64? = nil) throws -> GeneratedDataset {
        let seed = override ?? self.seed
        func text(_ x: Double) -> String { "\(x)" }
        func text(_ x: Float) -> String { "\(x)" }
        switch parameters {
        case .beats(let config):
            let data = try BeatDataset.generate(config, seed: seed)
            let length = config.beat.windowLength
            var rows: [[String]] = []
            for (splitName, split) in [("train", data.train), ("test", data.test)] {
                for i in 0..<split.count {
                    let label = split.labels[i]
                    rows.append([splitName, data.classes[label].rawValue, "\(label)", text(split.heartRates[i]), "\(split.rPeakIndices[i])"]
                                + split.beat(i).map(text))
                }
            }
            return GeneratedDataset(recipe: self, table: DataTable(
                columns: ["split", "label", "label_index", "heart_rate", "r_peak"] + (0..<length).map { "s\($0)" }, rows: rows),
                tensors: [("train_beats", data.train.beats), ("train_labels", data.train.labelTensor),
                          ("test_beats", data.test.beats), ("test_labels", data.test.labelTensor)])
        case .segmentation(let config):
            let data = try SegmentationDataset.generate(config, seed: seed)
            var rows: [[String]] = []
            for (splitName, records) in [("train", data.train), ("test", data.test)] {
                for (r, record) in records.enumerated() {
                    for i in record.samples.indices {
                        rows.append([splitName, "\(r)", record.rhythm.rawValue, "\(i)", text(Double(i) / record.samplingRate),
                                     text(record.samples[i]), record.labels[i].name, "\(record.labels[i].rawValue)"])
                    }
                }
            }
            let train = SegmentationDataset.tensors(data.train), test = SegmentationDataset.tensors(data.test)
            return GeneratedDataset(recipe: self, table: DataTable(
                columns: ["split", "record", "rhythm", "sample", "time_s", "mv", "label", "label_index"], rows: rows),
                tensors: [("train_signals", train.signals), ("train_labels", train.labels),
                          ("test_signals", test.signals), ("test_labels", test.labels)])
        case .twelveLead(let config):
            let data = try TwelveLeadDataset.generate(config, seed: seed)
            var rows: [[String]] = []
            let length = config.windowLength
            for (splitName, signals, labels) in [("train", data.trainSignals, data.trainLabels), ("test", data.testSignals, data.testLabels)] {
                let values = signals.copyScalars()  // once per split: indexing a fresh copy per value was quadratic
                for (e, label) in labels.enumerated() {
                    for i in 0..<length {
                        rows.append([splitName, "\(e)", data.regions[label].rawValue, "\(label)", "\(i)"]
                                    + (0..<12).map { text(values[(e * 12 + $0) * length + i]) })
                    }
                }
            }
            let edges = data.graph.edges.flatMap { [Float($0.0), Float($0.1)] }
            return GeneratedDataset(recipe: self, table: DataTable(
                columns: ["split", "example", "region", "label_index", "sample"] + Lead.allCases.map(\.name), rows: rows),
                tensors: [("train_signals", data.trainSignals), ("train_labels", Tensor(shape: [data.trainLabels.count], scalars: data.trainLabels.map(Float.init))),
                          ("test_signals", data.testSignals), ("test_labels", Tensor(shape: [data.testLabels.count], scalars: data.testLabels.map(Float.init))),
                          ("graph_edges", Tensor(shape: [data.graph.edges.count, 2], scalars: edges))])
        case .patients(let config):
            let data = try PatientTable.generate(config, seed: seed)
            let rows = [("train", data.train), ("test", data.test)].flatMap { split, patients in
                patients.map { [split] + $0.row.map(text) }
            }
            let train = PatientTable.tensors(data.train), test = PatientTable.tensors(data.test)
            return GeneratedDataset(recipe: self, table: DataTable(columns: ["split"] + Patient.columns, rows: rows),
                                    tensors: [("train_features", train.features), ("train_risk", train.risk), ("train_event", train.event),
                                              ("test_features", test.features), ("test_risk", test.risk), ("test_event", test.event)])
        case .riskCurve(let config):
            let data = try RiskCurve.generate(config, seed: seed)
            return GeneratedDataset(recipe: self, table: DataTable(columns: ["age", "risk"],
                                                                   rows: zip(data.ages, data.risks).map { [text($0), text($1)] }),
                                    tensors: [("age", Tensor(shape: [data.ages.count], scalars: data.ages.map(Float.init))),
                                              ("risk", Tensor(shape: [data.risks.count], scalars: data.risks.map(Float.init)))])
        case .windkessel(let config):
            let curve = try WindkesselCurve.simulate(config, seed: seed)
            var measured = [Int: Double]()
            for (t, p) in zip(curve.measurementTimes, curve.measurements) {
                if let i = curve.times.firstIndex(of: t) { measured[i] = p }
            }
            let rows = curve.times.indices.map { i in
                [text(curve.times[i]), text(curve.pressure[i]), text(curve.inflow[i]), measured[i].map(text) ?? ""]
            }
            func tensor(_ values: [Double]) -> Tensor { Tensor(shape: [values.count], scalars: values.map(Float.init)) }
            return GeneratedDataset(recipe: self, table: DataTable(columns: ["time_s", "pressure_mmhg", "inflow_ml_s", "measured_mmhg"], rows: rows),
                                    tensors: [("time", tensor(curve.times)), ("pressure", tensor(curve.pressure)), ("inflow", tensor(curve.inflow)),
                                              ("measurement_time", tensor(curve.measurementTimes)), ("measurement", tensor(curve.measurements))])
        case .longRange(let config):
            let data = try LongRangeDataset.generate(config, seed: seed)
            var rows: [[String]] = []
            var tensors: [(name: String, tensor: Tensor)] = []
            for (splitName, split) in [("train", data.train), ("test", data.test)] {
                let values = split.signals.copyScalars()  // once per split, not per value
                for i in 0..<split.count {
                    let classes = split.beatClasses[i].map { data.classes[$0].rawValue }.joined(separator: " ")
                    let peaks = split.rPeakIndices[i].map(String.init).joined(separator: " ")
                    let label: String = split.labels[i] == 1 ? "same" : "different"
                    let signal: [String] = values[(i * config.length)..<((i + 1) * config.length)].map { text($0) }
                    rows.append([splitName, label, String(split.labels[i]), classes, peaks] + signal)
                }
                tensors += [("\(splitName)_signals", split.signals),
                            ("\(splitName)_labels", Tensor(shape: [split.count], scalars: split.labels.map(Float.init))),
                            ("\(splitName)_beat_classes", Tensor(shape: [split.count, config.beatsPerRecording],
                                                                 scalars: split.beatClasses.flatMap { $0.map(Float.init) }))]
            }
            return GeneratedDataset(recipe: self, table: DataTable(
                columns: ["split", "label", "label_index", "beat_classes", "r_peaks"] + (0..<config.length).map { "s\($0)" }, rows: rows),
                tensors: tensors)
        case .dosingTrajectories(let config):
            let trajectories = try TrajectoryRecorder.record(config, seed: seed)
            var rows: [[String]] = []
            var states: [Float] = [], actions: [Float] = [], rewards: [Float] = [], togo: [Float] = [], episodes: [Float] = []
            for (e, trajectory) in trajectories.enumerated() {
                let rtg = trajectory.returnsToGo
                for s in trajectory.actions.indices {
                    let state = trajectory.states[s]
                    rows.append(["\(e)", trajectory.policy, "\(s)"] + state.map(text)
                                + ["\(trajectory.actions[s])", text(trajectory.rewards[s]), text(rtg[s])])
                    states += state
                    actions.append(Float(trajectory.actions[s]))
                    rewards.append(Float(trajectory.rewards[s]))
                    togo.append(Float(rtg[s]))
                    episodes.append(Float(e))
                }
            }
            return GeneratedDataset(recipe: self, table: DataTable(
                columns: ["episode", "policy", "step", "level", "severity", "progress", "action", "reward", "return_to_go"], rows: rows),
                tensors: [("episode", Tensor(shape: [episodes.count], scalars: episodes)),
                          ("states", Tensor(shape: [actions.count, 3], scalars: states)),
                          ("actions", Tensor(shape: [actions.count], scalars: actions)),
                          ("rewards", Tensor(shape: [rewards.count], scalars: rewards)),
                          ("returns_to_go", Tensor(shape: [togo.count], scalars: togo))])
        }
    }
}
