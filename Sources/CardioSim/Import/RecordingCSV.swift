import Foundation

/// A recording as read from a learner's CSV, before any signal processing: the format
/// `mlcourse data import` accepts (docs/data-import.md).
///
/// - Cells are separated by commas, semicolons or tabs (whichever the first data line uses).
/// - The first row may be a header naming the columns; without one, columns are called 1, 2, ...
/// - A column named `time` (or `t`, `time_s`, `seconds`) gives each sample's time in seconds;
///   `time_ms` in milliseconds. The sampling rate is then read from it.
/// - A column named `label` (or `annotation`, `symbol`, `beat`) holds a beat symbol or a
///   course class name on the row of each R peak, empty elsewhere (see `BeatSymbols`).
/// - Every other column is a lead.
/// - Empty lines and lines starting with '#' are skipped.
public struct RecordingCSV: Sendable, Equatable {
    public var leadNames: [String]
    /// leads[lead][sample], in the file's units.
    public var leads: [[Double]]
    /// Seconds per row, from a time column (nil without one).
    public var timeStep: Double?
    /// (row index, text) of each non-empty label cell.
    public var labels: [(row: Int, text: String)]
    /// The 1-based column each lead came from, for messages.
    public var leadColumns: [Int]

    public static func == (a: RecordingCSV, b: RecordingCSV) -> Bool {
        a.leadNames == b.leadNames && a.leads == b.leads && a.timeStep == b.timeStep
            && a.labels.map(\.row) == b.labels.map(\.row) && a.labels.map(\.text) == b.labels.map(\.text)
    }

    static let timeNames: [String: Double] = ["time": 1, "t": 1, "time_s": 1, "seconds": 1, "time_ms": 0.001]
    static let labelNames: Set<String> = ["label", "annotation", "symbol", "beat", "class"]

    /// Parses `text`; errors name the file, the line (1-based) and the column.
    public static func parse(_ text: String, fileName: String = "<csv>") throws -> RecordingCSV {
        func fail(_ line: Int, _ column: Int?, _ message: String) -> CardioSimError {
            .csv(file: fileName, line: line, column: column, message: message)
        }
        var separator: Character?
        var header: [String]?
        var kinds: [Kind] = []
        var leads: [[Double]] = []
        var leadNames: [String] = [], leadColumns: [Int] = []
        var times: [Double] = []
        var labels: [(row: Int, text: String)] = []
        var lineNumber = 0, row = 0
        var rowLines: [Int] = []
        // In Swift "\r\n" is one Character, so both line endings are split on explicitly.
        // Bytes, not Characters: splitting 600,000 lines by grapheme cluster took seconds.
        for lineBytes in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = Substring(trimmed(lineBytes))
            if line.utf8.isEmpty || line.utf8.first == UInt8(ascii: "#") { continue }
            let sep = separator ?? [Character("\t"), ";", ","].first(where: { line.contains($0) }) ?? ","
            separator = sep
            let sepByte = sep.asciiValue ?? UInt8(ascii: ",")
            let cells = line.utf8.split(separator: sepByte, omittingEmptySubsequences: false).map { String(Substring(trimmed($0))) }
            if header == nil {
                let isHeader = cells.contains { !$0.isEmpty && Double($0) == nil }
                let names = isHeader ? cells : cells.indices.map { String($0 + 1) }
                if isHeader {
                    if let empty = cells.firstIndex(where: { $0.isEmpty }) { throw fail(lineNumber, empty + 1, "empty column name in the header") }
                    var seen = Set<String>()
                    for (c, name) in cells.enumerated() where !seen.insert(name.lowercased()).inserted {
                        throw fail(lineNumber, c + 1, "column '\(name)' appears twice in the header")
                    }
                }
                header = names
                kinds = names.map { name in
                    let key = name.lowercased()
                    if let scale = timeNames[key] { return .time(scale) }
                    if labelNames.contains(key) { return .label }
                    return .lead
                }
                for (c, kind) in kinds.enumerated() where kind == .lead { leadNames.append(names[c]); leadColumns.append(c + 1) }
                guard !leadNames.isEmpty else { throw fail(lineNumber, nil, "no lead column: every column is a time or label column") }
                leads = Array(repeating: [], count: leadNames.count)
                if isHeader { continue }
            }
            let names = header!
            guard cells.count == names.count else {
                throw fail(lineNumber, nil, "expected \(names.count) values separated by '\(sep == "\t" ? "tab" : String(sep))' (\(names.joined(separator: ", "))), found \(cells.count)")
            }
            var lead = 0
            for (c, cell) in cells.enumerated() {
                switch kinds[c] {
                case .label:
                    if !cell.isEmpty { labels.append((row, cell)) }
                case .time(let scale):
                    guard let value = number(cell) else { throw fail(lineNumber, c + 1, describe(cell, column: names[c])) }
                    times.append(value * scale)
                case .lead:
                    guard let value = number(cell) else { throw fail(lineNumber, c + 1, describe(cell, column: names[c])) }
                    leads[lead].append(value)
                    lead += 1
                }
            }
            rowLines.append(lineNumber)
            row += 1
        }
        guard header != nil else { throw fail(max(lineNumber, 1), nil, "the file is empty: expected rows of samples") }
        guard row > 0 else { throw fail(lineNumber, nil, "the header has no samples under it") }
        var timeStep: Double?
        if times.count >= 2 {
            // Time must move forward by the first rows' step every row (a 5% slack for rounded
            // values); the rate then comes from the whole span.
            let first = times[1] - times[0]
            for i in 1..<times.count where !(first > 0) || abs((times[i] - times[i - 1]) - first) > 0.05 * first {
                let step = first
                throw fail(rowLines[i], kinds.firstIndex { if case .time = $0 { return true }; return false }.map { $0 + 1 },
                           "time does not advance evenly here (\(times[i - 1]) then \(times[i]); the rows should be \(step) s apart)")
            }
            timeStep = (times[times.count - 1] - times[0]) / Double(times.count - 1)
        }
        return RecordingCSV(leadNames: leadNames, leads: leads, timeStep: timeStep, labels: labels, leadColumns: leadColumns)
    }

    private enum Kind: Equatable { case time(Double), label, lead }

    /// `bytes` without leading and trailing spaces, tabs and carriage returns.
    private static func trimmed(_ bytes: Substring.UTF8View) -> Substring.UTF8View {
        func blank(_ b: UInt8) -> Bool { b == 32 || b == 9 || b == 13 }
        var start = bytes.startIndex, end = bytes.endIndex
        while start < end, blank(bytes[start]) { start = bytes.index(after: start) }
        while end > start, blank(bytes[bytes.index(before: end)]) { end = bytes.index(before: end) }
        return bytes[start..<end]
    }

    private static func number(_ cell: String) -> Double? {
        guard let value = Double(cell), value.isFinite else { return nil }
        return value
    }

    private static func describe(_ cell: String, column: String) -> String {
        if cell.isEmpty { return "missing value (column \(column))" }
        if let value = Double(cell), !value.isFinite { return "'\(cell)' is not a measurement (column \(column))" }
        return "'\(cell)' is not a number (column \(column))"
    }
}
