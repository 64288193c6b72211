/// The characters widgets draw with, in a UTF-8 and an ASCII flavour. Every glyph is one
/// column wide.
public struct Glyphs: Sendable {
    public let horizontal: Character
    public let vertical: Character
    public let topLeft: Character
    public let topRight: Character
    public let bottomLeft: Character
    public let bottomRight: Character
    /// Y-axis tick: the axis line with a stub pointing at the label.
    public let axisTickLeft: Character
    /// X-axis tick: the axis line with a stub pointing down at the label.
    public let axisTickDown: Character
    /// The corner where the y axis meets the x axis.
    public let axisCorner: Character
    /// A dashed horizontal line segment (target lines).
    public let dash: Character
    public let ellipsis: Character
    public let bullet: Character
    /// Left edge of a block quote.
    public let quoteBar: Character
    /// Legend swatch for a line series.
    public let legendLine: Character
    /// Legend swatch for a filled region or bar.
    public let legendBlock: Character
    /// Horizontal bar pieces: index n is n/8 of a cell filled from the left (index 8 = full).
    public let horizontalEighths: [Character]
    /// Vertical bar pieces: index n is n/8 of a cell filled from the bottom (index 8 = full).
    public let verticalEighths: [Character]
    /// From light to dense, for sparklines.
    public let sparkRamp: [Character]
    /// From empty to dense, for heatmaps without colour.
    public let densityRamp: [Character]
    /// Markers told apart by shape when colour cannot tell classes apart.
    public let classMarkers: [Character]
    /// Marks a path step on a heatmap (optimizer trajectories).
    public let pathDot: Character
    /// Ends a piece of a code line (or a word) that goes on in the next line.
    public let continuation: Character
    /// One mark per chart series (curves, trails, overlay lines) where colour alone cannot
    /// tell them apart (`RenderCapabilities.marksSeries`); the legend shows the same mark.
    public let seriesMarks: [Character]

    public static let unicode = Glyphs(
        horizontal: "─", vertical: "│", topLeft: "╭", topRight: "╮", bottomLeft: "╰", bottomRight: "╯",
        axisTickLeft: "┤", axisTickDown: "┬", axisCorner: "└", dash: "╌", ellipsis: "…", bullet: "•",
        quoteBar: "│", legendLine: "━", legendBlock: "█",
        horizontalEighths: [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"],
        verticalEighths: [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
        sparkRamp: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
        densityRamp: Array(" .:-=+*#%@"),
        classMarkers: ["o", "x", "+", "#", "@", "%", "&", "$"],
        pathDot: "•", continuation: "↩",
        seriesMarks: ["*", "+", "o", "#", "x", "=", "~", "%"])

    public static let ascii = Glyphs(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        axisTickLeft: "+", axisTickDown: "+", axisCorner: "+", dash: "-", ellipsis: "~", bullet: "*",
        quoteBar: ">", legendLine: "-", legendBlock: "#",
        horizontalEighths: [" ", " ", " ", " ", "#", "#", "#", "#", "#"],
        verticalEighths: [" ", " ", " ", " ", "#", "#", "#", "#", "#"],
        sparkRamp: Array("_.-:=+*#"),
        densityRamp: Array(" .:-=+*#%@"),
        classMarkers: ["o", "x", "+", "#", "@", "%", "&", "$"],
        pathDot: "o", continuation: "\\",
        seriesMarks: ["*", "+", "o", "#", "x", "=", "~", "%"])
}
