/// Every lab the course knows, by id: what lessons may name in their lab blocks, and how to
/// make each one.
public struct LabCatalogue: Sendable {
    /// One lab of the catalogue.
    public struct Entry: Sendable {
        public var id: String
        public var title: String
        /// The hyperparameters with their default values, used to check lesson lab blocks
        /// without building the lab (building one may generate a whole data set).
        public var parameters: [Hyperparameter]
        /// Panel ids the lab can show, to check lessons' `show:` lists; empty means "not
        /// declared" and skips that check.
        public var panelIDs: [String]
        /// Builds the lab with its default hyperparameters, ready at step 0 with `seed`.
        public var make: @Sendable (UInt64) -> any Lab

        public init(id: String, title: String, parameters: [Hyperparameter], panelIDs: [String] = [],
                    make: @escaping @Sendable (UInt64) -> any Lab) {
            self.id = id
            self.title = title
            self.parameters = parameters
            self.panelIDs = panelIDs
            self.make = make
        }

        /// An entry whose id, title and parameters are read from one instance built with seed 0
        /// (fine for labs that are cheap to build).
        public init(panelIDs: [String] = [], make: @escaping @Sendable (UInt64) -> any Lab) {
            let sample = make(0)
            self.init(id: sample.id, title: sample.title, parameters: sample.parameters,
                      panelIDs: panelIDs, make: make)
        }
    }

    /// In listing order.
    public let entries: [Entry]

    /// - Precondition: ids are unique (a programming error in the catalogue, not user input).
    public init(_ entries: [Entry]) {
        precondition(Set(entries.map(\.id)).count == entries.count, "duplicate lab id in the catalogue")
        self.entries = entries
    }

    public static let empty = LabCatalogue([])

    public var ids: [String] { entries.map(\.id) }

    public func entry(_ id: String) -> Entry? { entries.first { $0.id == id } }

    /// Differences between what each entry declares and what its lab really has (id, title,
    /// hyperparameter names, defaults and ranges), one line each; empty when they agree. The
    /// Labs tests call this so lessons are never checked against a stale declaration.
    public func mismatches() -> [String] {
        entries.flatMap { entry -> [String] in
            let lab = entry.make(0)
            var found: [String] = []
            if lab.id != entry.id { found.append("entry '\(entry.id)' makes a lab whose id is '\(lab.id)'") }
            if lab.title != entry.title { found.append("entry '\(entry.id)' declares title '\(entry.title)', the lab says '\(lab.title)'") }
            if lab.parameters != entry.parameters {
                let names = (entry.parameters.map(\.name) + lab.parameters.map(\.name)).reduce(into: [String]()) {
                    if !$0.contains($1) { $0.append($1) }
                }
                let differing = names.filter { entry.parameters[named: $0] != lab.parameters[named: $0] }
                found.append("entry '\(entry.id)' declares hyperparameters that differ from the lab's: "
                             + (differing.isEmpty ? "their order" : differing.joined(separator: ", ")))
            }
            return found
        }
    }

    /// A fresh lab `id` with `seed`.
    /// - Throws: `LabCatalogueError.unknownLab` with a spelling suggestion.
    public func make(_ id: String, seed: UInt64) throws(LabCatalogueError) -> any Lab {
        guard let entry = entry(id) else { throw .unknownLab(id, suggestion: Suggestion.closest(to: id, in: ids)) }
        return entry.make(seed)
    }
}

public enum LabCatalogueError: Error, Equatable, CustomStringConvertible {
    case unknownLab(String, suggestion: String?)

    public var description: String {
        switch self {
        case .unknownLab(let id, let suggestion):
            return "lab '\(id)' is not in the catalogue" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
        }
    }
}
