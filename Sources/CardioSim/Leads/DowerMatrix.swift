/// The twelve standard leads.
public enum Lead: Int, Sendable, CaseIterable, Codable {
    case i, ii, iii, aVR, aVL, aVF, v1, v2, v3, v4, v5, v6

    public var name: String {
        ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"][rawValue]
    }
}

/// The Dower transform (Dower et al. 1980; Edenbrandt and Pahlm 1988): each standard lead as a
/// weighted sum of the heart vector's X, Y, Z components (rows I, II, III, aVR, aVL, aVF, V1-V6).
public enum DowerMatrix {
    /// The published coefficients (columns X, Y, Z), rounded to three decimals.
    public static let rows: [[Double]] = [
        [0.632, -0.235, 0.059],   // I
        [0.235, 1.066, -0.132],   // II
        [-0.397, 1.301, -0.191],  // III
        [-0.434, -0.415, 0.037],  // aVR
        [0.515, -0.768, 0.125],   // aVL
        [-0.081, 1.184, -0.162],  // aVF
        [-0.515, 0.157, -0.917],  // V1
        [0.044, 0.164, -1.387],   // V2
        [0.882, 0.098, -1.277],   // V3
        [1.213, 0.127, -0.601],   // V4
        [1.125, 0.127, -0.086],   // V5
        [0.831, 0.076, 0.230],    // V6
    ]

    /// Projects a heart vector (x, y, z, each a signal) onto the twelve leads.
    ///
    /// I and II and the six chest leads use their Dower rows. The other limb leads are derived
    /// from I and II, because they are not independent measurements: Einthoven's law
    /// III = II - I and Goldberger's augmented leads aVR = -(I + II)/2, aVL = I - II/2,
    /// aVF = II - I/2. Projecting III, aVR, aVL, aVF with their own rounded rows would break those
    /// identities by about 1e-3; derived this way they hold to rounding of Float.
    public static func project(x: [Double], y: [Double], z: [Double]) -> [[Double]] {
        let n = x.count
        func lead(_ r: [Double]) -> [Double] { (0..<n).map { r[0] * x[$0] + r[1] * y[$0] + r[2] * z[$0] } }
        let leadI = lead(rows[0]), leadII = lead(rows[1])
        let iii = (0..<n).map { leadII[$0] - leadI[$0] }
        let avr = (0..<n).map { -(leadI[$0] + leadII[$0]) / 2 }
        let avl = (0..<n).map { leadI[$0] - leadII[$0] / 2 }
        let avf = (0..<n).map { leadII[$0] - leadI[$0] / 2 }
        return [leadI, leadII, iii, avr, avl, avf] + (6..<12).map { lead(rows[$0]) }
    }
}
