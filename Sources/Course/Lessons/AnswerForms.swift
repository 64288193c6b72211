import Foundation

/// The forms of a fair answer that are not the answer's exact text.
///
/// A newcomer writes "80 ms" or "eighty" for 80, "4x" for 4, "the optimizer" or "c) optimizer"
/// for the choice "optimizer", "goes up" for "increase". Each form here is one rule, documented
/// in docs/lessons-format.md; QuizChecker tries them after the exact text.
enum AnswerForms {
    /// A number the learner wrote, with what may stand around it taken off: a unit after it
    /// ("80 ms", "80ms", "80 milliseconds", "4x", "4 times", "70 bpm"), thousands separators
    /// ("1,000"), or the number in words ("zero", "four", "twenty-five", "one hundred").
    ///
    /// A unit is letters only, at most three words: "80 or 90" is not read as 80, and neither is
    /// "8 0".
    static func number(in text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let plain = NumberText.parse(trimmed) { return plain }
        if let words = numberFromWords(trimmed.lowercased()) { return words }
        // The longest prefix that reads as a number, then a unit of letters.
        let characters = Array(trimmed)
        var end = 0
        while end < characters.count, "0123456789.,eE+-/%_".contains(characters[end]) { end += 1 }
        // "1e" would eat the e of "1em"; back off to a prefix that parses.
        while end > 0 {
            let head = String(characters[..<end]).replacingOccurrences(of: ",", with: "")
            if head.contains(where: \.isNumber), let value = NumberText.parse(head),
               isUnit(String(characters[end...])) {
                return value
            }
            end -= 1
        }
        return nil
    }

    /// Letters-only words after a number (or nothing): "ms", "x", "×", "times", "beats per minute".
    private static func isUnit(_ text: String) -> Bool {
        let words = text.lowercased().split(whereSeparator: \.isWhitespace)
        if words.isEmpty { return true }
        if text.first.map({ !$0.isWhitespace && !$0.isLetter && $0 != "×" }) ?? false { return false }
        return words.count <= 3 && words.allSatisfy { word in
            word.allSatisfy { $0.isLetter || $0 == "×" || $0 == "/" || $0 == "²" }
        }
    }

    private static let units: [String: Int] = [
        "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
        "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
        "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
        "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
        "seventy": 70, "eighty": 80, "ninety": 90,
    ]
    private static let scales: [String: Int] = ["hundred": 100, "thousand": 1_000, "million": 1_000_000]

    /// "four" = 4, "twenty-five" = 25, "one hundred and two" = 102, "a thousand" = 1000,
    /// "minus three" = -3. Any word that is not part of a number makes it nil.
    static func numberFromWords(_ text: String) -> Double? {
        var words = text.replacingOccurrences(of: "-", with: " ")
            .split(whereSeparator: \.isWhitespace).map(String.init)
        var sign = 1.0
        if let first = words.first, first == "minus" || first == "negative" { sign = -1; words.removeFirst() }
        guard !words.isEmpty else { return nil }
        var total = 0, current = 0, sawNumber = false
        for (index, word) in words.enumerated() {
            if let value = units[word] {
                current += value; sawNumber = true
            } else if let scale = scales[word] {
                current = max(current, 1) * scale; sawNumber = true
                if scale >= 1_000 { total += current; current = 0 }
            } else if word == "and", sawNumber, index < words.count - 1 {
                continue
            } else if (word == "a" || word == "an"), index == 0, words.count > 1 {
                continue
            } else {
                return nil
            }
        }
        return sawNumber ? sign * Double(total + current) : nil
    }

    /// The text without a leading article ("the optimizer" -> "optimizer").
    static func withoutArticle(_ normalized: String) -> String {
        for article in ["the ", "an ", "a "] where normalized.hasPrefix(article) && normalized.count > article.count {
            return String(normalized.dropFirst(article.count))
        }
        return normalized
    }

    /// A choice written as its letter and its text: "c) optimizer", "(c) optimizer", "c. optimizer",
    /// "c: optimizer", "c optimizer". Returns the letter and the text, or nil for another form.
    static func letterAndText(_ normalized: String) -> (letter: Character, text: String)? {
        var rest = Substring(normalized)
        if rest.hasPrefix("(") { rest = rest.dropFirst() }
        guard let letter = rest.first, letter.isLetter, letter.isASCII else { return nil }
        rest = rest.dropFirst()
        guard let mark = rest.first, ")].: ".contains(mark) else { return nil }
        rest = rest.dropFirst()
        let text = rest.trimmingCharacters(in: .whitespaces)
        return text.isEmpty ? nil : (letter, text)
    }

    /// Words that say the same direction. A quiz whose answer is one of them accepts the others;
    /// anything else a quiz should accept goes in its `accept` list.
    private static let sameMeaning: [[String]] = [
        ["increase", "increases", "go up", "goes up", "rise", "rises", "grow", "grows", "up", "higher", "bigger", "larger"],
        ["decrease", "decreases", "go down", "goes down", "fall", "falls", "drop", "drops", "shrink", "shrinks", "down", "lower", "smaller"],
        ["yes", "true", "y"],
        ["no", "false", "n"],
    ]

    /// The group of words that mean the same as `normalized`, or just `normalized`.
    static func meanings(of normalized: String) -> Set<String> {
        var bare = withoutArticle(normalized)
        for filler in ["it will ", "it would ", "they will ", "it ", "they "] where bare.hasPrefix(filler) {
            bare = String(bare.dropFirst(filler.count)); break
        }
        var meanings: Set<String> = [normalized, bare]
        for group in sameMeaning where group.contains(bare) { meanings.formUnion(group) }
        return meanings
    }
}
