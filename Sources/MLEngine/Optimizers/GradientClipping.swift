extension Layer {
    /// The Euclidean norm of all parameter gradients together (0 when none has arrived).
    public var gradientNorm: Float {
        var total = 0.0
        for (_, p) in parameters {
            p.grad?.withUnsafeScalars { g in for x in g { total += Double(x) * Double(x) } }
        }
        return Float(total.squareRoot())
    }

    /// Scales all gradients down together so their joint norm is at most `maxNorm` (keeps one
    /// exploding step, common in recurrent nets, from wrecking the weights). Returns the norm
    /// before clipping.
    @discardableResult
    public mutating func clipGradientNorm(maxNorm: Float) -> Float {
        precondition(maxNorm > 0, "maxNorm must be positive")
        let norm = gradientNorm
        guard norm > maxNorm else { return norm }
        let scale = maxNorm / norm
        visitParameters { _, p in
            if let g = p.grad { p.setGrad(withNoGrad { g * scale }) }
        }
        return norm
    }
}
