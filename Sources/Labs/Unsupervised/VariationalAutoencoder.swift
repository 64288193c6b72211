import MLEngine

/// The network of `vae`: an encoder from a 250-sample beat to the mean and log variance of a
/// 2-D Gaussian code, and a decoder from a code back to 250 samples. Both are MLPs with two
/// hidden ReLU layers; as one `Layer` (parameters "encoder.*" and "decoder.*") a single
/// optimizer trains them and a checkpoint stores them.
struct VariationalAutoencoder: Layer {
    static let latent = 2
    var encoder: Sequential
    var decoder: Sequential

    init(window: Int, hidden: Int, generator: inout SeededGenerator) {
        encoder = MLPBuilder.make(inputs: window, hidden: hidden, layers: 2, outputs: 2 * Self.latent, activation: .relu,
                                  generator: &generator)
        decoder = MLPBuilder.make(inputs: Self.latent, hidden: hidden, layers: 2, outputs: window, activation: .relu,
                                  generator: &generator)
    }

    /// The code distribution of each beat: mean and log variance, [batch, 2] each.
    func encode(_ beats: Tensor) -> (mean: Tensor, logVariance: Tensor) {
        let out = encoder(beats)
        return (out.slice(alongAxis: 1, 0..<Self.latent), out.slice(alongAxis: 1, Self.latent..<(2 * Self.latent)))
    }

    func decode(_ codes: Tensor) -> Tensor { decoder(codes) }

    /// A beat rebuilt from its mean code (no sampling): what the lab measures and draws.
    func forward(_ input: Tensor) -> Tensor { decode(encode(input).mean) }

    mutating func visitParameters(_ visit: (String, inout Tensor) throws -> Void) rethrows {
        try encoder.visitParameters { name, p in try visit("encoder." + name, &p) }
        try decoder.visitParameters { name, p in try visit("decoder." + name, &p) }
    }
}
