/// The names a checkpoint file uses: its format name and version, the metadata keys and the
/// prefix of the lab's tensors. docs/checkpoints.md describes each one.
public enum CheckpointFormat {
    /// The value of the `format` metadata key.
    public static let name = "mlcourse-checkpoint"
    /// The format this build writes and the newest it reads.
    public static let version = 1
    /// Written into `mlcourse_version`, to tell which build made a file.
    public static let writer = "0.1.0"
    /// Every tensor of `LabState.tensors` is stored under this prefix: "lab/w", "lab/adam.fc.weight.m".
    public static let tensorPrefix = "lab/"
    /// The file extension.
    public static let fileExtension = "safetensors"
    /// The largest `step` a file may claim: far more than any run takes (a million steps a
    /// second for eleven days), and far enough from Int's limit that counting on from it
    /// never overflows.
    public static let maximumStep = 1_000_000_000_000

    /// The `__metadata__` keys. All values are strings; structured ones hold JSON.
    public enum Key {
        public static let format = "format"
        public static let formatVersion = "format_version"
        public static let lab = "lab"
        /// Lesson id and 1-based page whose lab block opened the lab (absent if none).
        public static let lesson = "lesson"
        public static let page = "page"
        public static let step = "step"
        /// Decimal UInt64.
        public static let seed = "seed"
        /// JSON object: every hyperparameter's value at `step` (number or choice string).
        public static let hyperparameters = "hyperparameters"
        /// JSON: {"initial": [{"name", "value"}], "events": [{"step", "name", "value"}]}.
        public static let run = "run"
        /// JSON of `Metrics` (NaN and infinities as "nan", "inf", "-inf").
        public static let metrics = "metrics"
        /// JSON object: the lab state's metadata (RNG words, counters).
        public static let labState = "lab_state"
        /// ISO 8601 UTC time of saving.
        public static let created = "created"
        public static let mlcourseVersion = "mlcourse_version"
        /// JSON object: tensor name -> CRC-32 of its bytes, 8 hex digits. Optional when reading
        /// (delete it after editing tensors in Python); checked when present.
        public static let tensorCRC32 = "tensor_crc32"
        /// CRC-32 (8 hex digits) of every other metadata pair as "key=value\n", keys sorted, so a
        /// changed value (a flipped digit in `step`) is caught. Optional when reading.
        public static let metadataCRC32 = "metadata_crc32"

        /// The keys a file must have to be read.
        public static let required = [format, formatVersion, lab, step, seed, hyperparameters, run, metrics, labState]
    }
}

extension CheckpointFormat {
    /// The text `metadata_crc32` is computed over: "key=value\n" for each key but itself, sorted.
    static func metadataDigestText(_ metadata: [String: String]) -> String {
        metadata.keys.filter { $0 != Key.metadataCRC32 }.sorted().map { "\($0)=\(metadata[$0]!)\n" }.joined()
    }
}
