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
    public static let sidebarWidth = 26

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
    /// The row above the status line: command line or the last message.
    public var message: Rect
    /// The last row.
    public var status: Rect

    /// Computes the layout. `parameterCount` sizes the hyperparameter box (one row each, plus
    /// borders and the help line).
    public static func compute(width: Int, height: Int, hasLab: Bool, parameterCount: Int) -> ScreenLayout {
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
            let sidebar = Rect(x: 0, y: bodyTop, width: sidebarWidth, height: bodyHeight)
            let rest = width - sidebarWidth
            guard hasLab else {
                return ScreenLayout(mode: .wide, header: header, sidebar: sidebar,
                                    lesson: Rect(x: sidebarWidth, y: bodyTop, width: rest, height: bodyHeight),
                                    panels: empty, parameters: empty, message: message, status: status)
            }
            let lessonWidth = max(34, rest * 2 / 5)
            let labX = sidebarWidth + lessonWidth, labWidth = width - labX
            let boxHeight = min(parameterRows, bodyHeight / 3)
            return ScreenLayout(
                mode: .wide, header: header, sidebar: sidebar,
                lesson: Rect(x: sidebarWidth, y: bodyTop, width: lessonWidth, height: bodyHeight),
                panels: Rect(x: labX, y: bodyTop, width: labWidth, height: bodyHeight - boxHeight),
                parameters: Rect(x: labX, y: bodyTop + bodyHeight - boxHeight, width: labWidth, height: boxHeight),
                message: message, status: status)
        }

        let sidebar = Rect(x: 0, y: bodyTop, width: min(sidebarWidth, width / 2), height: bodyHeight)
        guard hasLab else {
            return ScreenLayout(mode: .narrow, header: header, sidebar: sidebar,
                                lesson: Rect(x: 0, y: bodyTop, width: width, height: bodyHeight),
                                panels: empty, parameters: empty, message: message, status: status)
        }
        let lessonHeight = max(5, bodyHeight / 3)
        let labTop = bodyTop + lessonHeight, labHeight = bodyHeight - lessonHeight
        let boxHeight = min(parameterRows, max(3, labHeight * 2 / 5))
        return ScreenLayout(
            mode: .narrow, header: header, sidebar: sidebar,
            lesson: Rect(x: 0, y: bodyTop, width: width, height: lessonHeight),
            panels: Rect(x: 0, y: labTop, width: width, height: labHeight - boxHeight),
            parameters: Rect(x: 0, y: labTop + labHeight - boxHeight, width: width, height: boxHeight),
            message: message, status: status)
    }
}
