/// How fast a lab trains on screen, and how fast it really went.
///
/// Many labs take a step in microseconds: unpaced, a whole run would be over before the learner
/// sees the first frame. The pace owes `limit` steps a second (capped to a tenth of a second's
/// worth, so a long pause never becomes a burst) and the frame's deadline still has the last
/// word for slow labs. The measured rate is what the status line shows.
struct TrainingPace {
    /// Steps a second at most; nil trains as fast as the frame budget allows.
    var limit: Double?
    private var allowance = 0.0
    private var last: ContinuousClock.Instant?
    /// Smoothed steps per second actually taken.
    private(set) var measured = 0.0

    init(limit: Double?) { self.limit = limit }

    /// Forget timing (training started or stopped), so the next frame starts fresh.
    mutating func restart() {
        allowance = 0
        last = nil
        measured = 0
    }

    /// How many steps this frame may take, given the time since the last frame.
    mutating func budget(now: ContinuousClock.Instant) -> (steps: Int, elapsed: Double) {
        let elapsed = last.map { Double($0.duration(to: now) / .microseconds(1)) / 1e6 } ?? (1.0 / 30)
        last = now
        guard let limit else { return (Int.max, elapsed) }
        allowance = min(allowance + limit * elapsed, limit / 10 + 1)
        return (Int(allowance), elapsed)
    }

    /// Books the steps taken this frame.
    mutating func record(taken: Int, elapsed: Double) {
        allowance = max(0, allowance - Double(taken))
        guard elapsed > 0 else { return }
        let rate = Double(taken) / elapsed
        measured = measured == 0 ? rate : 0.85 * measured + 0.15 * rate
    }
}
