import CardioSim
import Course
import Foundation
import MLEngine
import Testing
@testable import Labs

/// `vit-beats`: chapter 10's classification rows on "beats-hard". Debug builds are slow, so
/// these use a small slice of the recipe and a narrow transformer; the default budget's promise
/// (ViT above logistic regression and the MLP at seeds 1-3) is checked in release by
/// `.ci/promises/ch10-vit.sh`.
@Suite struct VisionTransformerLabTests {
    /// The recipe's beats (shifts, noise, wander and all), fewer of them.
    static let smallData: BeatDataset? = {
        guard let recipe = BuiltInRecipes.recipe(named: "beats-hard"), case .beats(var config) = recipe.parameters else { return nil }
        config.trainCount = 400
        config.testCount = 200
        return try? BeatDataset.generate(config, seed: recipe.seed)
    }()

    static func lab(_ settings: [String: HyperValue] = [:], seed: UInt64 = 5) throws -> VisionTransformerLab {
        let data: BeatDataset = try #require(smallData)
        var lab = VisionTransformerLab(seed: seed, dataset: data)
        for (name, value) in settings.sorted(by: { $0.key < $1.key }) { try lab.set(name, to: value) }
        lab.reset(seed: seed)
        return lab
    }

    static let narrow: [String: HyperValue] = ["model": .choice("vit"), "width": .number(16), "layers": .number(1)]

    @Test func patchesBecomeTokensBehindTheClassToken() {
        var generator = SeededGenerator(seed: 1)
        let beats = Tensor.normal([3, 250], std: 1, generator: &generator)
        for (patch, tokens) in [(25, 10), (10, 25), (50, 5)] {
            let vit = VisionTransformer(length: 250, patch: patch, width: 16, heads: 4, layers: 1, classes: 5, generator: &generator)
            #expect(vit.patchCount == tokens)
            #expect(vit.tokens(beats).shape == [3, tokens + 1, 16])
            #expect(vit(beats).shape == [3, 5])
            let (logits, weights) = vit.attend(beats)
            #expect(logits.shape == [3, 5])
            #expect(weights.map(\.shape) == [[3, 4, tokens + 1, tokens + 1]])
        }
    }

