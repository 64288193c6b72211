import Foundation

/// The five beat types of the classification labs, each a change of the model's waves that a
/// cardiologist would recognise.
public enum BeatClass: String, Sendable, CaseIterable, Codable {
    /// Normal sinus beat: P, narrow QRS, upright T.
    case normal
    /// Premature ventricular contraction: early, no P wave, wide QRS (>= 120 ms), T opposite to
    /// the QRS, followed by a compensatory pause.
    case pvc
    /// Atrial-fibrillation-like: irregular RR, no P waves, a small 4-10 Hz fibrillatory baseline.
    case afib
    /// Bundle-branch-block-like: wide (>= 120 ms), notched QRS (RSR'), discordant T.
    case bbb
    /// ST elevation: the ST segment lifted >= 0.1 mV at the J point.
    case ste

    /// A readable name for panels and the README.
    public var displayName: String {
        switch self {
        case .normal: return "normal sinus"
        case .pvc: return "premature ventricular"
        case .afib: return "atrial fibrillation"
        case .bbb: return "bundle branch block"
        case .ste: return "ST elevation"
        }
    }

    /// The class's waves at 60 bpm (McSharry parameters, see WaveParameters.swift).
    public var waves: [Wave] {
        let normal = WaveSets.normalSinus
        switch self {
        case .normal:
            return normal
        case .pvc:
            // Ventricular origin: no P; one broad R (b 0.2) and a broad S; a T opposite to it.
            return [
                Wave(label: .qrs, angleDegrees: 0, amplitude: 11, width: 0.2, angleScaling: .none),
                Wave(label: .qrs, angleDegrees: 25, amplitude: -6, width: 0.2, angleScaling: .linear),
                Wave(label: .t, angleDegrees: 110, amplitude: -1.2, width: 0.35, angleScaling: .squareRoot),
            ]
        case .afib:
            // The atria do not contract: no P wave (the fibrillatory waves are added separately).
            return Array(normal.dropFirst())
        case .bbb:
            // Delayed conduction in one bundle: two R peaks (R and R') with a notch between,
            // spread over more than 120 ms, and a T wave discordant to the terminal QRS.
            return [
                normal[0],
                Wave(label: .qrs, angleDegrees: -12, amplitude: 25, width: 0.09, angleScaling: .linear),
                Wave(label: .qrs, angleDegrees: 9, amplitude: -16, width: 0.07, angleScaling: .linear),
                Wave(label: .qrs, angleDegrees: 30, amplitude: 22, width: 0.1, angleScaling: .linear),
                Wave(label: .t, angleDegrees: 110, amplitude: -0.9, width: 0.3, angleScaling: .squareRoot),
            ]
        case .ste:
            // A current of injury: a broad positive event right after the QRS lifts the ST
            // segment (it is not a wave, so it is labelled background), and a taller T.
            var waves = normal
            waves[4].amplitude = 1.2
            waves.append(Wave(label: .background, angleDegrees: 50, amplitude: 1.05, width: 0.4, angleScaling: .squareRoot))
            return waves
        }
    }

    /// Whether the class's rhythm is regular sinus (P waves, tachogram RR).
    var isSinusFamily: Bool { self == .normal || self == .bbb || self == .ste }
}
