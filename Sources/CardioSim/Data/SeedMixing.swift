/// Derives independent seeds from one seed, so that item i of a data set is drawn from its own
/// generator: the data set is the same whatever order (or thread) the items are made in.
public enum SeedMixing {
    /// SplitMix64's finaliser over the seed and the item's coordinates.
    public static func derive(_ seed: UInt64, _ stream: UInt64, _ index: UInt64) -> UInt64 {
        var z = seed &+ 0x9E37_79B9_7F4A_7C15 &* (stream &+ 1)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        z = z &+ 0x9E37_79B9_7F4A_7C15 &* (index &+ 1)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
