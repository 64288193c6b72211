import Course
import Foundation
import Labs
import MLEngine
import TextPlot
import Testing

@Suite struct OptimizerRaceLabTests {
    func race(_ settings: [String: HyperValue] = [:], seed: UInt64 = 1, steps: Int = OptimizerRaceLab.raceLength) throws -> OptimizerRaceLab {
        var lab = OptimizerRaceLab(seed: seed)
        for (name, value) in settings { try lab.set(name, to: value) }
        lab.reset(seed: seed)
        for _ in 0..<steps { _ = try lab.step() }
        return lab
    }

    func final(_ lab: OptimizerRaceLab, _ kind: OptimizerKind) -> Double { lab.metrics.latest(kind.lossMetric)! }

    func distance(_ p: (x: Float, y: Float), _ q: (x: Double, y: Double)) -> Double {
        let dx = Double(p.x) - q.x, dy = Double(p.y) - q.y
        return (dx * dx + dy * dy).squareRoot()
    }

    @Test func theSurfaceAgreesWithItselfAndWithFiniteDifferences() {
        let surface = ValleySurface()
        for (x, y) in [(-1.0, 0.4), (0.0, 0.0), (1.3, -0.2), (2.5, 1.1), (3.0, 0.8), (4.2, 1.5)] {
            let p = Tensor([Float(x), Float(y)]).requiringGrad()
            let loss = surface.loss(p)
            #expect(Swift.abs(Double(loss.item) - surface.value(x: x, y: y)) <= 1e-5 * Swift.max(1, surface.value(x: x, y: y)))
            loss.backward()
            let g = p.grad!.copyScalars()
            let h = 1e-6
            let dx = (surface.value(x: x + h, y: y) - surface.value(x: x - h, y: y)) / (2 * h)
            let dy = (surface.value(x: x, y: y + h) - surface.value(x: x, y: y - h)) / (2 * h)
            #expect(Swift.abs(Double(g[0]) - dx) <= 1e-4 * Swift.max(1, Swift.abs(dx)), "d/dx at (\(x), \(y))")
            #expect(Swift.abs(Double(g[1]) - dy) <= 1e-4 * Swift.max(1, Swift.abs(dy)), "d/dy at (\(x), \(y))")
        }
        let low = surface.lowestPoint
        #expect(low.x == 3 && Swift.abs(low.y - 0.8) < 1e-12 && surface.value(x: low.x, y: low.y) == 0)
        #expect(surface.value(x: 0, y: 0) > 0.2, "(0, 0) is not the lowest point")
        #expect(RaceMap.xRange.contains(0) && RaceMap.yRange.contains(0), "(0, 0) is on the map")
        #expect(RaceMap.xRange.contains(low.x) && RaceMap.yRange.contains(low.y))
    }

    @Test func theFirstStepsAreTheTextbookUpdates() throws {
        // At the start (-1, 0.4): u = x - 3 = -4 and the floor is y = 0, so
        // dL/dx = 0.1 u / sqrt(1 + u^2) = -0.4 / sqrt(17) and dL/dy = 2 * 10 * 0.4 = 8.
        let gx = -0.4 / 17.0.squareRoot(), gy = 8.0
        let lab = try race(steps: 1)
        let sgd = lab.position(of: .sgd), adam = lab.position(of: .adam)
        #expect(Swift.abs(Double(sgd.x) - (-1 - 0.02 * gx)) < 1e-6 && Swift.abs(Double(sgd.y) - (0.4 - 0.02 * gy)) < 1e-6)
        #expect(lab.position(of: .momentum) == sgd, "momentum's first velocity is the first gradient")
        // Adam's bias-corrected first step is lr * sign(g) in each coordinate (up to epsilon).
        #expect(Swift.abs(Double(adam.x) - (-1 + 0.02)) < 1e-6 && Swift.abs(Double(adam.y) - (0.4 - 0.02)) < 1e-6)
        // AdamW also shrinks toward (0, 0) by lr * weight_decay = 0.0002 of the old position.
        let adamw = lab.position(of: .adamw)
        #expect(Swift.abs(Double(adamw.x) - (-1 * (1 - 0.0002) + 0.02)) < 1e-6)
    }

    @Test func atTheDefaultsMomentumAndAdamEndFarBelowSGD() throws {
        let lab = try race()
        let sgd = final(lab, .sgd), momentum = final(lab, .momentum), adam = final(lab, .adam)
        // Measured: sgd 0.22, momentum 8.8e-8, adam 2.5e-4 after 500 steps. SGD's lr is capped
        // by the walls (lr x 20 < 2) and its floor speed is lr x 0.1 per step: it covers about
        // 1 of the 4 units to the lowest point.
        #expect(momentum * 100 < sgd, "momentum \(momentum) vs sgd \(sgd)")
        #expect(adam * 100 < sgd, "adam \(adam) vs sgd \(sgd)")
        #expect(sgd > 0.1, "SGD crawls")
        #expect(lab.position(of: .sgd).x < 0.5)
    }

