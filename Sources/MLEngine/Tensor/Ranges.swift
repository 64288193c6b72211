extension Tensor {
    /// `count` evenly spaced values from `start` to `end`, both included (a grid of x values).
    public static func linspace(from start: Float, to end: Float, count: Int) -> Tensor {
        precondition(count >= 1, "linspace needs at least one point")
        if count == 1 { return Tensor([start]) }
        let step = (Double(end) - Double(start)) / Double(count - 1)
        return Tensor((0..<count).map { Float(Double(start) + Double($0) * step) })
    }

    /// 0, 1, ..., count - 1 as Floats.
    public static func arange(_ count: Int) -> Tensor {
        precondition(count >= 0, "arange needs a non-negative count")
        return Tensor((0..<count).map(Float.init))
    }
}
