import Testing
import Foundation
import MLEngine
@testable import CardioSim

@Suite struct LeadsTests {
    func ecg(_ region: InjuryRegion, noise: Double = 0.02, seed: UInt64 = 1) -> TwelveLeadECG {
        var rng = SeededGenerator(seed: seed)
        return TwelveLeadECG.simulate(region: region, heartRate: 70, noise: noise, shapeVariation: 0.1, rng: &rng)
    }

    @Test func einthovenAndGoldbergerIdentitiesHold() {
        let e = ecg(.inferior)
        let i = e.leads[Lead.i.rawValue], ii = e.leads[Lead.ii.rawValue]
        for s in i.indices {
            #expect(abs(e.leads[Lead.iii.rawValue][s] - (ii[s] - i[s])) < 1e-5)
            #expect(abs(e.leads[Lead.aVR.rawValue][s] + (i[s] + ii[s]) / 2) < 1e-5)
            #expect(abs(e.leads[Lead.aVL.rawValue][s] - (i[s] - ii[s] / 2)) < 1e-5)
            #expect(abs(e.leads[Lead.aVF.rawValue][s] - (ii[s] - i[s] / 2)) < 1e-5)
            #expect(abs(e.leads[Lead.aVR.rawValue][s] + e.leads[Lead.aVL.rawValue][s] + e.leads[Lead.aVF.rawValue][s]) < 1e-5)
        }
    }

    @Test func derivedLimbLeadsStayCloseToTheirOwnDowerRows() {
        // The derived leads differ from direct projection only by the rounding of the rows.
        for (lead, combo) in [(Lead.iii, [-1.0, 1.0]), (.aVR, [-0.5, -0.5]), (.aVL, [1.0, -0.5]), (.aVF, [-0.5, 1.0])] {
            for c in 0..<3 {
                let derived = combo[0] * DowerMatrix.rows[0][c] + combo[1] * DowerMatrix.rows[1][c]
                #expect(abs(derived - DowerMatrix.rows[lead.rawValue][c]) < 0.01)
            }
        }
    }

    @Test func precordialRProgression() {
        let e = ecg(.none)
        let r = e.leads[6...11].map { $0[88...92].max()! }
        #expect(r[0] < 0.5 && r[5] > 0.8, "R amplitudes V1-V6 \(r)")
        #expect(e.leads[Lead.v1.rawValue][85...100].min()! < -0.5)          // deep S in V1
        #expect(e.leads[Lead.ii.rawValue][90] > e.leads[Lead.aVL.rawValue][90])
    }

    /// ST level at J + 20 ms relative to the PR segment, per lead.
    func stShift(_ e: TwelveLeadECG) -> [Float] {
        let qrsEnd = (90..<200).first { e.labels[$0] != .qrs }!
        let qrsStart = (0...90).reversed().first { e.labels[$0] != .qrs }!
        return e.leads.map { $0[qrsEnd + 5] - $0[qrsStart - 5] }
    }

    @Test func regionalInjuryLiftsTheFacingLeads() {
        let inferior = stShift(ecg(.inferior, noise: 0)), anterior = stShift(ecg(.anterior, noise: 0)), normal = stShift(ecg(.none, noise: 0))
        for lead in [Lead.ii, .iii, .aVF] { #expect(inferior[lead.rawValue] > 0.1, "\(lead.name) \(inferior[lead.rawValue])") }
        #expect(inferior[Lead.aVL.rawValue] < -0.05)                      // reciprocal depression
        for lead in [Lead.v1, .v2, .v3, .v4] { #expect(anterior[lead.rawValue] > 0.1, "\(lead.name) \(anterior[lead.rawValue])") }
        #expect(normal.allSatisfy { abs($0) < 0.1 }, "normal ST \(normal)")
    }

    @Test func leadGraphFollowsGeometry() {
        let graph = LeadGraph.fromGeometry()
        let adjacency = graph.adjacency
        #expect(adjacency.allSatisfy { !$0.isEmpty })
        #expect(adjacency[Lead.ii.rawValue].contains(Lead.aVF.rawValue))
        #expect(adjacency[Lead.v1.rawValue].contains(Lead.v2.rawValue))
        #expect(!adjacency[Lead.v1.rawValue].contains(Lead.v6.rawValue))
        // Connected: a walk from lead I reaches every lead.
        var seen: Set<Int> = [0], frontier = [0]
        while let n = frontier.popLast() { for m in adjacency[n] where seen.insert(m).inserted { frontier.append(m) } }
        #expect(seen.count == 12)
        for (a, b) in graph.edges { #expect(a < b) }
    }

    @Test func twelveLeadDatasetShapes() throws {
        let data = try TwelveLeadDataset.generate(TwelveLeadConfig(trainCount: 8, testCount: 4), seed: 2)
        #expect(data.trainSignals.shape == [8, 12, 250])
        #expect(data.testSignals.shape == [4, 12, 250])
        #expect(data.trainLabels == [0, 1, 2, 3, 0, 1, 2, 3])
    }
}