    @Test func theRaceEndsAfterItsLength() throws {
        var lab = try race(steps: OptimizerRaceLab.raceLength - 1)
        let report = try lab.step()
        #expect(report.finished)
        #expect(report.note?.contains("the race is over") == true)
        #expect(try lab.step().finished == false, "training on continues the race")
    }

    @Test func withMomentumZeroTheMomentumRacerRetracesSGD() throws {
        for surface in ["valley", "noisy"] {
            let lab = try race(["momentum": .number(0), "surface": .choice(surface)], steps: 200)
            #expect(lab.trail(of: .momentum).map(\.x) == lab.trail(of: .sgd).map(\.x))
            #expect(lab.trail(of: .momentum).map(\.y) == lab.trail(of: .sgd).map(\.y))
            let withMomentum = try race(["surface": .choice(surface)], steps: 200)
            #expect(withMomentum.trail(of: .momentum).map(\.x) != withMomentum.trail(of: .sgd).map(\.x))
        }
    }

    @Test func weightDecayPullsAdamWTowardTheOrigin() throws {
        let lowest = ValleySurface().lowestPoint
        let strong = try race(["weight_decay": .number(0.1)])
        let adam = strong.position(of: .adam), adamw = strong.position(of: .adamw)
        // Measured: adam ends at (2.93, 0.77), adamw at (2.57, 0.64): pulled back along the floor.
        #expect(distance(adamw, (0, 0)) + 0.2 < distance(adam, (0, 0)))
        #expect(distance(adamw, lowest) > distance(adam, lowest) + 0.2, "AdamW settles short of the lowest point")
        // Zero decay: AdamW is Adam, step for step.
        let none = try race(["weight_decay": .number(0)], steps: 100)
        #expect(none.trail(of: .adamw).map(\.x) == none.trail(of: .adam).map(\.x))
        // The default (0.01) keeps AdamW close to Adam.
        let weak = try race()
        #expect(distance(weak.position(of: .adamw), (Double(weak.position(of: .adam).x), Double(weak.position(of: .adam).y))) < 0.1)
    }

    @Test func raisingLrMakesSGDBounceFromWallToWallThenFlyOff() throws {
        let surface = ValleySurface()
        func sideChanges(_ lab: OptimizerRaceLab) -> Int {
            let sides = lab.trail(of: .sgd).prefix(12).map { Double($0.y) - surface.floorY(Double($0.x)) > 0 }
            return zip(sides, sides.dropFirst()).filter { $0 != $1 }.count
        }
        #expect(sideChanges(try race(steps: 12)) <= 1, "at the default lr SGD slides down one wall")
        #expect(sideChanges(try race(["lr": .number(0.08)], steps: 12)) >= 10, "at lr 0.08 it crosses the floor every step")
        var lab = OptimizerRaceLab(seed: 1)
        try lab.set("lr", to: .number(0.16))
        lab.reset(seed: 1)
        var notes: [String] = []
        for _ in 0..<60 { if let note = try lab.step().note { notes.append(note) } }
        #expect(lab.flewOffAt(.sgd) != nil)
        #expect(notes.contains { $0.contains("sgd") && $0.contains("flew off") })
        #expect(lab.isFinite, "a racer that flies off stops; the lab stays finite")
        #expect(lab.flewOffAt(.adam) == nil && lab.metrics.values("loss_adam").count == 60)
        #expect(lab.metrics.latest("loss_sgd") == .infinity)
        _ = lab.panel("surface")  // trails that left the map are drawn to its edge, not beyond
    }

    @Test func onTheNoisySurfaceSGDJittersAndMomentumAveragesTheNoise() throws {
        let noisy = try race(["surface": .choice("noisy")])
        // Jitter: mean change of the step over mean step length (0 smooth, ~1.4 pure noise).
        // Measured: sgd 1.5, momentum 0.7, adam 0.26.
        #expect(noisy.jitter(of: .sgd) > 1.5 * noisy.jitter(of: .momentum))
        #expect(noisy.jitter(of: .sgd) > 3 * noisy.jitter(of: .adam))
        let exact = try race()
        #expect(exact.jitter(of: .sgd) < 0.5 * noisy.jitter(of: .sgd), "without noise SGD's path is smooth")
        let noAveraging = try race(["surface": .choice("noisy"), "beta1": .number(0)])
        // Measured: adam 1.33 with beta1 = 0 against 0.26 with 0.9.
        #expect(noAveraging.jitter(of: .adam) > 3 * noisy.jitter(of: .adam))
        #expect(noAveraging.metrics.latest("jitter_adam") == noAveraging.jitter(of: .adam))
        // The noise comes from the seed: same seed, same race.
        let again = try race(["surface": .choice("noisy")])
        #expect(again.trail(of: .sgd).map(\.x) == noisy.trail(of: .sgd).map(\.x))
    }

