import App
import Terminal
import TextPlot

/// Helpers shared by the screen tests: feed keys, render to a Canvas, find text in it.
extension CourseScreen {
    func press(_ keys: Key...) { for key in keys { handle(.key(key)) } }
    func type(_ text: String) { for character in text { handle(.key(.character(character))) } }
    func frame(_ width: Int, _ height: Int, _ capabilities: RenderCapabilities = .full) -> Canvas {
        render(width: width, height: height, capabilities: capabilities)
    }
}

extension Canvas {
    var lines: [String] { text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
    func contains(_ needle: String) -> Bool { text.contains(needle) }
    /// Row and column of the first occurrence of `needle`, or nil.
    func find(_ needle: String) -> (x: Int, y: Int)? {
        for (y, line) in lines.enumerated() {
            if let range = line.range(of: needle) { return (line.distance(from: line.startIndex, to: range.lowerBound), y) }
        }
        return nil
    }
}