    @Test func theClassTokenIsTheSameRowForEveryBeatAndIsTrained() throws {
        var generator = SeededGenerator(seed: 2)
        var vit = VisionTransformer(length: 250, patch: 25, width: 16, heads: 2, layers: 1, classes: 5, generator: &generator)
        let beats = Tensor.normal([2, 250], std: 1, generator: &generator)
        // Before the positions are added, token 0 of every beat is the class token itself.
        let first = vit.patches(beats)
        #expect(first.shape == [2, 10, 16])
        let tokens = vit.tokens(beats).copyScalars(), token = vit.classToken.copyScalars(), rows = vit.positions.copyScalars()
        for b in 0..<2 {
            for j in 0..<16 { #expect(tokens[b * 11 * 16 + j] == token[j] + rows[j]) }
        }
        let loss = try crossEntropy(logits: vit(beats), labels: [1, 3])
        loss.backward()
        let gradient = try #require(vit.classToken.grad).copyScalars()
        #expect(gradient.contains { $0 != 0 }, "the class token gets no gradient")
        #expect(vit.parameters.map(\.name).contains("class_token"))
        vit.zeroGrad()
    }

    @Test func theClassTokensAttentionRowsSumToOne() throws {
        let lab = try Self.lab(Self.narrow)
        let attention = try #require(lab.attention)
        #expect(attention.heads == 4)
        #expect(attention.patches == 25)
        #expect(attention.patchSize == 10)
        for row in attention.rows {
            #expect(row.count == 26)
            #expect(abs(row.reduce(0, +) - 1) < 1e-5)
            #expect(row.allSatisfy { $0 >= 0 })
        }
        // Drawn along the beat: one column per sample, each carrying its patch's weight.
        let map = attention.heatmap()
        #expect(map.rows == 4 && map.columns == 250)
        #expect(map.values[30] == attention.rows[0][4] && map.values[250 + 249] == attention.rows[1][25])
    }

    @Test func theModelSwitchBuildsEachRow() throws {
        let logistic = try Self.lab(["model": .choice("logistic")])
        #expect(logistic.model.parameters.map(\.name) == ["out.weight", "out.bias"])
        #expect(logistic.metrics.latest("parameters") == Double(250 * 5 + 5))
        #expect(logistic.transformer == nil && logistic.attention == nil)
        let mlp = try Self.lab(["model": .choice("mlp")])
        #expect(mlp.metrics.latest("parameters") == Double(250 * 256 + 256 + 256 * 5 + 5))
        #expect(mlp.transformer == nil)
        let vit = try Self.lab(Self.narrow)
        let transformer = try #require(vit.transformer)
        #expect(transformer.patchSize == 10)
        #expect(vit.model.parameters.map(\.name).contains("vit.class_token"))
        #expect(vit.divergenceHint()?.contains("AdamW") == true)
        #expect(mlp.divergenceHint()?.contains("SGD") == true)
        // The default is the transformer at patch 10 (25 patches: at 25 samples a QRS often
        // straddles two patches and the ViT falls back to the MLP's level).
        #expect(VisionTransformerLab.defaultParameters[named: "model"]?.value == .choice("vit"))
        #expect(VisionTransformerLab.defaultParameters[named: "patch"]?.value == .choice("10"))
    }

    @Test func badSettingsAreRefusedWithTheValidValues() throws {
        var lab = try Self.lab(["model": .choice("logistic")])
        do { try lab.set("patch", to: .choice("30")); Issue.record("patch 30 accepted") } catch {
            #expect("\(error)".contains("25"), "\(error)")
        }
        do { try lab.set("model", to: .choice("cnn")); Issue.record("model cnn accepted") } catch {
            #expect("\(error)".contains("vit"), "\(error)")
        }
        do { try lab.set("adamw_lr", to: .number(5)); Issue.record("adamw_lr 5 accepted") } catch {}
        do { try lab.set("heads", to: .number(2)); Issue.record("an unknown name accepted") } catch {}
    }

    @Test func aSmallTransformerLearnsAboveChance() throws {
        var lab = try Self.lab(Self.narrow)
        for _ in 0..<150 { _ = try lab.step() }
        let accuracy = try #require(lab.metrics.latest("test_accuracy"))
        // Five balanced classes: chance is 0.2.
        #expect(accuracy > 0.4, "test accuracy \(accuracy) after 150 steps")
        let losses = lab.metrics.values("train_loss")
        let early: Double = losses.prefix(20).reduce(0, +) / 20, late: Double = losses.suffix(20).reduce(0, +) / 20
        #expect(late < early * 0.85, "train loss \(early) -> \(late)")
        // The attention panel follows training: redrawn at the last multiple of 10 steps.
        #expect(lab.attention?.step == 150)
    }

    @Test func aRunAtItsBudgetStaysOnTheComparisonPanel() throws {
        var lab = try Self.lab(["model": .choice("logistic")])
        var last = StepReport()
        for _ in 0..<VisionTransformerLab.stepBudget { last = try lab.step() }
        #expect(last.finished)
        let run = try #require(lab.finishedRuns[.logistic])
        // The budget's step measures the whole test set at once: its figure is the run's last.
        #expect(lab.metrics.values("test_step").last == Double(VisionTransformerLab.stepBudget))
        #expect(run.accuracy == lab.metrics.latest("test_accuracy"))
        #expect(run.steps == VisionTransformerLab.stepBudget && run.seed == 5)
        // Switching rows keeps it, and the panels show it beside the new run.
        try lab.set("model", to: .choice("mlp"))
        lab.reset(seed: 5)
        #expect(lab.finishedRuns[.logistic] == run)
        guard case .table(let table) = try #require(lab.panel("comparison")).content else { Issue.record("not a table"); return }
        #expect(table.rows[0].contains(VisionTransformerLab.percent(run.accuracy)))
        #expect(table.rows[1][2] == "-", "the new run has no measurement yet: \(table.rows[1])")
        #expect(table.rows[2][2] == "model=vit", "\(table.rows[2])")
        guard case .lineChart(let chart) = try #require(lab.panel("accuracy")).content else { Issue.record("not a chart"); return }
        #expect(chart.series.contains { $0.name.hasPrefix("logistic") && $0.values.first == run.accuracy })
    }

    @Test func everyPanelDrawsForEveryRow() throws {
        for row in ClassificationModel.names {
            var settings = Self.narrow
            settings["model"] = .choice(row)
            var lab = try Self.lab(settings)
            _ = try lab.step()
            for id in VisionTransformerLab.panelNames { #expect(lab.panel(id) != nil, "\(row): no \(id) panel") }
            let attention = try #require(lab.panel("attention"))
            #expect(attention.title.contains("ViT only") == (row != "vit"), "\(attention.title)")
        }
    }
}