    @Test func snapshotRestoreContinuesBitIdentically() throws {
        for (surface, lr) in [("noisy", 0.02), ("valley", 0.16)] {
            let settings: [String: HyperValue] = ["surface": .choice(surface), "lr": .number(lr), "beta1": .number(0.8)]
            var original = try race(settings, seed: 9, steps: 70)
            var copy = OptimizerRaceLab(seed: 9)
            for (name, value) in settings { try copy.set(name, to: value) }
            copy.reset(seed: 9)
            try copy.restore(original.snapshot())
            #expect(copy.metrics == original.metrics)
            for _ in 0..<50 { _ = try original.step(); _ = try copy.step() }
            for kind in OptimizerKind.allCases {
                #expect(copy.trail(of: kind).map(\.x) == original.trail(of: kind).map(\.x), "\(surface) \(kind)")
                #expect(copy.trail(of: kind).map(\.y) == original.trail(of: kind).map(\.y), "\(surface) \(kind)")
                #expect(copy.flewOffAt(kind) == original.flewOffAt(kind))
            }
            #expect(copy.metrics == original.metrics)
        }
    }

    @Test func restoreRefusesAForeignOrDamagedState() throws {
        var lab = try race(steps: 5)
        #expect(throws: LabStateError.self) { try lab.restore(LabState(labID: "gradcheck")) }
        var state = lab.snapshot()
        state.tensors["adam.trail"] = Tensor(zeros: [50, 2])
        #expect(throws: LabStateError.self) { try lab.restore(state) }
        state = lab.snapshot()
        state.metadata["rng"] = .array([])
        #expect(throws: LabStateError.self) { try lab.restore(state) }
    }

    @Test func panelsShowTheRace() throws {
        let lab = try race(steps: 40)
        guard case .heatmap(let map)? = lab.panel("surface")?.content else { Issue.record("no heatmap"); return }
        #expect(map.problem == nil)
        #expect(map.paths.map(\.name) == ["sgd", "momentum", "adam", "adamw"])
        #expect(map.paths.allSatisfy { $0.points.count == 41 })
        #expect(map.markers.map(\.glyph) == [">", "*", "S", "M", "A", "W"], "racer heads are drawn last, over every trail")
        guard case .lineChart(let chart)? = lab.panel("loss")?.content else { Issue.record("no chart"); return }
        #expect(chart.yScale == .logarithmic && chart.series.count == 4)
        var canvas = Canvas(width: 90, height: 24)
        for (i, id) in lab.panelIDs.enumerated() {
            lab.panel(id)!.render(into: &canvas, in: Rect(x: 0, y: i * 12, width: 90, height: 12), capabilities: .asciiMono)
        }
        for letter in ["S", "M", "A", "W", ">", "*"] { #expect(canvas.text.contains(letter)) }
    }

    @Test func titlesFitAPanelBesideTheLesson() throws {
        // At 120 columns a lab panel beside the lesson is 57 cells wide: 52 for its title, and a
        // longer one is cut with an ellipsis. The map's title is its legend, so it must fit whole.
        let titleRoom = 52
        for surface in ["valley", "noisy"] {
            let lab = try race(["surface": .choice(surface)], steps: 120)
            let map = try #require(lab.panel("surface")?.title), loss = try #require(lab.panel("loss")?.title)
            #expect(map.count <= titleRoom, "\(surface): \(map)")
            #expect(loss.count <= titleRoom, "\(surface): \(loss)")
            for kind in OptimizerKind.allCases { #expect(map.contains("\(kind.head) \(kind.rawValue)"), "\(map)") }
            if surface == "noisy" {
                for kind in OptimizerKind.allCases { #expect(loss.contains(" \(kind.head) "), "the jitter of \(kind): \(loss)") }
            }
        }
    }

    @Test func theChapterThreeEntriesMatchTheirLabs() throws {
        let catalogue = LabCatalogue(ChapterThreeLabs.entries)
        #expect(catalogue.ids == ["gradcheck", "optimizer-race"])
        #expect(catalogue.mismatches().isEmpty, "\(catalogue.mismatches())")
        for entry in ChapterThreeLabs.entries {
            var lab = entry.make(2)
            #expect(entry.panelIDs.allSatisfy { lab.panel($0) != nil })
            _ = try lab.step()
            #expect(lab.isFinite && lab.divergenceHint() != nil)
        }
        // The settings the lesson's lab blocks use are valid.
        var gradcheck = try catalogue.make("gradcheck", seed: 0)
        for (name, text) in [("bug", "off"), ("bug", "on"), ("epsilon", "1e-3"), ("epsilon", "0.1"), ("epsilon", "1e-5")] {
            try gradcheck.set(name, to: try gradcheck.parameters[named: name]!.parse(text))
        }
        var race = try catalogue.make("optimizer-race", seed: 0)
        for (name, text) in [("surface", "valley"), ("surface", "noisy"), ("momentum", "0"), ("momentum", "0.99"),
                             ("beta1", "0"), ("weight_decay", "0.1")] {
            try race.set(name, to: try race.parameters[named: name]!.parse(text))
        }
    }
}
