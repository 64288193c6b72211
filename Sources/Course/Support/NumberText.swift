import Foundation

/// How numbers read in messages, ranges and the command line: whole numbers without a decimal
/// point, others with up to six significant digits ("0.0001", "3", "1e-07").
public enum NumberText {
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(format: "%g", value)
    }

    /// Parses a number as a learner types it: "0.01", "1e-3", "-2", "1/3", "5%" (= 0.05).
    /// Returns nil for anything else (including "nan" and "inf", which are never valid input).
    public static func parse(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix("%") {
            return parse(String(trimmed.dropLast())).map { $0 / 100 }
        }
        if let slash = trimmed.firstIndex(of: "/") {
            guard let top = parse(String(trimmed[..<slash])),
                  let bottom = parse(String(trimmed[trimmed.index(after: slash)...])),
                  bottom != 0 else { return nil }
            return top / bottom
        }
        // Double("0x1p3") and friends are accepted by Swift; a learner never means them.
        guard trimmed.allSatisfy({ "0123456789.eE+-_".contains($0) }),
              let value = Double(trimmed.replacingOccurrences(of: "_", with: "")),
              value.isFinite else { return nil }
        return value
    }
}
