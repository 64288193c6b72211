import Foundation
import MLEngine

/// A region of the heart whose injury lifts the ST segment in the leads that face it.
public enum InjuryRegion: String, Sendable, CaseIterable, Codable {
    case none
    /// Leads II, III, aVF (with reciprocal depression in aVL).
    case inferior
    /// Leads V1-V4.
    case anterior
    /// Leads I, aVL, V5, V6.
    case lateral

    /// Direction of the current of injury in (X, Y, Z): it points toward the injured wall.
    public var direction: [Double] {
        switch self {
        case .none: return [0, 0, 0]
        case .inferior: return [0.0, 1.0, 0.1]
        case .anterior: return [0.25, 0.0, -1.0]
        case .lateral: return [1.0, -0.45, 0.2]
        }
    }
}

/// The heart vector as three McSharry models, one per axis (X left, Y down, Z back, the Frank
/// convention the Dower matrix uses), as in the three-dimensional extension of the model by
/// Sameni et al. (2007). The per-axis parameters are illustrative, chosen so the projected leads
/// have textbook shapes (axis about +50 degrees, R progression V1 -> V6, transition near V3).
public enum HeartVector {
    static func wave(_ label: WaveLabel, _ degrees: Double, _ a: Double, _ b: Double, _ s: AngleScaling) -> Wave {
        Wave(label: label, angleDegrees: degrees, amplitude: a, width: b, angleScaling: s)
    }

    /// Waves of X, Y, Z at 60 bpm.
    public static let axes: [[Wave]] = [
        [wave(.p, -70, 0.8, 0.2, .squareRoot), wave(.qrs, -10, -6, 0.08, .linear), wave(.qrs, 0, 28, 0.1, .none),
         wave(.qrs, 10, -6, 0.08, .linear), wave(.t, 100, 0.9, 0.29, .squareRoot)],
        [wave(.p, -70, 1.0, 0.2, .squareRoot), wave(.qrs, -10, -2, 0.08, .linear), wave(.qrs, 0, 22, 0.1, .none),
         wave(.qrs, 10, -10, 0.08, .linear), wave(.t, 100, 0.55, 0.29, .squareRoot)],
        [wave(.p, -70, 0.2, 0.2, .squareRoot), wave(.qrs, -10, -12, 0.08, .linear), wave(.qrs, 0, 15, 0.1, .none),
         wave(.qrs, 10, -4, 0.08, .linear), wave(.t, 100, -0.4, 0.29, .squareRoot)],
    ]

    /// The axes' waves with an injury current toward `region` (strength 1 lifts the facing
    /// leads' J point by roughly 0.2 mV).
    public static func axes(injury region: InjuryRegion, strength: Double = 1) -> [[Wave]] {
        guard region != .none else { return axes }
        let d = region.direction
        let norm = (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).squareRoot()
        return (0..<3).map { axis in
            axes[axis] + [wave(.background, 50, 1.1 * strength * d[axis] / norm, 0.4, .squareRoot)]
        }
    }
}
