import Foundation
import Testing
@testable import TextPlot

/// Golden files: a rendered canvas (characters, then styles, see `Canvas.snapshot`) compared
/// with a file in Tests/TextPlotTests/Golden. Run with `UPDATE_GOLDEN=1` to (re)write the
/// files in the source tree; review every changed golden by eye before committing it.
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Golden")

    static var updating: Bool { ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" }

    /// Compares `actual` with the golden file `name`.txt, or writes it when updating.
    static func check(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let url = directory.appendingPathComponent(name + ".txt")
        if updating {
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            do { try actual.write(to: url, atomically: true, encoding: .utf8) } catch {
                Issue.record("cannot write golden \(url.path): \(error)", sourceLocation: sourceLocation)
            }
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("missing golden \(name).txt; run with UPDATE_GOLDEN=1 to create it, then review it",
                         sourceLocation: sourceLocation)
            return
        }
        if expected != actual {
            let message = "golden \(name).txt differs (UPDATE_GOLDEN=1 rewrites it):\n" + diff(expected: expected, actual: actual)
            Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
        }
    }

    /// A line-by-line diff: each differing line as `-expected` / `+actual` with its number, and
    /// a caret row under the first differing column.
    static func diff(expected: String, actual: String) -> String {
        let old = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let new = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var out: [String] = []
        for index in 0..<max(old.count, new.count) {
            let a = index < old.count ? String(old[index]) : "<none>"
            let b = index < new.count ? String(new[index]) : "<none>"
            guard a != b else { continue }
            let column = zip(a, b).prefix { $0 == $1 }.count
            out.append(String(format: "%4d -", index + 1) + a)
            out.append(String(format: "%4d +", index + 1) + b)
            out.append("      " + String(repeating: " ", count: column) + "^")
            if out.count > 60 { out.append("..."); break }
        }
        return out.joined(separator: "\n")
    }

    /// The four capability combinations every widget is checked in.
    static let capabilityMatrix: [RenderCapabilities] = [.full, .asciiColor, .unicodeMono, .asciiMono]

    /// Renders `draw` at `width` x `height` in all four capability combinations into one
    /// golden text (sections headed by the combination).
    static func matrix(width: Int, height: Int, _ draw: (inout Canvas, Rect, RenderCapabilities) -> Void) -> String {
        capabilityMatrix.map { capabilities in
            var canvas = Canvas(width: width, height: height)
            draw(&canvas, canvas.bounds, capabilities)
            return "=== \(capabilities) \(width)x\(height)\n" + canvas.snapshot
        }.joined(separator: "\n")
    }
}
