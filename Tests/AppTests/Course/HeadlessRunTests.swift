import Course
import Foundation
import Testing
@testable import App

@Suite("Headless runs (mlcourse run)")
struct HeadlessRunTests {
    let runner = HeadlessRun(catalogue: LineFitLab.catalogue)

    @Test("--set NAME=VALUE pairs parse into settings; malformed ones are usage errors")
    func settings() throws {
        let parsed = try HeadlessRun.parseSettings(["lr=0.1", " data = bend "])
        #expect(parsed == [LabBlock.Setting(name: "lr", value: "0.1"), LabBlock.Setting(name: "data", value: "bend")])
        for bad in ["lr", "=0.1", "lr="] {
            #expect(throws: HeadlessRunError.self) { try HeadlessRun.parseSettings([bad]) }
            do { _ = try HeadlessRun.parseSettings([bad]) } catch { #expect(error.isUsage && error.description.contains("NAME=VALUE")) }
        }
    }

    @Test("an unknown lab, hyperparameter or value is a usage error with a suggestion")
    func unknown() {
        func usage(_ request: HeadlessRun.Request) -> String? {
            do { _ = try runner.prepare(request); return nil } catch { return error.isUsage ? error.description : nil }
        }
        #expect(usage(.init(lab: "nueron", steps: 1, seed: 1))?.contains("did you mean 'neuron'") == true)
        #expect(usage(.init(lab: "neuron", settings: [.init(name: "lrr", value: "1")], steps: 1, seed: 1))?.contains("did you mean 'lr'") == true)
        let outOfRange = usage(.init(lab: "neuron", settings: [.init(name: "lr", value: "50")], steps: 1, seed: 1))
        #expect(outOfRange?.contains("between 0.0001 and 10") == true)
        #expect(outOfRange?.contains("line 0") == false, "a --set value comes from no lesson line: \(outOfRange ?? "")")
    }

    @Test("a run reports lab, seed, steps, hyperparameters, metrics and seconds as JSON")
    func json() throws {
        let session = try runner.prepare(.init(lab: "neuron", settings: [.init(name: "lr", value: "0.01")], steps: 40, seed: 3))
        var seen: [Int] = []
        let report = try runner.train(session, steps: 40, chunk: 16) { seen.append($0) }
        #expect(seen == [16, 32, 40])
        let object = try JSONSerialization.jsonObject(with: Data(try report.json().utf8)) as! [String: Any]
        #expect(Set(object.keys).isSuperset(of: ["lab", "seed", "steps", "hyperparameters", "metrics", "seconds", "status"]))
        #expect(object["lab"] as? String == "neuron" && object["seed"] as? Int == 3 && object["steps"] as? Int == 40)
        #expect((object["hyperparameters"] as? [String: Any])?["lr"] as? Double == 0.01)
        #expect((object["hyperparameters"] as? [String: Any])?["data"] as? String == "line")
        #expect(object["status"] as? String == "ok")
        #expect(report.metrics.values("loss").count == 40)
        #expect(report.metrics.values("loss").last! < report.metrics.values("loss").first!)
    }

    @Test("the same seed and settings give the same numbers")
    func deterministic() throws {
        let a = try runner.train(try runner.prepare(.init(lab: "neuron", steps: 25, seed: 9)), steps: 25)
        let b = try runner.train(try runner.prepare(.init(lab: "neuron", steps: 25, seed: 9)), steps: 25)
        let c = try runner.train(try runner.prepare(.init(lab: "neuron", steps: 25, seed: 10)), steps: 25)
        #expect(a.metrics == b.metrics && a.metrics != c.metrics)
    }

    @Test("a diverging run stops early and says so, with NaN written as a string")
    func diverged() throws {
        let session = try runner.prepare(.init(lab: "neuron", settings: [.init(name: "lr", value: "10")], steps: 500, seed: 1))
        let report = try runner.train(session, steps: 500)
        #expect(report.status == .diverged && report.steps < 500)
        #expect(report.message?.contains("diverged at step \(report.steps)") == true)
        #expect(report.summary.contains("DIVERGED"))
        #expect(try report.json().contains("\"status\":\"diverged\""))
    }
}
