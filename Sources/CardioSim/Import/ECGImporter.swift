import Foundation

/// How to read a learner's recording (`mlcourse data import` flags).
public struct ImportOptions: Sendable, Equatable {
    public enum Units: String, Sendable, CaseIterable { case mV, uV }
    /// Sampling rate, Hz; nil to read it from a time column.
    public var samplingRate: Double?
    /// Which lead: a column name, or a 1-based number among the lead columns; nil for the first.
    public var lead: String?
    public var units: Units
    /// Subtract the estimated baseline (on by default; off only to compare with the raw signal).
    public var removeBaseline: Bool

    public init(samplingRate: Double? = nil, lead: String? = nil, units: Units = .mV, removeBaseline: Bool = true) {
        self.samplingRate = samplingRate
        self.lead = lead
        self.units = units
        self.removeBaseline = removeBaseline
    }
}

/// Turns a recording into beats the course's models can read, in CardioSim's layout: 250 Hz,
/// 250-sample windows with the R peak at sample 90, in mV around a zero baseline (the labs then
/// standardise them exactly as they do their training beats).
///
/// The steps: pick the lead and convert to mV; resample to 250 Hz through an anti-aliasing filter
/// (`Resampler`); remove baseline wander (`BaselineRemoval`); find the R peaks
/// (`RPeakDetector`) and place them as CardioSim does (`BeatAlignment`); cut a window around each R peak that fits inside the recording; match any
/// annotations to the beats (`BeatSymbols`).
public enum ECGImporter {
    public static let courseRate = 250.0
    public static let windowLength = 250
    public static let rPeakIndex = 90
    public static let minimumSeconds = 5.0
    public static let rateRange = 50.0...10_000.0
    /// An annotation belongs to the detected beat nearest to it, if within this many seconds.
    public static let matchSeconds = 0.15

    /// Imports parsed CSV. `annotations` are (sample index at the file's rate, symbol) pairs from
    /// a separate annotation file; labels in the CSV's own label column are used as well.
    public static func importRecording(_ csv: RecordingCSV, options: ImportOptions, name: String, fileName: String,
                                       annotations: [(sample: Int, symbol: String)] = []) throws -> ImportedRecording {
        func fail(_ message: String) -> CardioSimError { .recording(file: fileName, message: message) }
        let rate: Double
        if let given = options.samplingRate {
            rate = given
        } else if let step = csv.timeStep {
            rate = 1 / step
        } else {
            throw fail("no sampling rate: give --rate HZ, or a 'time' column in seconds")
        }
        guard rate.isFinite, rateRange.contains(rate) else {
            let source = options.samplingRate == nil ? " (read from the time column)" : ""
            throw fail("a sampling rate of \(format(rate)) Hz\(source) is not plausible for an ECG: expected 50 to 10000 Hz")
        }
        let leadIndex = try chooseLead(options.lead, among: csv.leadNames, fail: fail)
        let raw = csv.leads[leadIndex]
        let seconds = Double(raw.count) / rate
        guard seconds >= minimumSeconds else {
            throw fail("the recording is \(format(seconds)) s long (\(raw.count) samples at \(format(rate)) Hz); at least \(format(minimumSeconds)) s are needed to find beats")
        }
        let scale = options.units == .uV ? 0.001 : 1
        let millivolts = raw.map { $0 * scale }
        let resampled = Resampler(from: rate, to: courseRate).resample(millivolts)
        let signal = options.removeBaseline ? BaselineRemoval.remove(resampled, samplingRate: courseRate) : resampled
        let peaks = BeatAlignment.align(RPeakDetector.detect(signal, samplingRate: courseRate), in: signal)

        // Cut the windows that fit.
        var beats: [Float] = []
        var beatPeaks: [Int] = []
        for r in peaks where r - rPeakIndex >= 0 && r - rPeakIndex + windowLength <= signal.count {
            beatPeaks.append(r)
            for j in (r - rPeakIndex)..<(r - rPeakIndex + windowLength) { beats.append(Float(signal[j])) }
        }
        guard !beatPeaks.isEmpty else {
            throw fail("no heartbeats found in lead '\(csv.leadNames[leadIndex])' (\(peaks.count) R peaks, none with a whole window around it): is this an ECG lead, and is the rate right?")
        }

        // Truth: annotations at the file's rate, moved to 250 Hz and matched to the nearest beat.
        let marks = csv.labels.map { (Double($0.row), $0.text) } + annotations.map { (Double($0.sample), $0.symbol) }
        var labels = [String?](repeating: nil, count: beatPeaks.count)
        let reach = matchSeconds * courseRate
        for (sample, text) in marks {
            let position = sample * courseRate / rate
            guard let nearest = nearestIndex(to: position, in: beatPeaks), abs(Double(beatPeaks[nearest]) - position) <= reach else { continue }
            labels[nearest] = text
        }

        let intervals = zip(peaks.dropFirst(), peaks).map { Double($0 - $1) / courseRate }.sorted()
        let heartRate = intervals.isEmpty ? 0 : 60 / intervals[intervals.count / 2]
        return ImportedRecording(name: name, sourceFile: fileName, lead: csv.leadNames[leadIndex], originalRate: rate,
                                 signal: signal.map(Float.init), rPeaks: peaks, beatPeaks: beatPeaks, beats: beats,
                                 labels: labels, heartRate: heartRate)
    }

