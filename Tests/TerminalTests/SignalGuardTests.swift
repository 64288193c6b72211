#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import Terminal

@Suite("Signal guard", .serialized)   // one process-wide handler table and pending signal
struct SignalGuardTests {
    /// Sends `signal` to the whole process (test worker threads block signals, so `raise` would
    /// leave it pending on this thread) and waits up to a second for the guard to record it.
    func send(_ signal: Int32) -> Int32? {
        kill(getpid(), signal)
        for _ in 0..<1000 {
            if let taken = SignalGuard.takeInterrupt() { return taken }
            usleep(1000)
        }
        return nil
    }

    @Test("SIGINT and SIGTERM become a pending interrupt the frame loop takes once")
    func interruptsAreQueued() {
        SignalGuard.install(onFatal: nil)
        defer { SignalGuard.uninstall() }
        #expect(SignalGuard.takeInterrupt() == nil)
        #expect(send(SIGINT) == SIGINT)                 // without the guard this would end the test run
        #expect(SignalGuard.takeInterrupt() == nil)     // taken once
        #expect(send(SIGTERM) == SIGTERM)
    }

    @Test("SIGHUP (a dropped connection) and SIGQUIT are treated like SIGTERM: save and leave")
    func hangupAndQuitAreInterrupts() {
        SignalGuard.install(onFatal: nil)
        defer { SignalGuard.uninstall() }
        #expect(send(SIGHUP) == SIGHUP)                 // without the guard: exit 129, nothing saved
        #expect(send(SIGQUIT) == SIGQUIT)               // without it: "Program crashed" and a core
        #expect(SignalGuard.takeInterrupt() == nil)
    }
}
