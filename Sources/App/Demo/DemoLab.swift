import Foundation

/// The demo's pretend experiment: synthetic numbers that move like training does, so every
/// widget has something alive to show. Nothing is learned here; it only exercises the screen.
struct DemoLab {
    /// A tunable knob, with how a notch moves it.
    struct Knob {
        let name: String
        var value: Double
        let range: ClosedRange<Double>
        let logarithmic: Bool
        let notch: Double   // additive step, or multiplicative factor when logarithmic
        let help: String
        let appliesLive: Bool

        mutating func move(by steps: Int) {
            let moved = logarithmic ? value * pow(notch, Double(steps)) : value + notch * Double(steps)
            value = min(range.upperBound, max(range.lowerBound, (moved * 1e6).rounded() / 1e6))
        }

        var text: String { DemoLab.format(value) }
        var rangeText: String {
            "\(DemoLab.format(range.lowerBound)) ... \(DemoLab.format(range.upperBound))" + (logarithmic ? " (log)" : "")
        }
    }

    var knobs: [Knob] = [
        Knob(name: "lr", value: 0.05, range: 0.001...3, logarithmic: true, notch: 1.5,
             help: "how fast the pretend loss falls; above 1 it diverges, like a real learning rate",
             appliesLive: true),
        Knob(name: "noise", value: 0.2, range: 0...1, logarithmic: false, notch: 0.05,
             help: "how noisy the loss curve and the scatter points are", appliesLive: true),
        Knob(name: "speed", value: 200, range: 1...20000, logarithmic: true, notch: 2,
             help: "steps per second the demo aims for (the status line shows what it reaches)",
             appliesLive: true),
        Knob(name: "points", value: 400, range: 50...2000, logarithmic: false, notch: 50,
             help: "how many scatter points; changes after a reset (r), like a data-set size",
             appliesLive: false),
    ]

    private(set) var step = 0
    private(set) var losses: [Double] = []
    private(set) var accuracies: [Double] = []
    private(set) var gradientNorms: [Double] = []
    private(set) var diverged: String?
    /// Scatter points and their true class (two interleaved moons).
    private(set) var points: [(x: Double, y: Double, label: Int)] = []
    private var random = DemoRandom(seed: 42)
    private var loss = 2.3

    init() { reset() }

    func knob(_ name: String) -> Double { knobs.first { $0.name == name }?.value ?? 0 }

    mutating func reset() {
        step = 0; losses = []; accuracies = []; gradientNorms = []; diverged = nil; loss = 2.3
        random = DemoRandom(seed: 42)
        let count = Int(knob("points"))
        points = (0..<count).map { index in
            let label = index % 2
            let angle = Double.random(in: 0 ... .pi, using: &random)
            let x = label == 0 ? cos(angle) : 1 - cos(angle)
            let y = label == 0 ? sin(angle) : 0.5 - sin(angle)
            return (x + 0.15 * random.gaussian(), y + 0.15 * random.gaussian(), label)
        }
    }

    /// One pretend training step: the loss falls towards a floor at a speed set by `lr`, with
    /// noise; too large an `lr` makes it blow up, as a real one would.
    mutating func advance() {
        guard diverged == nil else { return }
        let lr = knob("lr"), noise = knob("noise")
        step += 1
        if lr > 1 {
            loss *= 1 + (lr - 1) * 0.08
        } else {
            loss = 0.05 + (loss - 0.05) * (1 - 0.02 * lr)
        }
        let observed = max(1e-4, loss * (1 + noise * 0.5 * random.gaussian()))
        losses.append(observed)
        accuracies.append(min(1, max(0, 1 - loss / 2.4 + 0.02 * noise * random.gaussian())))
        gradientNorms.append(abs(loss * (1 + noise * random.gaussian())))
        if gradientNorms.count > 200 { gradientNorms.removeFirst(gradientNorms.count - 200) }
        if !loss.isFinite || loss > 1e6 {
            diverged = "loss exploded at step \(step) (lr \(DemoLab.format(lr)) > 1); lower lr and press r"
        }
    }

    /// How far training has come, 0...1 (drives the moving pictures).
    var progress: Double { min(1, max(0, 1 - (loss - 0.05) / 2.25)) }

    static func format(_ value: Double) -> String {
        if value == value.rounded() && abs(value) < 1e6 { return String(Int(value)) }
        if abs(value) >= 0.01 { return String(format: "%.3g", value) }
        return String(format: "%.2e", value)
    }
}
