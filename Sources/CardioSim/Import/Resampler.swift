import Foundation

/// Changes a signal's sampling rate (360 Hz to the course's 250 Hz, say) without aliasing.
///
/// A sampled signal can only hold frequencies below half its rate (the Nyquist frequency). Going
/// down to 250 Hz, anything between 125 Hz and the old Nyquist would fold back and pretend to be
/// a lower frequency, so it has to be removed first: that is the anti-aliasing filter. Here the
/// filter and the interpolation are one step: every output sample is a weighted sum of the input
/// samples around its time, with weights from a low-pass kernel (a sinc, the ideal low-pass
/// filter, tapered by a Blackman window so it can be cut short). The cutoff sits at 40% of the
/// lower of the two rates, so the kernel has fallen to its stopband (more than 40 dB down) by the
/// Nyquist frequency and leaves the ECG's content (almost all below 40 Hz) untouched.
public struct Resampler: Sendable {
    public let inputRate: Double
    public let outputRate: Double
    /// Cutoff of the low-pass, Hz.
    public let cutoff: Double
    /// The kernel reaches this many seconds either side of an output sample's time.
    public let halfWidth: Double
    /// The windowed sinc tabulated finely over [0, halfWidth] (it is symmetric): evaluating
    /// sin and cos per tap would be most of the work.
    private let table: [Double]
    private static let tablePoints = 4096

    public init(from inputRate: Double, to outputRate: Double) {
        self.inputRate = inputRate
        self.outputRate = outputRate
        let lower = min(inputRate, outputRate)
        cutoff = 0.4 * lower
        // A Blackman-windowed sinc's transition band is about 5.5 / (kernel length) Hz wide;
        // 66 / lower seconds puts the whole transition between 0.4 and 0.5 of the lower rate.
        halfWidth = 33 / lower
        let (fc, w) = (0.4 * lower, 33 / lower)
        table = (0...Self.tablePoints).map { i in
            let t = w * Double(i) / Double(Self.tablePoints)
            let x = 2 * fc * t
            let sinc = x == 0 ? 1 : sin(Double.pi * x) / (Double.pi * x)
            // Blackman window over [-w, w], evaluated at t.
            let phase = Double.pi * (t / w + 1)
            let window = 0.42 - 0.5 * cos(phase) + 0.08 * cos(2 * phase)
            return sinc * window
        }
    }

    /// Output samples covering the same time span as `input` (time 0 at the first sample).
    /// Each output is normalised by the sum of its weights, so a constant stays exactly
    /// constant and the ends of the recording are not pulled towards zero.
    public func resample(_ input: [Double]) -> [Double] {
        guard !input.isEmpty else { return [] }
        if inputRate == outputRate { return input }
        let count = Int((Double(input.count) * outputRate / inputRate).rounded(.down))
        let reach = Int((halfWidth * inputRate).rounded(.up))
        let perSample = Double(Self.tablePoints) / (halfWidth * inputRate)
        var output = [Double](repeating: 0, count: count)
        input.withUnsafeBufferPointer { x in
            table.withUnsafeBufferPointer { kernel in
                output.withUnsafeMutableBufferPointer { y in
                    let last = x.count - 1
                    for k in 0..<count {
                        // Position of output sample k in input samples.
                        let position = Double(k) * inputRate / outputRate
                        let centre = Int(position.rounded(.down))
                        var sum = 0.0, weights = 0.0
                        for n in max(0, centre - reach)...min(last, centre + reach) {
                            let distance = abs(Double(n) - position) * perSample
                            let cell = Int(distance)
                            guard cell < Self.tablePoints else { continue }
                            let fraction = distance - Double(cell)
                            let weight = kernel[cell] + (kernel[cell + 1] - kernel[cell]) * fraction
                            sum += weight * x[n]
                            weights += weight
                        }
                        y[k] = weights != 0 ? sum / weights : 0
                    }
                }
            }
        }
        return output
    }
}
