import App
import ArgumentParser
import CardioSim
import Course
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `mlcourse doctor`: what mlcourse finds on this machine, and what to fix when the screen
/// looks wrong (too small, no UTF-8, no colours) or progress cannot be saved.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the terminal (size, UTF-8, colours), where progress is kept, and where lessons and data sets were found.")

    func run() throws {
        let env = ProcessInfo.processInfo.environment
        var problems = 0
        func line(_ ok: Bool?, _ what: String, _ detail: String) {
            let mark = ok == nil ? "  -  " : (ok! ? "  ok " : "  !! ")
            if ok == false { problems += 1 }
            print("\(mark)\(what.padding(toLength: 16, withPad: " ", startingAt: 0)) \(detail)")
        }

        print("Terminal")
        if let size = Self.terminalSize() {
            let big = size.cols >= ScreenLayout.minimumWidth && size.rows >= ScreenLayout.minimumHeight
            let layout = size.cols >= ScreenLayout.wideWidth ? "wide layout (sidebar, lesson and lab side by side)"
                                                             : "narrow layout (lesson above lab)"
            line(big, "size", "\(size.cols) x \(size.rows); " + (big ? layout
                : "needs at least \(ScreenLayout.minimumWidth) x \(ScreenLayout.minimumHeight): enlarge the window"))
        } else {
            line(false, "size", "stdout is not a terminal; the course needs one (use `mlcourse run` for headless training)")
        }
        let term = env["TERM"] ?? ""
        line(!term.isEmpty && term != "dumb", "TERM", term.isEmpty ? "not set: set TERM=xterm-256color"
             : term == "dumb" ? "dumb: no cursor addressing; set TERM=xterm-256color" : term)
        let codeset = Self.localeCodeset()
        let utf8 = codeset.uppercased().replacingOccurrences(of: "-", with: "") == "UTF8"
        line(utf8, "UTF-8", utf8 ? "yes (\(codeset)): braille lines, half-block heatmaps"
             : "no (\(codeset.isEmpty ? "C locale" : codeset)): ASCII drawing; set LANG=C.UTF-8 for finer plots")
        let noColor = !(env["NO_COLOR"] ?? "").isEmpty
        let colors = Self.colorCount(term: term)
        if noColor {
            line(nil, "colours", "off: NO_COLOR is set")
        } else if let colors {
            line(colors >= 8, "colours", colors >= 256 ? "\(colors)" : colors >= 8 ? "\(colors) (basic palette)" : "none reported by the terminal")
        } else {
            line(nil, "colours", "unknown (tput not available)")
        }
        line(nil, "NO_COLOR", noColor ? "set" : "not set")

        print("Files")
        do {
            let url = try ProgressStore.defaultURL(environment: env)
            let source = !(env["MLCOURSE_HOME"] ?? "").isEmpty ? "$MLCOURSE_HOME"
                : !(env["XDG_DATA_HOME"] ?? "").isEmpty ? "$XDG_DATA_HOME/mlcourse" : "~/.local/share/mlcourse"
            let writable = Self.canWrite(in: url.deletingLastPathComponent())
            line(writable == nil, "progress", "\(url.path) (from \(source))" + (writable.map { "; NOT writable: \($0)" } ?? "; writable"))
        } catch {
            line(false, "progress", "\(error)")
        }
        do {
            let folder = try LessonLocator.locate(environment: env)
            let (lessons, found) = LessonLoader.check(folder: folder, checking: Catalogue.lessonChecking)
            line(found.isEmpty, "Lessons", "\(folder.path): \(lessons.count) lessons"
                 + (found.isEmpty ? "" : ", \(found.count) problems:\n" + found.map { "         \($0)" }.joined(separator: "\n")))
        } catch {
            line(false, "Lessons", "\(error)")
        }
        let datasets = DatasetCatalog().directory
        line(nil, "Datasets", datasets.map { "\($0.path)" } ?? "not found (the built-in recipes are used)")
        print(problems == 0 ? "All good." : "\(problems) thing\(problems == 1 ? "" : "s") to look at (marked !!).")
    }

    static func terminalSize() -> (cols: Int, rows: Int)? {
        var size = winsize()
        guard isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return (Int(size.ws_col), Int(size.ws_row))
    }

    /// The character set the environment's locale uses, as the screen will see it.
    static func localeCodeset() -> String {
        setlocale(LC_ALL, "")
        guard let name = nl_langinfo(nl_item(CODESET)) else { return "" }
        let text = String(cString: name)
        return text == "ANSI_X3.4-1968" ? "ASCII" : text
    }

    /// Colours the terminfo entry for `term` reports (`tput colors`), or nil when unknown.
    static func colorCount(term: String) -> Int? {
        guard !term.isEmpty else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["tput", "-T", term, "colors"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        process.waitUntilExit()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard process.terminationStatus == 0, let n = Int(out.trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
        return max(0, n)
    }

    /// Nil when a file can be created in `folder` (made if missing), else why not.
    static func canWrite(in folder: URL) -> String? {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let probe = folder.appendingPathComponent(".doctor-\(getpid())")
            try Data("ok".utf8).write(to: probe)
            try FileManager.default.removeItem(at: probe)
            return nil
        } catch {
            return error.localizedDescription
        }
    }
}
