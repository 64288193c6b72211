/// The pieces of a variational autoencoder's Gaussian latent: drawing a code so that the draw
/// can be differentiated (the reparameterisation trick), and the closed-form KL divergence
/// that keeps the codes near a standard normal.

/// A code drawn from N(mean, exp(logVariance)) as mean + exp(logVariance / 2) * noise, with
/// `noise` standard normal and drawn outside (seeded). Sampling itself has no gradient; written
/// this way the randomness sits in `noise`, a constant, and the gradient flows to the mean and
/// the log variance through ordinary ops.
///
/// The encoder outputs the log variance rather than the variance so any real number is valid.
public func reparameterise(mean: Tensor, logVariance: Tensor, noise: Tensor) throws -> Tensor {
    guard mean.shape == logVariance.shape, mean.shape == noise.shape else {
        throw EngineError.shapeMismatch("reparameterise: mean \(mean.shape), log variance \(logVariance.shape), noise \(noise.shape)")
    }
    return mean + (logVariance * 0.5).exp() * noise
}

/// KL(N(mean, exp(logVariance)) || N(0, 1)) per example, summed over the latent dimensions
/// and averaged over the batch (rows):
///
///     KL = 1/2 * sum(mean^2 + exp(logVariance) - 1 - logVariance)
///
/// It is 0 exactly when every mean is 0 and every variance 1. Both inputs are [batch, latent].
public func gaussianKL(mean: Tensor, logVariance: Tensor) throws -> Tensor {
    guard mean.rank == 2, mean.shape == logVariance.shape else {
        throw EngineError.shapeMismatch("gaussianKL wants mean and log variance [batch, latent] alike, got \(mean.shape), \(logVariance.shape)")
    }
    let perEntry = mean.squared() + logVariance.exp() - 1 - logVariance
    return perEntry.sum() * (0.5 / Float(mean.shape[0]))
}
