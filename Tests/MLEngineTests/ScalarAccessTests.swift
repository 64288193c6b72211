import Foundation
import Testing

/// `Tensor.scalars` copied the whole storage on every read and was indexed per value, which made
/// `data export twelve-lead` quadratic (13+ minutes) and every `BeatDataset.beat(i)` copy every
/// beat. It is now `copyScalars()`, a method; indexing a fresh copy (`copyScalars()[i]`) is the
/// same trap spelled out, so no source file may do it: read one value with `scalar(at:)`, or
/// take the copy once (or the pointer, `withUnsafeScalars`) outside the loop.
@Suite struct ScalarAccessTests {
    static let sources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources")

    @Test func noSourceIndexesAWholeCopyOfATensor() throws {
        let files = try #require(FileManager.default.enumerator(at: Self.sources, includingPropertiesForKeys: nil))
        var checked = 0
        var offenders: [String] = []
        for case let url as URL in files where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            checked += 1
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
                if code.contains("copyScalars()[") || code.contains("copyScalars())[") {
                    offenders.append("\(url.lastPathComponent):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        #expect(checked > 50, "found only \(checked) source files under \(Self.sources.path)")
        #expect(offenders.isEmpty, "indexing a whole copy per value:\n\(offenders.joined(separator: "\n"))")
    }
}
