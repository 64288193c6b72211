import ArgumentParser

/// The command line. Subcommands are added by the issues that build them.
@main
struct MLCourse: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlcourse",
        abstract: "An interactive terminal course in machine learning, from one neuron to the Decision Transformer.",
        subcommands: [DataCommand.self, DemoCommand.self, BenchCommand.self])
}
