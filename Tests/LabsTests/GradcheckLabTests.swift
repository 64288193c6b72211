import Course
import Labs
import MLEngine
import TextPlot
import Testing

@Suite struct GradcheckLabTests {
    func lab(seed: UInt64 = 1, bug: Bool = false, epsilon: Double = 1e-3) throws -> GradcheckLab {
        var lab = GradcheckLab(seed: seed)
        try lab.set("bug", to: .choice(bug ? "on" : "off"))
        try lab.set("epsilon", to: .number(epsilon))
        lab.reset(seed: seed)
        return lab
    }

    @Test func rightBackpropAgreesWithFiniteDifferences() throws {
        // Float32 central differences with h = 1e-3 are good to about 1e-4 of a gradient of
        // ordinary size (rounding ~1e-7 of the loss over 2h, truncation ~h^2), so every row of
        // correct code must be far inside the checker's 1% tolerance.
        for seed: UInt64 in [1, 2, 3, 4, 5] {
            var lab = try lab(seed: seed)
            for _ in 0..<10 {
                #expect(lab.report.entries.count == 13)
                #expect(lab.report.passed, "seed \(seed): \(lab.report)")
                #expect(lab.worstRelativeError < 1e-2, "seed \(seed)")
                _ = try lab.step()
            }
        }
    }

    @Test func everyDrawnGradientIsBigEnoughToJudge() throws {
        // A gradient near zero would hide a sign error inside the tolerance, so the lab redraws
        // such weights; without that, several of these 40 draws have a gradient below 0.01.
        for seed: UInt64 in 0..<20 {
            var lab = try lab(seed: seed)
            for _ in 0..<2 {
                let smallest = lab.report.entries.map { Swift.abs($0.backprop) }.min() ?? 0
                #expect(smallest >= 0.01, "seed \(seed): a gradient of \(smallest)")
                _ = try lab.step()
            }
        }
    }

    @Test func theBugCorruptsExactlyTheGradientsBehindTheActivation() throws {
        for seed: UInt64 in [1, 2, 3] {
            let right = try lab(seed: seed), wrong = try lab(seed: seed, bug: true)
            // The miswired slope is (h^2 - 1) = -(1 - h^2): every gradient that flows through the
            // hidden activation comes out negated, every other one is untouched.
            for (r, w) in zip(right.report.entries, wrong.report.entries) {
                #expect(r.name == w.name && r.index == w.index)
                #expect(Swift.abs(r.numeric - w.numeric) < 1e-12, "the forward pass, so the numeric column, must not change")
                if GradcheckNetwork.parametersBehindActivation.contains(r.name) {
                    #expect(Swift.abs(w.backprop + r.backprop) <= 1e-6 * Swift.max(1, Swift.abs(r.backprop)))
                } else {
                    #expect(w.backprop == r.backprop)
                }
            }
            let failing = Set(wrong.failingRows.map { wrong.report.entries[$0].name })
            #expect(failing == GradcheckNetwork.parametersBehindActivation, "seed \(seed)")
            #expect(wrong.failingRows.count == 9, "all 6 hidden weights and 3 hidden biases disagree (seed \(seed))")
        }
    }

    @Test func bugIsLiveAndTheTableAnswersAtOnce() throws {
        var lab = try lab()
        #expect(lab.failingRows.isEmpty)
        try lab.set("bug", to: .choice("on"))
        #expect(lab.failingRows.count == 9)
        #expect(lab.metrics.latest("max_relative_error")! > 1, "sign-flipped rows have relative error 2")
        guard case .table(let table)? = lab.panel("table")?.content else { Issue.record("no table"); return }
        #expect(table.highlightedRows == Set(lab.failingRows))
        #expect(table.rows.filter { $0.last == "WRONG" }.allSatisfy { $0[0].hasPrefix("hidden.") })
        try lab.set("bug", to: .choice("off"))
        #expect(lab.failingRows.isEmpty)
        #expect(lab.metrics.values("max_relative_error").count == 1, "a live change redoes the current check, not a new one")
    }

