import Foundation

/// One beat placed in time: the time of its R peak, the RR interval that sets its speed on the
/// limit cycle (omega = 2 pi / RR) and its waves, already scaled to that heart rate.
public struct ScheduledBeat: Sendable, Equatable {
    /// Time of the R peak (theta = 0), seconds.
    public var rTime: Double
    /// The RR interval that sets omega and the heart-rate scaling of the waves, seconds.
    public var rr: Double
    /// The beat's waves at its heart rate.
    public var waves: [Wave]

    /// - Parameter waves: waves as given at 60 bpm; they are scaled to `rr` here.
    public init(rTime: Double, rr: Double, waves: [Wave]) {
        self.rTime = rTime
        self.rr = rr
        self.waves = waves.map { $0.scaled(rr: rr) }
    }

    public var omega: Double { 2 * Double.pi / rr }
}

/// A stretch of simulated ECG: millivolts and a label per sample.
public struct ECGTrace: Sendable, Equatable {
    public var samplingRate: Double
    /// Time of sample 0, seconds.
    public var startTime: Double
    /// Signal in millivolts.
    public var millivolts: [Double]
    /// Which wave each sample belongs to.
    public var labels: [WaveLabel]
}

/// The dynamical ECG model of McSharry, Clifford, Tarassenko and Smith (2003).
///
/// The paper's state (x, y, z) circles an attracting limit cycle of radius 1, so once on it
/// x = cos(theta), y = sin(theta) and theta advances at omega = 2 pi / RR. We therefore carry the
/// phase of each beat explicitly (theta_k(t) = omega_k (t - R_k), each beat at its own RR, as the
/// tachogram asks) and integrate the equation that carries the ECG,
///
///     dz/dt = - sum_k sum_i a_i dtheta_ki exp(-dtheta_ki^2 / (2 b_i^2)) - (z - z0(t)),
///
/// with classical fourth-order Runge-Kutta at a fixed step, so the result depends only on the
/// inputs. With a constant RR this is exactly the paper's model. z0(t), a slow respiratory
/// sinusoid, is the baseline the signal is pulled toward (baseline wander).
public struct ECGModel: Sendable, Equatable {
    /// Samples per second of the output.
    public var samplingRate: Double
    /// RK4 steps per output sample.
    public var substeps: Int
    /// Scale from the model's z to millivolts: the standard R wave (a = 30, b = 0.1) at any heart
    /// rate peaks at about 30 * 0.1^2 / (2 pi) = 0.048 model units, which this maps to 1.2 mV.
    public var millivoltsPerUnit: Double
    /// Seconds simulated before `start` so the state has settled.
    public var warmUp: Double

    public init(samplingRate: Double = 250, substeps: Int = 2, millivoltsPerUnit: Double = 25.0,
                warmUp: Double = 0.6) {
        self.samplingRate = samplingRate
        self.substeps = substeps
        self.millivoltsPerUnit = millivoltsPerUnit
        self.warmUp = warmUp
    }

    /// Baseline wander: z0(t) = amplitude sin(2 pi frequency t + phase), amplitude in mV.
    public struct Wander: Sendable, Equatable {
        public var amplitude: Double
        public var frequency: Double
        public var phase: Double
        public init(amplitude: Double, frequency: Double = 0.25, phase: Double = 0) {
            self.amplitude = amplitude
            self.frequency = frequency
            self.phase = phase
        }
        public static let none = Wander(amplitude: 0)
    }

    /// Gaussians are cut off this many widths from their centre (exp(-18) is far below Float).
    static let cutoff = 6.0

    /// Simulates `count` samples starting at time `start`.
    public func synthesize(beats: [ScheduledBeat], start: Double, count: Int,
                           wander: Wander = .none) -> ECGTrace {
        let h = 1.0 / (samplingRate * Double(substeps))
        // Start early enough that no wave is cut in half at the start of the integration:
        // a wave entered midway would leave z off its baseline.
        var begin = start - warmUp
        for beat in beats {
            for wave in beat.waves where wave.amplitude != 0 {
                let centre = beat.rTime + wave.angle / beat.omega
                let reach = Self.cutoff * wave.width / beat.omega
                if centre - reach < begin && begin < centre + reach { begin = centre - reach }
            }
        }
        let warmSteps = Int(((start - begin) / h).rounded(.up))
        let steps = warmSteps + count * substeps
        let t0 = start - Double(warmSteps) * h
        // The forcing does not depend on z, so it is tabulated once on the half-step grid
        // (RK4 needs it at t, t + h/2 and t + h): grid point g is time t0 + g h / 2.
        let gridCount = 2 * steps + 1
        var forcing = [Double](repeating: 0, count: gridCount)
        let halfStep = h / 2
        forcing.withUnsafeMutableBufferPointer { grid in
            for beat in beats {
                let omega = beat.omega
                for wave in beat.waves where wave.amplitude != 0 {
                    let centre = beat.rTime + wave.angle / omega
                    let sigma = wave.width / omega
                    let lo = Swift.max(0, Int(((centre - Self.cutoff * sigma - t0) / halfStep).rounded(.down)))
                    let hi = Swift.min(gridCount - 1, Int(((centre + Self.cutoff * sigma - t0) / halfStep).rounded(.up)))
                    guard lo <= hi else { continue }
                    let coefficient = -wave.amplitude * omega
                    let inverseTwoSigma2 = 1 / (2 * sigma * sigma)
                    for g in lo...hi {
                        let d = t0 + Double(g) * halfStep - centre
                        grid[g] += coefficient * d * Foundation.exp(-d * d * inverseTwoSigma2)
                    }
                }
            }
            if wander.amplitude != 0 {
                // The sinusoid by rotating a phasor one grid step at a time (two multiplications
                // a point instead of a sine; over a few thousand points the drift is ~1e-13).
                let z0 = wander.amplitude / millivoltsPerUnit
                let startAngle = 2 * Double.pi * wander.frequency * t0 + wander.phase
                let stepAngle = 2 * Double.pi * wander.frequency * halfStep
                var (c, s) = (Foundation.cos(startAngle), Foundation.sin(startAngle))
                let (dc, ds) = (Foundation.cos(stepAngle), Foundation.sin(stepAngle))
                for g in 0..<gridCount {
                    grid[g] += z0 * s
                    (c, s) = (c * dc - s * ds, s * dc + c * ds)
                }
            }
        }
        // dz/dt = forcing(t) - z, one RK4 step per h.
        var output = [Double](repeating: 0, count: count)
        // Start on the baseline the model is pulled toward.
        var z = wander.amplitude / millivoltsPerUnit * Foundation.sin(2 * Double.pi * wander.frequency * t0 + wander.phase)
        forcing.withUnsafeBufferPointer { grid in
            var outIndex = 0
            for step in 0..<steps {
                let g = 2 * step
                let k1 = grid[g] - z
                let k2 = grid[g + 1] - (z + halfStep * k1)
                let k3 = grid[g + 1] - (z + halfStep * k2)
                let k4 = grid[g + 2] - (z + h * k3)
                // Sample i is the state at t0 + (warmSteps + i * substeps) h: record before stepping.
                if step >= warmSteps && (step - warmSteps) % substeps == 0 {
                    output[outIndex] = z * millivoltsPerUnit
                    outIndex += 1
                }
                z += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
            }
        }
        let labels = WaveLabeller.labels(beats: beats, start: start, count: count, samplingRate: samplingRate)
        return ECGTrace(samplingRate: samplingRate, startTime: start, millivolts: output, labels: labels)
    }
}
