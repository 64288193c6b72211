import Foundation
import MLEngine

/// The Windkessel models of the arterial tree (Frank 1899; Westerhof et al. 2009):
/// two-element  C dP/dt = Q(t) - P / R;
/// three-element  P = Pc + Zc Q(t),  C dPc/dt = Q(t) - Pc / R.
/// Inflow Q(t) is a half sine during systole (a fraction of the cycle) delivering the stroke volume.
public struct WindkesselConfig: Codable, Sendable, Equatable {
    /// 2 or 3 elements.
    public var elements: Int
    /// Peripheral resistance, mmHg s / mL.
    public var resistance: Double
    /// Compliance, mL / mmHg.
    public var compliance: Double
    /// Characteristic impedance of the aorta (three-element only), mmHg s / mL.
    public var characteristicImpedance: Double
    public var heartRate: Double
    /// mL per beat.
    public var strokeVolume: Double
    /// Fraction of the cycle spent ejecting.
    public var systolicFraction: Double
    /// Beats in the returned curve (after the model has reached its periodic steady state).
    public var beats: Int
    /// Samples per second of the exact curve.
    public var samplingRate: Double
    /// Noisy measurements for the physics-informed lesson.
    public var measurementCount: Int
    /// mmHg.
    public var measurementNoise: Double
    /// Seconds from the start of the recording within which the measurements are taken (nil:
    /// anywhere). The physics-informed lesson measures early and asks the net for the rest.
    public var measurementWindow: ClosedRange<Double>?

    public init(elements: Int = 2, resistance: Double = 1.0, compliance: Double = 1.5,
                characteristicImpedance: Double = 0.05, heartRate: Double = 75, strokeVolume: Double = 70,
                systolicFraction: Double = 0.4, beats: Int = 2, samplingRate: Double = 250,
                measurementCount: Int = 12, measurementNoise: Double = 2,
                measurementWindow: ClosedRange<Double>? = nil) {
        self.elements = elements
        self.resistance = resistance
        self.compliance = compliance
        self.characteristicImpedance = characteristicImpedance
        self.heartRate = heartRate
        self.strokeVolume = strokeVolume
        self.systolicFraction = systolicFraction
        self.beats = beats
        self.samplingRate = samplingRate
        self.measurementCount = measurementCount
        self.measurementNoise = measurementNoise
        self.measurementWindow = measurementWindow
    }

    /// Length of the recorded curve, s.
    public var duration: Double { Double(beats) * period }

    public var period: Double { 60 / heartRate }
    /// Time constant of the diastolic decay, s.
    public var timeConstant: Double { resistance * compliance }

    /// Aortic inflow at time t, mL/s.
    public func inflow(_ t: Double) -> Double {
        let ejection = systolicFraction * period
        let phase = t - (t / period).rounded(.down) * period
        guard phase < ejection else { return 0 }
        // The half sine's integral over the ejection is peak * 2 ejection / pi = stroke volume.
        let peak = strokeVolume * Double.pi / (2 * ejection)
        return peak * Foundation.sin(Double.pi * phase / ejection)
    }

    public func validate() throws {
        guard elements == 2 || elements == 3 else { throw CardioSimError.invalidParameter("elements must be 2 or 3, got \(elements)") }
        guard resistance > 0, compliance > 0, characteristicImpedance >= 0, strokeVolume > 0 else {
            throw CardioSimError.invalidParameter("resistance, compliance and strokeVolume must be > 0")
        }
        guard heartRate >= 20, heartRate <= 250, systolicFraction > 0, systolicFraction < 1 else {
            throw CardioSimError.invalidParameter("heartRate must be 20...250 and systolicFraction in (0, 1)")
        }
        guard beats > 0, samplingRate > 0, measurementCount >= 0, measurementNoise >= 0 else {
            throw CardioSimError.invalidParameter("beats, samplingRate must be > 0; measurements >= 0")
        }
        if let window = measurementWindow {
            guard window.lowerBound >= 0, window.upperBound <= duration, window.upperBound - window.lowerBound >= 1 / samplingRate else {
                throw CardioSimError.invalidParameter("measurementWindow must lie within the recording, 0...\(duration) s, and hold at least one sample; got \(window)")
            }
        }
    }
}

/// A simulated pressure curve and sparse noisy measurements of it.
public struct WindkesselCurve: Sendable, Equatable {
    /// Seconds from the start of a beat.
    public var times: [Double]
    /// Arterial pressure, mmHg.
    public var pressure: [Double]
    /// Inflow, mL/s.
    public var inflow: [Double]
    public var measurementTimes: [Double]
    public var measurements: [Double]

    /// Integrates with RK4 at 0.1 ms steps from P = R * mean flow for `warmUpBeats`, by then in
    /// its periodic steady state (the transient decays as exp(-t / RC)), then records.
    public static func simulate(_ config: WindkesselConfig, seed: UInt64, warmUpBeats: Int = 30) throws -> WindkesselCurve {
        try config.validate()
        let h = 1e-4
        let r = config.resistance, c = config.compliance
        func derivative(_ p: Double, _ t: Double) -> Double { (config.inflow(t) - p / r) / c }
        let stepsPerSample = Swift.max(1, Int((1 / (config.samplingRate * h)).rounded()))
        let sampleStep = Double(stepsPerSample) * h
        let samplesPerBeat = Int((config.period / sampleStep).rounded())
        var pc = r * config.strokeVolume / config.period
        var t = 0.0
        var times: [Double] = [], pressure: [Double] = [], inflow: [Double] = []
        let warmSamples = warmUpBeats * samplesPerBeat
        let total = warmSamples + config.beats * samplesPerBeat
        var stepIndex = 0
        for sample in 0...total {
            if sample >= warmSamples {
                // Three elements: the characteristic impedance adds Zc Q on top of the capacitor.
                let q = config.inflow(t)
                let p = config.elements == 3 ? pc + config.characteristicImpedance * q : pc
                times.append(Double(sample - warmSamples) * sampleStep)
                pressure.append(p)
                inflow.append(q)
            }
            if sample == total { break }
            for _ in 0..<stepsPerSample {
                // Time is kept as an integer count of steps, so it does not drift.
                t = Double(stepIndex) * h
                let k1 = derivative(pc, t)
                let k2 = derivative(pc + h / 2 * k1, t + h / 2)
                let k3 = derivative(pc + h / 2 * k2, t + h / 2)
                let k4 = derivative(pc + h * k3, t + h)
                pc += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
                stepIndex += 1
            }
            t = Double(stepIndex) * h
        }
        var rng = SeededGenerator(seed: seed)
        // Measurements are drawn from the samples inside the window only (all of them without one).
        let eligible = config.measurementWindow.map { window in times.indices.filter { window.contains(times[$0]) } } ?? Array(times.indices)
        let picks = rng.permutation(eligible.count).prefix(Swift.min(config.measurementCount, eligible.count)).map { eligible[$0] }.sorted()
        return WindkesselCurve(times: times, pressure: pressure, inflow: inflow,
                               measurementTimes: picks.map { times[$0] },
                               measurements: picks.map { pressure[$0] + rng.normal(mean: 0, std: config.measurementNoise) })
    }
}
