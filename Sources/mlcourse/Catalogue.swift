import Course
import Labs

/// The labs of the course, as the `Labs` target lists them.
enum Catalogue {
    static let labs: LabCatalogue = CourseCatalogue.labs

    /// Lessons are checked against the full catalogue: lab ids, hyperparameters, panel ids.
    static var lessonChecking: LabChecking { .against(labs) }
}
