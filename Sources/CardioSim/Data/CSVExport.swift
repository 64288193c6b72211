import Foundation
import MLEngine

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
        // AtomicFile, not Foundation's atomic write: only a regular file is replaced (a device
        // node stays a device) and a missing folder is an error, as for every path typed.
        do { try AtomicFile.write(text(table), to: url.path, creatingFolders: false) } catch {
            throw CardioSimError.io("\(error)")
        }
    }
}
