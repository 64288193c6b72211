import Foundation

/// A beat-annotation file, the other way to give an imported recording its truth (besides a
/// label column): one row per beat, `sample index, symbol`, the index counted at the
/// recording's own rate from 0, the symbol MIT-BIH style (N, V, L, R, A, ...; see
/// `BeatSymbols`). Comma, semicolon or tab; a header row and `#` comment lines are allowed.
public enum BeatAnnotationFile {
    /// The annotations in `text`. Throws `CardioSimError.csv` naming the line (and column) of
    /// the first row that is not a whole sample index >= 0 followed by a symbol.
    public static func parse(_ text: String, fileName: String) throws -> [(sample: Int, symbol: String)] {
        var marks: [(sample: Int, symbol: String)] = []
        var lineNumber = 0
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let separator: Character = line.contains("\t") ? "\t" : line.contains(";") ? ";" : ","
            let cells = line.split(separator: separator, omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 2 else {
                throw CardioSimError.csv(file: fileName, line: lineNumber, column: nil,
                                         message: "expected 'sample index, symbol', found \(cells.count) value(s)")
            }
            guard let sample = Int(cells[0]), sample >= 0 else {
                // A first row whose index is not a number at all is a header ("sample,symbol").
                if marks.isEmpty && Double(cells[0]) == nil && lineNumber == 1 { continue }
                throw CardioSimError.csv(file: fileName, line: lineNumber, column: 1,
                                         message: "'\(cells[0])' is not a sample index (a whole number >= 0)")
            }
            guard !cells[1].isEmpty else {
                throw CardioSimError.csv(file: fileName, line: lineNumber, column: 2, message: "missing beat symbol")
            }
            marks.append((sample, cells[1]))
        }
        return marks
    }
}
