/// Exponential moving average with bias correction, as TensorBoard and Adam use it: the
/// average starts at 0, so early values are divided by (1 - beta^t) to undo the pull towards 0.
///
/// Non-finite values are passed through as they are and do not enter the average.
public func exponentialMovingAverage(_ values: [Double], beta: Double) -> [Double] {
    let beta = min(max(beta, 0), 0.9999)
    var average = 0.0
    var weight = 1.0  // beta^t
    var result = [Double]()
    result.reserveCapacity(values.count)
    for value in values {
        guard value.isFinite else { result.append(value); continue }
        average = beta * average + (1 - beta) * value
        weight *= beta
        result.append(average / (1 - weight))
    }
    return result
}
