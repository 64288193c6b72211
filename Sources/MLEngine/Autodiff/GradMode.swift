/// Whether ops record themselves on the autodiff graph.
///
/// A task-local value rather than a global: each task (and each thread outside tasks) sees its own
/// mode, so inference on one task never switches off recording for training on another.
public enum GradMode {
    /// True while ops record; false inside `withNoGrad`. During `backward(createGraph: true)` the
    /// backward formulas run with recording on, which is what makes higher derivatives possible.
    @TaskLocal public static var isEnabled: Bool = true
}

/// Runs `body` without recording any op: for inference, evaluation and metrics.
public func withNoGrad<R>(_ body: () throws -> R) rethrows -> R {
    try GradMode.$isEnabled.withValue(false, operation: body)
}

/// Runs `body` with recording switched on or off.
public func withGradMode<R>(_ enabled: Bool, _ body: () throws -> R) rethrows -> R {
    try GradMode.$isEnabled.withValue(enabled, operation: body)
}
