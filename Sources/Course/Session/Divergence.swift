/// Words for a run whose numbers blew up (NaN or infinity): where, and the likely cause.
enum Divergence {
    /// "diverged at step 412: learning rate 3 is too high for this problem; reset or lower it"
    static func message(step: Int, lab: any Lab, events: [HyperparameterEvent], lossWasFinite: Bool) -> String {
        let what = lossWasFinite ? "the weights became NaN or infinite" : "the loss became NaN or infinite"
        return "diverged at step \(step) (\(what)): \(cause(lab: lab, events: events))"
    }

    static let learningRateNames = ["lr", "learning_rate", "learning-rate", "learningrate", "eta", "step_size"]

    static func cause(lab: any Lab, events: [HyperparameterEvent]) -> String {
        if let hint = lab.divergenceHint() { return hint }
        let rate = lab.parameters.first { learningRateNames.contains($0.name.lowercased()) }
        if let last = events.last, last.name != rate?.name {
            return "the change of \(last.name) to \(last.value) at step \(last.step) probably did it; reset, or undo the change"
        }
        if let rate {
            return "learning rate \(rate.value) is too high for this problem; reset or lower it"
        }
        return "the updates grew without bound; reset, or make the steps smaller"
    }
}
