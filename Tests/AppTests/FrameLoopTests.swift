import Terminal
import Testing
import TextPlot
@testable import App

/// A terminal stand-in: hands out scripted events frame by frame and keeps every frame shown.
final class ScriptedDevice: ScreenDevice {
    var size: (width: Int, height: Int)
    let renderCapabilities = RenderCapabilities.full
    /// Events to deliver before frame N is presented.
    var script: [Int: [InputEvent]]
    private(set) var presented: [Canvas] = []
    private(set) var invalidations = 0

    init(width: Int, height: Int, script: [Int: [InputEvent]]) {
        size = (width, height)
        self.script = script
    }

    func readEvent(timeoutMilliseconds: Int) -> InputEvent? {
        // Like a terminal's input queue: an event not read in its frame waits for a later one.
        guard let frame = script.keys.filter({ $0 <= presented.count && !(script[$0]?.isEmpty ?? true) }).min(),
              var pending = script[frame] else { return nil }
        let event = pending.removeFirst()
        script[frame] = pending
        if case .resize(let width, let height) = event { size = (width, height) }
        return event
    }

    func present(_ canvas: Canvas) { presented.append(canvas) }
    func invalidate() { invalidations += 1 }
}

@Suite("Frame loop")
struct FrameLoopTests {
    @Test("keys typed ahead are never lost, and each page turn is drawn before the next key")
    func typedAheadPageTurns() {
        let demo = DemoCourse()
        let device = ScriptedDevice(width: 120, height: 40, script: [1: [.key(.character("n")), .key(.character("n")), .key(.character("q"))]])
        FrameLoop(framesPerSecond: 30).run(CourseScreen(source: demo), on: device, maxFrames: 20)
        #expect(device.presented[0].text.contains("(page 1/3)"))
        #expect(device.presented[1].text.contains("(page 2/3)"))      // the first n, drawn on its own
        #expect(device.presented[2].text.contains("(page 3/3)"))      // the second n was kept, not dropped
        #expect(device.presented.count == 3)                           // and q after them ended the loop
    }

    @Test("a key is acted on in the frame it arrives, even while the lab trains")
    func keysWithinAFrame() {
        let demo = DemoCourse()
        _ = demo.execute(command: "set speed 20000")
        let device = ScriptedDevice(width: 120, height: 40, script: [
            1: [.key(.character(" "))],
            4: [.key(.character("?"))],
            6: [.key(.escape), .key(.character("n"))],
            8: [.resize(width: 70, height: 24)],
            10: [.key(.character("q"))],
        ])
        FrameLoop(framesPerSecond: 30).run(CourseScreen(source: demo), on: device, maxFrames: 100)

        #expect(device.presented.count == 10)                              // q ended the loop at frame 10
        #expect(device.presented[0].text.contains("PAUSED"))
        #expect(device.presented[1].text.contains("TRAINING"))            // space, same frame
        #expect(!device.presented[3].text.contains("Keys (any key closes)"))
        #expect(device.presented[4].text.contains("Keys (any key closes)"))  // ?, same frame
        #expect(device.presented[4].text.contains("TRAINING"))            // the lab kept training behind it
        #expect(!device.presented[6].text.contains("Keys (any key closes)"))
        #expect(device.presented[6].text.contains("(page 2/3)"))
        #expect(device.presented[8].width == 70 && device.presented[8].height == 24)
        #expect(device.invalidations == 1)
        #expect((demo.lab?.step ?? 0) > 0)                                // frames trained between keys
        #expect(demo.saveCount == 1)                                      // quitting saved progress
    }

    @Test("SIGINT (an interrupt event) saves and stops")
    func interrupt() {
        let demo = DemoCourse()
        let device = ScriptedDevice(width: 80, height: 24, script: [2: [.interrupt]])
        FrameLoop().run(CourseScreen(source: demo), on: device, maxFrames: 100)
        #expect(device.presented.count == 2)
        #expect(demo.saveCount == 1)
    }
}
