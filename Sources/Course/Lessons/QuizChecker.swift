import Foundation

/// Checks a learner's answer to a quiz.
///
/// - Multiple choice: the choice's text (case, spacing and a leading article ignored), its letter
///   (a, b, c...), or both ("c) optimizer"; letter and text must agree).
/// - Numeric answers (the answer parses as a number): within the quiz's tolerance; without one,
///   within 1% of the answer or 0.01, whichever is larger. "1/2", "5%", "1e-3" and "1,000" are
///   numbers; so are "80 ms", "4x" (a unit of letters after the number) and "four", "zero".
/// - Text: case, surrounding spaces, repeated spaces, a final full stop and a leading article are
///   ignored; any `accept` alternative counts too, and so do words of the same direction
///   ("goes up" for "increase"; see `AnswerForms`).
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
        let meanings = AnswerForms.meanings(of: answer)
        for alternative in quiz.accept where !meanings.isDisjoint(with: AnswerForms.meanings(of: normalize(alternative))) {
            return .right
        }
        if let expected = NumberText.parse(quiz.answer) {
            guard let value = AnswerForms.number(in: answer) else { return .wrong }
            return isClose(value, expected, tolerance: quiz.tolerance) ? .right : .wrong
        }
        return meanings.contains(AnswerForms.withoutArticle(normalize(quiz.answer)))
            || meanings.contains(normalize(quiz.answer)) ? .right : .wrong
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
        let bare = AnswerForms.withoutArticle(wanted)
        if let match = choices.first(where: { normalize($0) == wanted || AnswerForms.withoutArticle(normalize($0)) == bare }) {
            return match
        }
        var letter = wanted
        if letter.hasPrefix("("), letter.hasSuffix(")") { letter = String(letter.dropFirst()) }
        if letter.hasSuffix(")") { letter = String(letter.dropLast()) }
        if letter.count == 1, let c = letter.first,
           let index = choices.indices.first(where: { Self.letter($0) == c }) { return choices[index] }
        // "c) optimizer": the letter and the text must name the same choice.
        if let (c, rest) = AnswerForms.letterAndText(wanted),
           let index = choices.indices.first(where: { Self.letter($0) == c }),
           AnswerForms.withoutArticle(normalize(choices[index])) == AnswerForms.withoutArticle(rest) {
            return choices[index]
        }
        return nil
    }

    /// a, b, c... for choice 0, 1, 2...
    public static func letter(_ index: Int) -> Character {
        Character(UnicodeScalar(UInt8(97 + index % 26)))
    }

    /// Lower case, single spaces, no surrounding space or quotes, no final full stop.
    static func normalize(_ text: String) -> String {
        var words = text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        while words.hasSuffix(".") || words.hasSuffix("!") { words.removeLast() }
        let quotes = CharacterSet(charactersIn: "\"'`“”‘’")
        return words.trimmingCharacters(in: quotes).trimmingCharacters(in: .whitespaces)
    }
}
