// The U-Net's skip connection: the encoder's feature maps at one scale, taken before pooling
// blurred their positions, are stacked along the channel axis with the decoder's upsampled maps
// at the same scale, so the next convolution sees both, "what" from below and "where" from the
// side, and learns how to mix them.
//
//     y[b, 0..<c1, t]        = encoder[b, :, t]
//     y[b, c1..<c1 + c2, t]  = decoder[b, :, t]
//
// The gradient simply splits along the channels: the first c1 go back to the encoder, the rest
// to the decoder. That is `Tensor.concatenate(alongAxis: 1)`, named here for what it does.

/// Joins encoder [batch, c1, length] and decoder [batch, c2, length] maps into
/// [batch, c1 + c2, length] (see the top of this file). Batch and length must agree.
public func skipConcatenate(encoder: Tensor, decoder: Tensor) -> Tensor {
    precondition(encoder.rank == 3 && decoder.rank == 3,
                 "skipConcatenate expects [batch, channels, length] maps, got \(encoder.shape) and \(decoder.shape)")
    precondition(encoder.shape[0] == decoder.shape[0] && encoder.shape[2] == decoder.shape[2],
                 "skipConcatenate: encoder \(encoder.shape) and decoder \(decoder.shape) need the same batch and length (check the decoder's output padding)")
    return Tensor.concatenate([encoder, decoder], alongAxis: 1)
}
