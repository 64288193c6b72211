import Foundation
import Testing
@testable import MLEngine

/// Opt-in: writes a known archive for Python to check (see docs/safetensors.md).
/// `MLCOURSE_SAFETENSORS_EXPORT=/tmp/swift.safetensors swift test --filter SafetensorsInteropTests`
@Suite struct SafetensorsInteropTests {
    static let exportPath = ProcessInfo.processInfo.environment["MLCOURSE_SAFETENSORS_EXPORT"]

    @Test(.enabled(if: exportPath != nil, "set MLCOURSE_SAFETENSORS_EXPORT to a path to export"))
    func exportForPython() throws {
        var archive = SafetensorsArchive(metadata: ["format": "mlcourse-checkpoint", "version": "1", "note": "héllo \"q\""])
        try archive.set("w", Tensor(shape: [2, 3], scalars: [1.5, -2, 0.25, 3, 1e-3, -0]))
        try archive.set("step", int64s: [7, -9])
        try archive.set("seed", uint64s: [0x8000_0000_0000_0005, 1])
        try archive.set("scalar", Tensor(shape: [], scalars: [42]))
        try archive.set("empty", Tensor(shape: [0, 3], scalars: []))
        let path = try #require(Self.exportPath)
        try archive.write(to: path)
        #expect(try SafetensorsArchive(contentsOf: path) == archive)
    }
}
