#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CNcursesw
import Synchronization

/// The signal number of a pending SIGINT/SIGTERM/SIGHUP/SIGQUIT, or 0. An atomic store is all a handler does,
/// which is async-signal-safe; the frame loop reads it each frame and leaves cleanly.
private let pendingInterrupt = Atomic<Int32>(0)
/// Set once a fatal signal is being handled, so a crash inside the save hook does not loop.
private let handlingFatal = Atomic<Bool>(false)
/// The best-effort save the app registered. Written once before handlers are installed, read only
/// from the fatal handler.
nonisolated(unsafe) private var fatalHook: (() -> Void)?

/// Keeps the terminal usable whatever happens: SIGINT, SIGTERM, SIGHUP (a dropped SSH
/// connection, which used to exit 129 with nothing saved and the terminal raw) and SIGQUIT
/// (Ctrl-\, which the runtime reported as a crash over the screen while training went on)
/// become an `.interrupt` event: save and leave;
/// a crash (SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGFPE) restores the terminal, runs the app's
/// best-effort save, and then dies by the same signal so the exit status stays honest.
public enum SignalGuard {
    static let interruptSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]
    static let fatalSignals: [Int32] = [SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGFPE]

    /// Installs the handlers. `onFatal` runs inside a signal handler after the terminal is
    /// restored: it should do as little as possible (write one file, no locks it might hold).
    public static func install(onFatal: (() -> Void)?) {
        fatalHook = onFatal
        for signal in interruptSignals { installHandler(signal) { pendingInterrupt.store($0, ordering: .relaxed) } }
        for signal in fatalSignals {
            installHandler(signal) { number in
                // Default first: a second fault anywhere below ends the process at once.
                Glibc.signal(number, SIG_DFL)
                if !handlingFatal.exchange(true, ordering: .relaxed) {
                    endwin()
                    fatalHook?()
                }
                raise(number)
            }
        }
    }

    /// Puts the default handlers back (after the screen is closed normally).
    public static func uninstall() {
        for signal in interruptSignals + fatalSignals { Glibc.signal(signal, SIG_DFL) }
        fatalHook = nil
    }

    /// The pending SIGINT/SIGTERM/SIGHUP/SIGQUIT, if one arrived since the last call.
    public static func takeInterrupt() -> Int32? {
        let number = pendingInterrupt.exchange(0, ordering: .relaxed)
        return number == 0 ? nil : number
    }

    private static func installHandler(_ signal: Int32, _ handler: @convention(c) (Int32) -> Void) {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = handler
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(signal, &action, nil)
    }
}
