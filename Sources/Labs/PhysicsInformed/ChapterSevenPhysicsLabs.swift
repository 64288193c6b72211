import Course

/// The physics-informed lab of chapter 7 (section 7d), for the course catalogue.
public enum ChapterSevenPhysicsLabs {
    /// `pinn-windkessel`. Its pressure curve is simulated once per number of measurements.
    public static let entries: [LabCatalogue.Entry] = [
        LabCatalogue.Entry(id: PINNWindkesselLab.labID, title: "A physics-informed net extrapolates blood pressure",
                           parameters: PINNWindkesselLab.defaultParameters,
                           panelIDs: PINNWindkesselLab.panelNames) { PINNWindkesselLab(seed: $0) },
    ]

    /// Simulates the default curve now (on the background thread that prepares shared data at start).
    public static func prepareData() {
        _ = WindkesselData.make(measurements: PINNWindkesselLab.defaultParameters.first { $0.name == "measurements" }?.value.number.map { Int($0) } ?? 12)
    }
}