    @Test func theChainPanelsProductIsTheBackpropGradientOfW1() throws {
        for bug in [false, true] {
            var lab = try lab(seed: 7, bug: bug)
            for _ in 0..<5 {
                let w1 = try #require(lab.report.entries.first { $0.name == "hidden.weight" && $0.index == 0 })
                // The walk is done in Double from the weights, without autodiff; backprop ran in Float32.
                #expect(Swift.abs(lab.chain.total - w1.backprop) <= 1e-5 * Swift.max(1, Swift.abs(w1.backprop)),
                        "bug \(bug): walk \(lab.chain.total), backprop \(w1.backprop)")
                #expect(lab.chain.links.count == GradcheckLab.exampleCount)
                guard case .text(let text)? = lab.panel("chain")?.content else { Issue.record("no chain text"); return }
                #expect(text.contains(String(format: "sum = %7.4f", lab.chain.total)))
                #expect(text.contains(bug ? "h^2 - 1" : "1 - h^2"))
                // The bug is named above the table: a short panel (120x40) cuts the legend below it.
                let aboveTable = text.components(separatedBy: "```")[0]
                #expect(aboveTable.contains("h^2 - 1") == bug, "\(aboveTable)")
                _ = try lab.step()
            }
        }
    }

    @Test func panelsFitBesideTheLesson() throws {
        // At 120 columns a lab panel beside the lesson is 57 cells wide: 52 for its title, 55
        // inside. The verdict must not be cut off, and the chain's rows must not wrap (a wrapped
        // row puts its product under the next example's factors).
        for bug in [false, true] {
            let lab = try lab(seed: 3, bug: bug)
            let title = try #require(lab.panel("table")?.title)
            #expect(title.count <= 52, "\(title)")
            #expect(title.hasSuffix(bug ? "9 of 13 rows disagree" : "all 13 rows agree"), "\(title)")
            guard case .text(let text)? = lab.panel("chain")?.content else { Issue.record("no chain text"); return }
            let code = text.components(separatedBy: "```")[1].split(separator: "\n")
            #expect(code.count == 6, "a header, four examples and the sum")
            for line in code { #expect(line.count <= 55, "\(line)") }
        }
    }

    @Test func aNarrowTableKeepsTheErrorAndTheVerdict() throws {
        // At 70 columns the table panel is 33 cells wide: too narrow for all five columns. The
        // lesson's point is which rows are WRONG and by how much, so those survive.
        let lab = try lab(seed: 3, bug: true)
        let panel = try #require(lab.panel("table"))
        var canvas = Canvas(width: 33, height: 18)
        panel.render(into: &canvas, in: canvas.bounds, capabilities: .asciiMono)
        #expect(canvas.text.contains("rel. error"), "\(canvas.text)")
        #expect(canvas.text.contains("WRONG"), "\(canvas.text)")
        #expect(canvas.text.contains("hidden.w[0,0]"), "\(canvas.text)")
        #expect(canvas.text.contains("output.b[0]"), "\(canvas.text)")
    }

    @Test func theChainWalkOfTheLessonsNetwork() {
        // The lesson's walked example has ReLU and one example; with tanh the same four factors
        // appear. Check one hand-computed case: x = (1, 0), all hidden weights of unit 1 make
        // z = 0.5, so h = tanh(0.5) and dh/dz = 1 - tanh(0.5)^2.
        var g = SeededGenerator(seed: 0)
        var net = GradcheckNetwork(miswired: false, generator: &g)
        net.hidden = Linear(weight: Tensor(rows: [[0.5, 1], [1, 1], [1, 1]]), bias: Tensor([0, 0, 0]))
        net.output = Linear(weight: Tensor(rows: [[2, 0, 0]]), bias: Tensor([0]))
        let path = ChainPath(network: net, inputs: Tensor(rows: [[1, 0]]), targets: Tensor(rows: [[0]]))
        let h = 0.46211715726000974  // tanh(0.5)
        let link = path.links[0]
        #expect(Swift.abs(link.lossToOutput - 2 * (2 * h)) < 1e-6)  // y = 2h, target 0, one example
        #expect(link.outputToHidden == 2)
        #expect(Swift.abs(link.hiddenToSum - (1 - h * h)) < 1e-9)
        #expect(link.sumToWeight == 1)
    }

    @Test func epsilonTooWideOrTooNarrowMakesTheErrorsGrow() throws {
        // The lesson: h = 0.1 measures an average slope over a curving stretch (truncation error
        // ~h^2), h = 1e-5 subtracts two nearly equal Float32 losses (rounding ~1e-7 / h).
        func medianWorst(_ epsilon: Double) throws -> Double {
            var lab = try lab(seed: 11, epsilon: epsilon)
            var worst: [Double] = []
            for _ in 0..<41 { worst.append(lab.worstRelativeError); _ = try lab.step() }
            return worst.sorted()[20]
        }
        let wide = try medianWorst(0.1), good = try medianWorst(1e-3), narrow = try medianWorst(1e-5)
        #expect(wide > 5 * good, "h = 0.1: \(wide) vs h = 1e-3: \(good)")
        #expect(narrow > 20 * good, "h = 1e-5: \(narrow) vs h = 1e-3: \(good)")
        #expect(narrow > 1e-2, "rounding at h = 1e-5 is large enough to fail rows")
    }

    @Test func eachStepDrawsNewWeightsDeterministically() throws {
        var a = GradcheckLab(seed: 3), b = GradcheckLab(seed: 3)
        let before = a.network.hidden.weight
        let report = try a.step(); _ = try b.step()
        #expect(report.pausesOpenEndedTraining && !report.finished, "one check per step: open-ended training pauses to let the table be read")
        #expect(report.note == "new random weights, checked: all 13 rows agree")
        #expect(a.network.hidden.weight != before)
        #expect(a.network.hidden.weight == b.network.hidden.weight)
        a.reset(seed: 3)
        #expect(a.network.hidden.weight == before, "reset with the same seed gives the same first weights")
    }

    /// `mlcourse run gradcheck --steps 5` (and `step 5`) runs five checks; it stopped after one
    /// because each check said `finished`. Open-ended training (Space) still pauses after each.
    @Test func aRunOfNStepsTakesNChecksAndOpenEndedTrainingPausesAfterOne() throws {
        let session = Session(lessons: [], catalogue: CourseCatalogue.labs)
        try session.open(LabBlock(lab: "gradcheck"))
        #expect(try session.step(5) == 5)
        #expect(session.stepCount == 5 && session.runState == .paused)
        try session.train()
        #expect(session.advance(maxSteps: 50, until: .now + .seconds(60)) == 1)
        #expect(session.stepCount == 6 && session.runState == .paused)
    }

    @Test func snapshotRestoreContinuesBitIdentically() throws {
        var original = try lab(seed: 5, epsilon: 1e-2)
        for _ in 0..<4 { _ = try original.step() }
        var copy = GradcheckLab(seed: 5)
        try copy.set("epsilon", to: .number(1e-2))
        copy.reset(seed: 5)
        try copy.restore(original.snapshot())
        #expect(copy.metrics == original.metrics)
        for _ in 0..<3 { _ = try original.step(); _ = try copy.step() }
        for ((name, a), (_, b)) in zip(original.network.parameters, copy.network.parameters) {
            #expect(a == b, "\(name)")
        }
        #expect(copy.metrics == original.metrics)
        #expect(copy.report.entries.map(\.numeric) == original.report.entries.map(\.numeric))
    }

    @Test func checkpointsKeepTheirTensorNames() {
        // Checkpoints saved by earlier versions hold the weights under their bare names; a
        // snapshot must keep writing them there so that those files still load.
        let names = Set(GradcheckLab(seed: 2).snapshot().tensors.keys)
        #expect(names == ["inputs", "targets", "hidden.weight", "hidden.bias", "output.weight", "output.bias"])
    }

    @Test func badInputIsRefusedClearly() throws {
        var lab = GradcheckLab(seed: 1)
        #expect(throws: HyperparameterError.self) { try lab.set("epsilon", to: .number(1)) }
        #expect(throws: HyperparameterError.self) { try lab.set("bug", to: .choice("maybe")) }
        #expect(throws: HyperparameterError.self) { try lab.set("lr", to: .number(0.1)) }
        #expect(throws: LabStateError.self) { try lab.restore(LabState(labID: "optimizer-race")) }
        var state = lab.snapshot()
        state.tensors["hidden.weight"] = Tensor(zeros: [2, 2])
        #expect(throws: LabStateError.self) { try lab.restore(state) }
        #expect(lab.isFinite)
    }
}
