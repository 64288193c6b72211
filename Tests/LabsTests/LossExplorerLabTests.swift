import Course
import MLEngine
import Testing
@testable import Labs

/// `loss-explorer`: the value and gradient it shows are the engine's, for every loss; the worked
/// numbers it tabulates match the syllabus; moving the prediction moves the metrics; checkpoints.
@Suite struct LossExplorerLabTests {
    static func lab(_ loss: String, prediction: Double? = nil) throws -> LossExplorerLab {
        var lab = LossExplorerLab(seed: 1)
        try lab.set("loss", to: .choice(loss))
        if let prediction { try lab.set("prediction", to: .number(prediction)) }
        return lab
    }

    @Test func msePicksItsWorkedExampleAndShowsTheGradient() throws {
        let lab = try Self.lab("mse")
        #expect(lab.prediction == 72)
        let now = lab.current
        #expect(now.loss == 64)
        #expect(now.gradient == -16)                      // 2 × (72 - 80)
        #expect(try Self.lab("mae", prediction: 72).current.gradient == -1)
        #expect(try Self.lab("huber", prediction: 100).current.gradient == 5)  // capped at delta
    }

    /// Every table row that quotes the syllabus agrees with the engine to 3 significant digits.
    @Test func everyWorkedNumberMatchesTheSyllabus() throws {
        var checked = 0
        for kind in ExplorerLoss.allCases {
            let lab = try Self.lab(kind.rawValue)
            guard case .table(let table) = lab.numbersPanel().content else { Issue.record("\(kind): no table"); continue }
            for row in table.rows {
                guard let engine = Double(row[1]), let syllabus = Double(row[2]) else { continue }
                let tolerance = syllabus == 0 ? 1e-6 : Swift.abs(syllabus) * 0.005
                #expect(Swift.abs(engine - syllabus) <= tolerance, "\(kind): \(row)")
                checked += 1
            }
        }
        #expect(checked >= 25)
    }

    /// The loss falls as the prediction moves toward the truth, and the gradient points away
    /// from it, for each loss (the direction of every panel).
    @Test func movingTowardTheTruthLowersEveryLoss() throws {
        let toward: [(String, Double, Double)] = [
            ("mse", 60, 75), ("mae", 60, 75), ("huber", 60, 75), ("bce", 0.3, 0.8), ("ce", 0.3, 0.8), ("focal", 0.3, 0.8),
            ("dice", 0.2, 0.8), ("kl", 0.1, 0.4), ("contrastive", 120, 20), ("bellman", 1, 4), ("policy", 0.2, 0.7),
        ]
        for (loss, far, near) in toward {
            let a = try Self.lab(loss, prediction: far).current, b = try Self.lab(loss, prediction: near).current
            #expect(b.loss < a.loss, "\(loss): \(a.loss) at \(far), \(b.loss) at \(near)")
            #expect(a.gradient * (near - far) < 0, "\(loss): the gradient at \(far) should point away from \(near), is \(a.gradient)")
        }
    }

    @Test func focalGammaAndTemperatureAreLive() throws {
        var lab = try Self.lab("focal", prediction: 0.9)
        try lab.set("gamma", to: .number(0))
        let plain = lab.current.loss
        try lab.set("gamma", to: .number(2))
        #expect(Swift.abs(lab.current.loss - plain * 0.01) < 1e-5)
        var contrast = try Self.lab("contrastive", prediction: 90)
        let warm = contrast.current.loss
        try contrast.set("temperature", to: .number(0.1))
        #expect(contrast.current.loss > warm)
        #expect(contrast.metrics.values("loss").suffix(2) == [warm, contrast.current.loss])
    }

    @Test func stepsRecordLossAndGradient() throws {
        var lab = try Self.lab("bce", prediction: 0.5)
        _ = try lab.step()
        #expect(Swift.abs(lab.metrics.values("loss").last! - 0.6931) < 1e-4)
        #expect(Swift.abs(lab.metrics.values("gradient").last! + 2) < 1e-4)     // -1/p
        for id in LossExplorerLab.panelNames { #expect(lab.panel(id) != nil) }
    }

    @Test func continuesBitForBitAfterACheckpoint() throws {
        var straight = try Self.lab("kl", prediction: 0.2), first = try Self.lab("kl", prediction: 0.2)
        _ = try straight.step(); _ = try first.step()
        let saved = first.snapshot()
        var resumed = LossExplorerLab(seed: 0)
        try resumed.restore(saved)
        try straight.set("prediction", to: .number(0.6)); try resumed.set("prediction", to: .number(0.6))
        _ = try straight.step(); _ = try resumed.step()
        #expect(resumed.metrics == straight.metrics)
        #expect(resumed.parameters == straight.parameters)
        #expect(resumed.kind == .kl && resumed.prediction == 0.6)
    }

    @Test func refusesSettingsOutOfRange() throws {
        var lab = try Self.lab("bce")
        #expect(throws: (any Error).self) { try lab.set("prediction", to: .number(1.5)) }
        #expect(throws: (any Error).self) { try lab.set("loss", to: .choice("hinge")) }
        #expect(throws: (any Error).self) { try lab.set("gamma", to: .number(-1)) }
    }
}
