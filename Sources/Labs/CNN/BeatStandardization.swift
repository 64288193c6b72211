import MLEngine

/// Each beat centred on its own mean and divided by its own standard deviation, as `cnn-ecg`
/// reads it.
///
/// A beat's baseline (wander moves it up and down) and its overall size (electrode contact,
/// the patient) say nothing about its class. A small filter sees only a few samples at a time and
/// cannot tell a raised baseline from a raised ST segment on its own; taking both away per beat
/// lets the filters learn shapes. Every beat gets the same treatment, training and test, shifted
/// or not, so nothing about the test set leaks into training.
enum BeatStandardization {
    /// Rows of `beats` [N, window], each to mean 0 and standard deviation 1 (a flat row to 0).
    static func rows(_ beats: Tensor) -> Tensor {
        let (count, window) = (beats.shape[0], beats.shape[1])
        var scalars = [Float](repeating: 0, count: count * window)
        beats.withUnsafeScalars { source in
            scalars.withUnsafeMutableBufferPointer { out in
                for row in 0..<count {
                    let x = source.baseAddress! + row * window, y = out.baseAddress! + row * window
                    var sum = 0.0
                    for j in 0..<window { sum += Double(x[j]) }
                    let mean = sum / Double(window)
                    var squares = 0.0
                    for j in 0..<window { squares += (Double(x[j]) - mean) * (Double(x[j]) - mean) }
                    let deviation = (squares / Double(window)).squareRoot()
                    let scale = deviation > 1e-6 ? 1 / deviation : 0
                    for j in 0..<window { y[j] = Float((Double(x[j]) - mean) * scale) }
                }
            }
        }
        return Tensor(shape: [count, window], scalars: scalars)
    }
}
