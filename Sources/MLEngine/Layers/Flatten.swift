/// Keeps the first (batch) axis and flattens the rest: [batch, channels, length] ->
/// [batch, channels x length], the bridge from feature maps to a `Linear` head.
///
/// Unlike global pooling it keeps *where* each feature fired (every position gets its own
/// weight in the next layer), so the head is no longer shift-tolerant. Shares storage; the
/// gradient is reshaped back.
public struct Flatten: Layer {
    public init() {}
    public func forward(_ input: Tensor) -> Tensor {
        precondition(input.rank >= 1, "Flatten needs a batch axis, got a scalar")
        return input.reshaped([input.shape[0], -1])
    }
}
