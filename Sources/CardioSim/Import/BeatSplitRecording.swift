import Foundation

extension BeatSplit {
    /// The split's beats laid end to end as one 250 Hz recording in import CSV (`ECG,label`, the
    /// class name on each R-peak row): the way to check that importing puts beats back exactly
    /// where CardioSim cut them, and a labelled file for trying the import. mV to `decimals`
    /// places.
    public func recordingCSV(classes: [BeatClass], decimals: Int = 6) -> String {
        let window = beats.shape[1]
        var text = "ECG,label\n"
        let values = beats.copyScalars()
        for i in 0..<count {
            for j in 0..<window {
                let label = j == rPeakIndices[i] ? classes[labels[i]].rawValue : ""
                text += String(format: "%.\(decimals)f", Double(values[i * window + j])) + ",\(label)\n"
            }
        }
        return text
    }
}
