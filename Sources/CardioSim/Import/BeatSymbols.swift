import Foundation

/// Per-beat truth from a recording's annotations, mapped to the course's five classes.
///
/// Annotated databases (MIT-BIH and the PhysioNet ones that follow it) give each beat a one-letter
/// symbol. Only symbols that mean one of the course's classes are scored; every other beat is
/// kept and classified but left out of accuracy ("unscored"), rather than guessed into a class:
///
/// | symbols | meaning | course class |
/// |---|---|---|
/// | N | normal beat | normal |
/// | L, R | left / right bundle branch block beat | bbb |
/// | V | premature ventricular contraction | pvc |
/// | A, a, J, S | atrial / nodal / supraventricular premature | unscored (no such class) |
/// | F, E, e, j, /, f, Q, ... | fusion, escape, paced, unclassifiable | unscored |
///
/// The course's other two classes have no beat symbol: atrial fibrillation is a rhythm (MIT-BIH
/// writes "(AFIB" as a rhythm change, not on a beat) and ST elevation is a measurement. A label
/// may also be a course class name (`normal`, `pvc`, `afib`, `bbb`, `ste`), which is how
/// CardioSim's own exports and a learner's hand labels say them.
public enum BeatSymbols {
    public static let mapping: [String: BeatClass] = ["N": .normal, "L": .bbb, "R": .bbb, "V": .pvc]

    /// The class a label means, or nil for a beat that is not scored.
    public static func beatClass(for label: String) -> BeatClass? {
        let text = label.trimmingCharacters(in: .whitespaces)
        if let symbol = mapping[text] { return symbol }
        return BeatClass(rawValue: text.lowercased())
    }
}
