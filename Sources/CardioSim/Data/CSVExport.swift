import Foundation

/// Writes tables as CSV (RFC 4180: a header row, commas, quotes around cells that need them).
public enum CSVExport {
    public static func escape(_ cell: String) -> String {
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    public static func text(_ table: DataTable) -> String {
        var out = table.columns.map(escape).joined(separator: ",") + "\n"
        for row in table.rows { out += row.map(escape).joined(separator: ",") + "\n" }
        return out
    }

    /// Writes the table to `url` (replacing it atomically).
    public static func write(_ table: DataTable, to url: URL) throws {
        do { try Data(text(table).utf8).write(to: url, options: .atomic) } catch {
            throw CardioSimError.io("cannot write \(url.path): \(error.localizedDescription)")
        }
    }
}
