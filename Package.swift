// swift-tools-version:6.0
import PackageDescription

// Swift emits real fused multiply-add only when the target allows it; the GEMM micro-kernel
// depends on it (DESIGN.md, "The engine").
#if arch(x86_64)
let engineFlags: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-mavx2", "-Xcc", "-mfma", "-target-cpu", "haswell"])]
// Only the AVX-512 GEMM micro-kernel; MLEngine calls it after checking the processor has AVX-512.
let avx512Flags: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "skylake-avx512"])]
#else
let engineFlags: [SwiftSetting] = []
let avx512Flags: [SwiftSetting] = []
#endif

// `swift test` builds debug, where the engine's loops run 10-50x slower than in release. The
// targets whose loops do the arithmetic (the engine, the simulator, the labs) are optimized in
// debug builds too, so the test suite exercises the code users run at a speed CI can afford;
// the targets above them (screen, course runtime, app) stay unoptimized for debugging.
let optimizedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "mlcourse",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "mlcourse", targets: ["mlcourse"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw", pkgConfig: "ncursesw",
                       providers: [.apt(["libncurses-dev"])]),
        .target(name: "MLEngineAVX512", swiftSettings: avx512Flags + optimizedInDebug),
        .target(name: "MLEngine", dependencies: ["MLEngineAVX512"], swiftSettings: engineFlags + optimizedInDebug),
        .target(name: "CardioSim", dependencies: ["MLEngine"], swiftSettings: engineFlags + optimizedInDebug),
        .target(name: "TextPlot"),
        .target(name: "Terminal", dependencies: ["CNcursesw", "TextPlot"]),
        .target(name: "Course", dependencies: ["MLEngine", "TextPlot", "Yams"]),
        .target(name: "Labs", dependencies: ["Course", "MLEngine", "CardioSim", "TextPlot"],
                swiftSettings: engineFlags + optimizedInDebug),
        .target(name: "App", dependencies: ["Course", "TextPlot", "Terminal"]),
        .target(name: "Benchmarks", dependencies: ["MLEngine", "CardioSim", "TextPlot", "Terminal", "Course", "Labs"],
                swiftSettings: engineFlags),
        .executableTarget(name: "mlcourse", dependencies: [
            "App", "Labs", "Course", "Benchmarks", "CardioSim", "MLEngine", "Terminal", "TextPlot",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "MLEngineTests", dependencies: ["MLEngine"]),
        .testTarget(name: "CardioSimTests", dependencies: ["CardioSim", "MLEngine"]),
        .testTarget(name: "TextPlotTests", dependencies: ["TextPlot"], resources: [.copy("Golden")]),
        .testTarget(name: "TerminalTests", dependencies: ["Terminal", "TextPlot"]),
        .testTarget(name: "CourseTests", dependencies: ["Course", "MLEngine", "TextPlot"]),
        .testTarget(name: "LabsTests", dependencies: ["Labs", "Course", "MLEngine", "CardioSim", "TextPlot"]),
        .testTarget(name: "AppTests", dependencies: ["App", "Course", "TextPlot", "Labs"]),
    ]
)
