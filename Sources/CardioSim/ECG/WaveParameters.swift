import Foundation

/// What a sample of an ECG belongs to: the label a segmentation network learns to predict.
public enum WaveLabel: Int, Sendable, CaseIterable, Codable {
    case background = 0
    case p = 1
    case qrs = 2
    case t = 3

    /// The short name used in CSV files and panels.
    public var name: String {
        switch self {
        case .background: return "background"
        case .p: return "P"
        case .qrs: return "QRS"
        case .t: return "T"
        }
    }
}

/// How a wave's angle stretches with heart rate in McSharry et al. (2003):
/// theta_i is multiplied by f^exponent with f = sqrt(HR / 60).
public enum AngleScaling: Double, Sendable, Codable {
    /// Angle unchanged (the R wave defines theta = 0).
    case none = 0
    /// theta_i * sqrt(f) (P and T waves).
    case squareRoot = 0.5
    /// theta_i * f (Q and S waves).
    case linear = 1
}

/// One Gaussian event of the McSharry model: it adds
/// `-amplitude * dtheta * exp(-dtheta^2 / (2 width^2))` to dz/dt, with dtheta = theta - angle.
///
/// `label` says which wave of the ECG the event belongs to; events labelled `.background`
/// (such as the current of injury that lifts an ST segment) shape the signal but are not a wave.
public struct Wave: Sendable, Equatable {
    public var label: WaveLabel
    /// Position on the limit cycle, radians relative to the R peak (theta_i).
    public var angle: Double
    /// Strength a_i (model units; the R wave of the paper has 30).
    public var amplitude: Double
    /// Gaussian width b_i, radians.
    public var width: Double
    /// How `angle` scales with heart rate.
    public var angleScaling: AngleScaling

    public init(label: WaveLabel, angleDegrees: Double, amplitude: Double, width: Double,
                angleScaling: AngleScaling) {
        self.label = label
        self.angle = angleDegrees * Double.pi / 180
        self.amplitude = amplitude
        self.width = width
        self.angleScaling = angleScaling
    }

    /// The wave at the heart rate whose RR interval is `rr` seconds: with f = sqrt(HR/60),
    /// b_i *= f and theta_i *= f^k (k from `angleScaling`), as in McSharry et al. (2003).
    public func scaled(rr: Double) -> Wave {
        let f = (1.0 / rr).squareRoot()          // sqrt(HR / 60) with HR = 60 / rr
        var w = self
        w.width = width * f
        w.angle = angle * Foundation.pow(f, angleScaling.rawValue)
        return w
    }
}

/// Wave sets for one beat.
public enum WaveSets {
    /// The parameters printed in McSharry et al. (2003), Table 1, at 60 bpm.
    public static let mcSharry2003: [Wave] = [
        Wave(label: .p, angleDegrees: -70, amplitude: 1.2, width: 0.25, angleScaling: .squareRoot),
        Wave(label: .qrs, angleDegrees: -15, amplitude: -5, width: 0.1, angleScaling: .linear),
        Wave(label: .qrs, angleDegrees: 0, amplitude: 30, width: 0.1, angleScaling: .none),
        Wave(label: .qrs, angleDegrees: 15, amplitude: -7.5, width: 0.1, angleScaling: .linear),
        Wave(label: .t, angleDegrees: 100, amplitude: 0.75, width: 0.4, angleScaling: .squareRoot),
    ]

    /// The paper's parameters tuned so that the labelled durations fall in the normal ranges
    /// (P < 110 ms, PR 120-200 ms, QRS 70-110 ms, QT about 390 ms at 60 bpm; see WaveLabels.swift):
    /// a narrower P (b 0.2), Q and S closer to R (+-10 degrees) and narrower (b 0.075) but deeper
    /// so that they still show, and a slightly narrower, taller T (b 0.29, a 1.0).
    public static let normalSinus: [Wave] = [
        Wave(label: .p, angleDegrees: -70, amplitude: 1.2, width: 0.2, angleScaling: .squareRoot),
        Wave(label: .qrs, angleDegrees: -10, amplitude: -11, width: 0.075, angleScaling: .linear),
        Wave(label: .qrs, angleDegrees: 0, amplitude: 30, width: 0.1, angleScaling: .none),
        Wave(label: .qrs, angleDegrees: 10, amplitude: -20, width: 0.075, angleScaling: .linear),
        Wave(label: .t, angleDegrees: 100, amplitude: 1.0, width: 0.29, angleScaling: .squareRoot),
    ]
}
