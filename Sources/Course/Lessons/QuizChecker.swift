import Foundation

/// Checks a learner's answer to a quiz.
///
/// - Multiple choice: the choice's text (case and spacing ignored) or its letter (a, b, c...).
/// - Numeric answers (the answer parses as a number): within the quiz's tolerance; without one,
///   within 1% of the answer or 0.01, whichever is larger. "1/2", "5%" and "1e-3" are numbers.
/// - Text: case, surrounding spaces, repeated spaces and a final full stop are ignored; any
///   `accept` alternative counts too.
public enum QuizChecker {
    /// The verdict on one answer.
    public enum Verdict: Sendable, Equatable {
        case right
        case wrong
    }

    public static func check(_ quiz: Quiz, _ given: String) -> Verdict {
        let answer = normalize(given)
        guard !answer.isEmpty else { return .wrong }
        if !quiz.choices.isEmpty {
            return choice(given, in: quiz.choices).map(normalize) == normalize(quiz.answer) ? .right : .wrong
        }
        for alternative in quiz.accept where normalize(alternative) == answer { return .right }
        if let expected = NumberText.parse(quiz.answer) {
            guard let value = NumberText.parse(given) else { return .wrong }
            return isClose(value, expected, tolerance: quiz.tolerance) ? .right : .wrong
        }
        return answer == normalize(quiz.answer) ? .right : .wrong
    }

    /// The default tolerance: 1% of the answer or 0.01, whichever is larger.
    public static func isClose(_ value: Double, _ expected: Double, tolerance: QuizTolerance?) -> Bool {
        let error = abs(value - expected)
        switch tolerance {
        case .absolute(let amount): return error <= amount * (1 + 1e-12)
        case .relative(let fraction): return error <= fraction * abs(expected) * (1 + 1e-12)
        case nil: return error <= max(0.01 * abs(expected), 0.01) * (1 + 1e-12)
        }
    }

    /// The choice `text` names, by text or by letter; nil if none.
    public static func choice(_ text: String, in choices: [String]) -> String? {
        let wanted = normalize(text)
        if let match = choices.first(where: { normalize($0) == wanted }) { return match }
        let letter = wanted.hasSuffix(")") ? String(wanted.dropLast()) : wanted
        if letter.count == 1, let c = letter.first,
           let index = choices.indices.first(where: { Self.letter($0) == c }) { return choices[index] }
        return nil
    }

    /// a, b, c... for choice 0, 1, 2...
    public static func letter(_ index: Int) -> Character {
        Character(UnicodeScalar(UInt8(97 + index % 26)))
    }

    /// Lower case, single spaces, no surrounding space, no final full stop.
    static func normalize(_ text: String) -> String {
        var words = text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        while words.hasSuffix(".") { words.removeLast() }
        return words.trimmingCharacters(in: .whitespaces)
    }
}
