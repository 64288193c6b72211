import Foundation
import Testing
@testable import CardioSim

@Suite struct RecordingCSVTests {
    func message(_ text: String) -> String {
        do { _ = try RecordingCSV.parse(text, fileName: "mine.csv"); return "no error" } catch { return "\(error)" }
    }

    @Test func readsSeparatorsHeadersTimeAndLabels() throws {
        let semicolons = try RecordingCSV.parse("time_ms;II;V1;label\n0;0.1;0.2;\n4;0.3;-0.4;N\n8;0.5;0.6;\n")
        #expect(semicolons.leadNames == ["II", "V1"])
        #expect(semicolons.leads == [[0.1, 0.3, 0.5], [0.2, -0.4, 0.6]])
        #expect(abs(semicolons.timeStep! - 0.004) < 1e-12)
        #expect(semicolons.labels.map(\.row) == [1] && semicolons.labels.map(\.text) == ["N"])
        let tabsNoHeader = try RecordingCSV.parse("# exported\n1.5\t2\n\n3\t4\n")
        #expect(tabsNoHeader.leadNames == ["1", "2"])
        #expect(tabsNoHeader.leads == [[1.5, 3], [2, 4]])
        #expect(tabsNoHeader.timeStep == nil)
    }

    @Test func badCellsNameTheirLineAndColumn() {
        #expect(message("time,ECG\n0,0.1\n0.004,abc\n") == "mine.csv:3: column 2: 'abc' is not a number (column ECG)")
        #expect(message("ECG,V1\n0.1,0.2\n0.3,\n") == "mine.csv:3: column 2: missing value (column V1)")
        #expect(message("ECG\n0.1\n\nNaN\n") == "mine.csv:4: column 1: 'NaN' is not a measurement (column ECG)")
        #expect(message("ECG,V1\n0.1,0.2\n0.3\n").hasPrefix("mine.csv:3: expected 2 values"))
        #expect(message("time,ECG\n0,1\n0.004,1\n0.02,1\n").hasPrefix("mine.csv:4: column 1: time does not advance evenly"))
        #expect(message("ECG,ecg\n1,2\n") == "mine.csv:1: column 2: column 'ecg' appears twice in the header")
        #expect(message("# only a comment").hasPrefix("mine.csv:1: the file is empty"))
    }

    @Test func importRefusesWhatItCannotUse() throws {
        func importMessage(_ text: String, _ options: ImportOptions) -> String {
            do {
                _ = try ECGImporter.importRecording(try RecordingCSV.parse(text), options: options, name: "x", fileName: "mine.csv")
                return "no error"
            } catch { return "\(error)" }
        }
        let tenSeconds = "ECG,V1\n" + String(repeating: "0.1,0.2\n", count: 2500)
        #expect(importMessage(tenSeconds, ImportOptions()).hasPrefix("mine.csv: no sampling rate"))
        #expect(importMessage(tenSeconds, ImportOptions(samplingRate: 3)).contains("3 Hz is not plausible"))
        #expect(importMessage(tenSeconds, ImportOptions(samplingRate: 1000)).contains("2.5 s long"))
        #expect(importMessage(tenSeconds, ImportOptions(samplingRate: 250, lead: "V9")) == "mine.csv: no lead 'V9': the leads are 1 ECG, 2 V1")
        #expect(importMessage(tenSeconds, ImportOptions(samplingRate: 250, lead: "2")).hasPrefix("mine.csv: no heartbeats found in lead 'V1'"))
    }

    @Test func beatSymbolsMapOnlyWhatTheCourseHas() {
        #expect(BeatSymbols.beatClass(for: "N") == .normal)
        #expect(BeatSymbols.beatClass(for: "V") == .pvc)
        #expect(BeatSymbols.beatClass(for: "L") == .bbb && BeatSymbols.beatClass(for: "R") == .bbb)
        #expect(BeatSymbols.beatClass(for: "STE") == .ste)
        for unscored in ["A", "a", "J", "S", "F", "/", "Q", "(AFIB", "E"] { #expect(BeatSymbols.beatClass(for: unscored) == nil) }
    }
}
