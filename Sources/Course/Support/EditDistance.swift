/// Spelling suggestions for names the learner or a lesson author typed ("did you mean 'train'?").
///
/// Distance is the optimal string alignment distance: insertions, deletions, substitutions and
/// swaps of two neighbouring letters each cost 1, so "tarin" is one edit from "train".
public enum Suggestion {
    /// The number of single-letter edits between `a` and `b` (case-insensitive).
    public static func distance(_ a: String, _ b: String) -> Int {
        let s = Array(a.lowercased()), t = Array(b.lowercased())
        if s.isEmpty { return t.count }
        if t.isEmpty { return s.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: t.count + 1), count: s.count + 1)
        for i in 0...s.count { table[i][0] = i }
        for j in 0...t.count { table[0][j] = j }
        for i in 1...s.count {
            for j in 1...t.count {
                let cost = s[i - 1] == t[j - 1] ? 0 : 1
                var best = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, s[i - 1] == t[j - 2], s[i - 2] == t[j - 1] {
                    best = min(best, table[i - 2][j - 2] + 1)
                }
                table[i][j] = best
            }
        }
        return table[s.count][t.count]
    }

    /// The closest candidate, if it is close enough to be a plausible typo: at most one edit for
    /// short words, two for words of five letters or more. A candidate that starts with the typed
    /// text also counts (so "tr" suggests "train").
    public static func closest(to word: String, in candidates: [String]) -> String? {
        let allowed = word.count >= 5 ? 2 : 1
        var best: (candidate: String, distance: Int)?
        for candidate in candidates where candidate.lowercased() != word.lowercased() {
            let d = distance(word, candidate)
            // Fewer edits than the word has letters: replacing a whole word is not a typo
            // (`replay ν` suggested '-').
            guard d < word.count else { continue }
            if d <= allowed, best == nil || d < best!.distance { best = (candidate, d) }
        }
        if let best { return best.candidate }
        if word.count >= 2 {
            return candidates.first { $0.lowercased().hasPrefix(word.lowercased()) }
        }
        return nil
    }

    /// "; did you mean 'x'?" or the empty string, to append to an error message.
    public static func didYouMean(_ word: String, in candidates: [String]) -> String {
        closest(to: word, in: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }
}
