import CardioSim

/// How `q-table` turns a dosing patient into a row of its table: the drug level (mg/L) into 6
/// bins cut where the environment's rules change (the therapeutic window 2 to 5, toxic above 6,
/// and 1 and 3.5 inside the ranges), the severity into 3 (recovered below 0.3, the threshold
/// the final reward checks). 18 states; the step of the course is left out, so one row serves
/// every step.
///
/// Row = severityBin x 6 + levelBin; a value on an edge goes to the bin above it.
struct DosingStateBins: Sendable, Equatable {
    static let levelEdges: [Double] = [1, 2, 3.5, 5, 6]
    static let severityEdges: [Double] = [0.3, 0.6]
    /// Column labels of the level bins, in mg/L.
    static let levelLabels = ["0-1", "1-2", "2-3.5", "3.5-5", "5-6", ">6"]
    /// Severity bins from low (recovered) to high.
    static let severityLabels = ["low", "mid", "high"]

    static var levelCount: Int { levelEdges.count + 1 }
    static var severityCount: Int { severityEdges.count + 1 }
    static var count: Int { levelCount * severityCount }

    static func levelBin(_ level: Double) -> Int { levelEdges.filter { level >= $0 }.count }
    static func severityBin(_ severity: Double) -> Int { severityEdges.filter { severity >= $0 }.count }

    static func index(level: Double, severity: Double) -> Int {
        severityBin(severity) * levelCount + levelBin(level)
    }

    /// The row of the patient as the environment stands now.
    static func index(_ environment: DosingEnvironment) -> Int {
        index(level: environment.level, severity: environment.severity)
    }

    /// "high 2-3.5": severity, then level, for the heatmap's rows.
    static func label(_ row: Int) -> String {
        "\(severityLabels[row / levelCount]) \(levelLabels[row % levelCount])"
    }

    /// A level inside each level bin (its middle; 7 for the open top bin), for showing what the
    /// clinician's rule doses there.
    static let representativeLevels: [Double] = [0.5, 1.5, 2.75, 4.25, 5.5, 7]
}