    static func chooseLead(_ wanted: String?, among names: [String], fail: (String) -> CardioSimError) throws -> Int {
        guard let wanted else { return 0 }
        if let index = names.firstIndex(where: { $0.caseInsensitiveCompare(wanted) == .orderedSame }) { return index }
        if let number = Int(wanted), (1...names.count).contains(number) { return number - 1 }
        throw fail("no lead '\(wanted)': the leads are \(names.enumerated().map { "\($0.offset + 1) \($0.element)" }.joined(separator: ", "))")
    }

    /// Index of the value in ascending `sorted` closest to `position`.
    static func nearestIndex(to position: Double, in sorted: [Int]) -> Int? {
        guard !sorted.isEmpty else { return nil }
        var (low, high) = (0, sorted.count - 1)
        while low < high {
            let middle = (low + high) / 2
            if Double(sorted[middle]) < position { low = middle + 1 } else { high = middle }
        }
        if low > 0, abs(Double(sorted[low - 1]) - position) <= abs(Double(sorted[low]) - position) { return low - 1 }
        return low
    }

    public static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(format: "%.3g", value)
    }
}

/// A learner's recording after import: the 250 Hz signal, its R peaks and its cut beats.
public struct ImportedRecording: Codable, Sendable, Equatable {
    public var name: String
    public var sourceFile: String
    public var lead: String
    /// The rate of the file, Hz (the signal here is always at 250 Hz).
    public var originalRate: Double
    /// The signal at 250 Hz in mV, baseline removed.
    public var signal: [Float]
    /// Every detected R peak (sample index in `signal`).
    public var rPeaks: [Int]
    /// The R peak of each cut beat (those whose window fits inside the recording).
    public var beatPeaks: [Int]
    /// The beats, [beatCount * 250] row after row, mV, R peak at sample 90.
    public var beats: [Float]
    /// Each beat's annotation as written in the file (nil: none).
    public var labels: [String?]
    /// Median heart rate over the recording, bpm.
    public var heartRate: Double

    public var samplingRate: Double { ECGImporter.courseRate }
    public var beatCount: Int { beatPeaks.count }
    public var duration: Double { Double(signal.count) / samplingRate }
    /// Each beat's class from its annotation; nil for unannotated or unscored beats.
    public var truth: [BeatClass?] { labels.map { $0.flatMap(BeatSymbols.beatClass(for:)) } }
    public var isLabelled: Bool { truth.contains { $0 != nil } }
}
