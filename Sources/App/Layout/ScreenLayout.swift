import TextPlot

/// Where each part of the course screen goes for a given terminal size.
///
/// Wide terminals put the sidebar, the lesson and the lab side by side; narrow ones stack the
/// lesson above the lab and show the sidebar only while it has focus (over the lesson); below
/// the minimum size the screen shows one plain message instead of a squashed layout.
public struct ScreenLayout: Equatable, Sendable {
    public enum Mode: Equatable, Sendable { case wide, narrow, tooSmall }

    /// Below this the screen only asks for a larger terminal.
    public static let minimumWidth = 60
    public static let minimumHeight = 20
    /// From this width on, the sidebar and the lab sit beside the lesson.
    public static let wideWidth = 110
    /// The narrowest sidebar; wide terminals give it room for whole lesson titles (up to a fifth
    /// of the width).
    public static let sidebarWidth = 26
    /// The stacked lesson's height (border included) while the lab has focus.
    public static let focusedLessonHeight = 5

    public var mode: Mode
    /// Row 0: course title, lesson and page, notice.
    public var header: Rect
    /// The chapter and lesson list (narrow: drawn over the lesson, only while focused).
    public var sidebar: Rect
    public var lesson: Rect
    /// The lab's panels; empty when the page has no lab.
    public var panels: Rect
    /// The hyperparameter box; empty when the page has no lab.
    public var parameters: Rect
    /// One row above the panels: the lab's current measurements; empty when the page has no lab.
    public var readout: Rect = Rect(x: 0, y: 0, width: 0, height: 0)
    /// The row above the status line: command line or the last message.
    public var message: Rect
    /// The last row.
    public var status: Rect

    /// Computes the layout. `parameterCount` sizes the hyperparameter box (one row each, plus
    /// borders and the help line); `longestTitle` (in cells) lets a wide sidebar show whole
    /// lesson titles. `labFocused` (stacked layouts only) gives the lab the lesson's rows but a few:
    /// on a small terminal a table or a grid of panels then has room to be read, and Tab away
    /// from the lab brings the text back.
    public static func compute(width: Int, height: Int, hasLab: Bool, parameterCount: Int,
                               longestTitle: Int = 0, labFocused: Bool = false) -> ScreenLayout {
        let empty = Rect(x: 0, y: 0, width: 0, height: 0)
        guard width >= minimumWidth, height >= minimumHeight else {
            return ScreenLayout(mode: .tooSmall, header: empty, sidebar: empty, lesson: empty, panels: empty,
                                parameters: empty, message: empty, status: empty)
        }
        let header = Rect(x: 0, y: 0, width: width, height: 1)
        let message = Rect(x: 0, y: height - 2, width: width, height: 1)
        let status = Rect(x: 0, y: height - 1, width: width, height: 1)
        let bodyTop = 1, bodyHeight = height - 3
        let parameterRows = parameterCount + 3  // borders + the selected parameter's help line

        if width >= wideWidth {
            // The sidebar's rows are "▸ 10 title" inside a border: title + 6 cells.
            let side = min(max(sidebarWidth, longestTitle + 6), max(sidebarWidth, width / 5))
            let sidebar = Rect(x: 0, y: bodyTop, width: side, height: bodyHeight)
            let rest = width - side
            guard hasLab else {
                return ScreenLayout(mode: .wide, header: header, sidebar: sidebar,
                                    lesson: Rect(x: side, y: bodyTop, width: rest, height: bodyHeight),
                                    panels: empty, parameters: empty, message: message, status: status)
            }
            let lessonWidth = max(34, rest * 2 / 5)
            let labX = side + lessonWidth, labWidth = width - labX
            let boxHeight = min(parameterRows, bodyHeight / 3)
            var layout = ScreenLayout(
                mode: .wide, header: header, sidebar: sidebar,
                lesson: Rect(x: side, y: bodyTop, width: lessonWidth, height: bodyHeight),
                panels: Rect(x: labX, y: bodyTop + 1, width: labWidth, height: bodyHeight - boxHeight - 1),
                parameters: Rect(x: labX, y: bodyTop + bodyHeight - boxHeight, width: labWidth, height: boxHeight),
                message: message, status: status)
            layout.readout = Rect(x: labX, y: bodyTop, width: labWidth, height: 1)
            return layout
        }

        let sidebar = Rect(x: 0, y: bodyTop, width: min(sidebarWidth, width / 2), height: bodyHeight)
        guard hasLab else {
            return ScreenLayout(mode: .narrow, header: header, sidebar: sidebar,
                                lesson: Rect(x: 0, y: bodyTop, width: width, height: bodyHeight),
                                panels: empty, parameters: empty, message: message, status: status)
        }
        // Stacked: the lesson keeps at least 7 lines of text (9 rows with its border), the lab
        // a readout row, panels at least 8 rows high (PanelGrid's smallest readable panel) and a
        // parameter box that shrinks to the selected parameter alone before the panels do.
        // With the lab focused the lesson keeps three lines, enough to see where the page is.
        let minimumPanels = 8
        let lessonHeight = labFocused ? focusedLessonHeight : max(9, bodyHeight * 2 / 5)
        let labTop = bodyTop + lessonHeight, labHeight = bodyHeight - lessonHeight
        // The rows a focused lab gains go to the panels: the box's share stays what it was.
        let boxShare = labFocused ? labHeight / 5 : labHeight * 2 / 5
        let boxHeight = max(3, min(parameterRows, labHeight - 1 - minimumPanels, boxShare))
        var layout = ScreenLayout(
            mode: .narrow, header: header, sidebar: sidebar,
            lesson: Rect(x: 0, y: bodyTop, width: width, height: lessonHeight),
            panels: Rect(x: 0, y: labTop + 1, width: width, height: labHeight - boxHeight - 1),
            parameters: Rect(x: 0, y: labTop + labHeight - boxHeight, width: width, height: boxHeight),
            message: message, status: status)
        layout.readout = Rect(x: 0, y: labTop, width: width, height: 1)
        return layout
    }
}
