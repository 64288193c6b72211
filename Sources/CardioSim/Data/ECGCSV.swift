import Foundation

/// A learner's own ECG, read from CSV.
public struct ECGFile: Sendable, Equatable {
    /// Lead names from the header, in column order.
    public var leadNames: [String]
    /// leads[column][sample], mV as written.
    public var leads: [[Double]]
    public var samplingRate: Double

    public var sampleCount: Int { leads.first?.count ?? 0 }

    /// Parses CSV text: a header row naming each lead, then one row per sample with one number
    /// per lead. Empty lines and lines starting with '#' are skipped. Errors name the line
    /// (1-based) and, for a bad value, the column.
    public static func parse(_ text: String, samplingRate: Double, fileName: String = "<csv>") throws -> ECGFile {
        guard samplingRate > 0, samplingRate.isFinite else {
            throw CardioSimError.invalidParameter("sampling rate must be a positive number of Hz, got \(samplingRate)")
        }
        var header: [String]?
        var leads: [[Double]] = []
        var lineNumber = 0
        // In Swift "\r\n" is one Character, so both line endings are split on explicitly.
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let names = header else {
                if let empty = cells.firstIndex(where: { $0.isEmpty }) {
                    throw CardioSimError.csv(file: fileName, line: lineNumber, column: empty + 1, message: "empty lead name in the header")
                }
                var seen = Set<String>()
                for (c, name) in cells.enumerated() where !seen.insert(name).inserted {
                    throw CardioSimError.csv(file: fileName, line: lineNumber, column: c + 1, message: "lead '\(name)' appears twice in the header")
                }
                if let c = cells.firstIndex(where: { Double($0) != nil }) {
                    throw CardioSimError.csv(file: fileName, line: lineNumber, column: c + 1,
                                             message: "the first row must be a header of lead names, found the number '\(cells[c])'")
                }
                header = cells
                leads = [[Double]](repeating: [], count: cells.count)
                continue
            }
            guard cells.count == names.count else {
                throw CardioSimError.csv(file: fileName, line: lineNumber, column: nil,
                                         message: "expected \(names.count) values (one per lead: \(names.joined(separator: ", "))), found \(cells.count)")
            }
            for (c, cell) in cells.enumerated() {
                guard let value = Double(cell), value.isFinite else {
                    throw CardioSimError.csv(file: fileName, line: lineNumber, column: c + 1,
                                             message: "'\(cell)' is not a number (lead \(names[c]))")
                }
                leads[c].append(value)
            }
        }
        guard let names = header else { throw CardioSimError.csv(file: fileName, line: max(lineNumber, 1), column: nil, message: "the file is empty: expected a header row of lead names") }
        guard leads[0].count > 0 else { throw CardioSimError.csv(file: fileName, line: lineNumber, column: nil, message: "the header has no samples under it") }
        return ECGFile(leadNames: names, leads: leads, samplingRate: samplingRate)
    }

    /// Reads a CSV file (see `parse`).
    public static func load(_ url: URL, samplingRate: Double) throws -> ECGFile {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw CardioSimError.io("cannot read \(url.path): \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CardioSimError.csv(file: url.path, line: 1, column: nil, message: "the file is not UTF-8 text")
        }
        return try parse(text, samplingRate: samplingRate, fileName: url.path)
    }
}
