/// Text for a terminal without Unicode: the few typographic characters lessons use, spelled in
/// ASCII ("×" as "*", "≥" as ">=", "→" as "->"), so a formula still reads right under
/// `LANG=C` instead of showing "?" or nothing.
public enum ASCIIText {
    static let replacements: [Character: String] = [
        "×": "*", "·": "*", "÷": "/", "−": "-", "–": "-", "—": "--", "≥": ">=", "≤": "<=", "≠": "!=",
        "≈": "~", "→": "->", "←": "<-", "↑": "^", "↓": "v", "…": "...", "²": "^2", "³": "^3", "√": "sqrt",
        "Σ": "sum", "∑": "sum", "∂": "d", "Δ": "delta", "α": "alpha", "β": "beta", "γ": "gamma", "λ": "lambda",
        "μ": "mu", "σ": "sigma", "θ": "theta", "η": "eta", "ε": "eps", "π": "pi", "“": "\"", "”": "\"",
        "‘": "'", "’": "'", "°": " deg", "±": "+/-", "∞": "inf", "✓": "*", "•": "*",
    ]

    /// `text` with every known non-ASCII character spelled in ASCII, and any other one as "?".
    public static func transliterate(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { !$0.isASCII }) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            if character.isASCII { result.append(character) }
            else { result += replacements[character] ?? "?" }
        }
        return result
    }
}
