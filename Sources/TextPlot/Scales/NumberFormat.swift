import Foundation

/// Short number labels for axes, bars and cells.
public enum NumberFormat {
    /// A label for a tick on an axis whose ticks are `step` apart: just enough decimals to tell
    /// neighbouring ticks apart (0.2, 0.4 / 1000, 2000), scientific for very large or small.
    public static func tick(_ value: Double, step: Double) -> String {
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e6 || magnitude < 1e-4 { return scientific(value) }
        let decimals = step > 0 ? max(0, Int(-floor(log10(step) + 1e-9))) : 2
        return fixed(value, decimals: min(decimals, 6))
    }

    /// A label for a power-of-ten (or 2x, 5x) tick on a log axis.
    public static func logTick(_ value: Double) -> String {
        let exponent = log10(value)
        if value >= 1e-3 && value < 1e5 {
            let decimals = max(0, Int(-floor(exponent + 1e-9)))
            return fixed(value, decimals: decimals)
        }
        return scientific(value)
    }

    /// A compact value with about `significant` significant digits: 0.953, 12.4, 1.2e-05.
    public static func compact(_ value: Double, significant: Int = 3) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e6 || magnitude < 1e-3 { return scientific(value) }
        let digitsBeforePoint = Int(floor(log10(magnitude))) + 1
        let decimals = max(0, significant - digitsBeforePoint)
        var text = fixed(value, decimals: decimals)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }

    static func fixed(_ value: Double, decimals: Int) -> String {
        let text = String(format: "%.\(decimals)f", value)
        return text == "-0" ? "0" : text
    }

    static func scientific(_ value: Double) -> String {
        // "1e-05" reads worse than "1e-5" in a narrow axis.
        let text = String(format: "%.0e", value)
        guard let e = text.firstIndex(of: "e") else { return text }
        let mantissa = text[..<e]
        var exponent = String(text[text.index(after: e)...])
        let sign = exponent.hasPrefix("-") ? "-" : ""
        exponent = String(exponent.drop { $0 == "+" || $0 == "-" || $0 == "0" })
        return "\(mantissa)e\(sign)\(exponent.isEmpty ? "0" : exponent)"
    }
}
