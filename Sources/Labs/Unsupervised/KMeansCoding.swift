import Course
import MLEngine

/// K-means state as checkpoint metadata. Centres are Doubles, so they travel as JSON numbers
/// (exact) rather than as Float tensors (which would round them and break continuation).
enum KMeansCoding {
    static func json(_ kmeans: KMeans) -> JSONValue {
        .object([
            "dimension": .number(Double(kmeans.dimension)),
            "centres": .array(kmeans.centres.map(StateCoding.json)),
            "assignments": .array(kmeans.assignments.map { .number(Double($0)) }),
            "iterations": .number(Double(kmeans.iterations)),
            "inertia": StateCoding.json(kmeans.inertia),
            "converged": .bool(kmeans.converged),
        ])
    }

    /// The clustering in `value`, checked against the data it belongs to.
    static func kmeans(from value: JSONValue?, key: String, lab: String, clusters: Int, data: ClusteringData) throws -> KMeans {
        func bad(_ problem: String) -> LabStateError { .badMetadata(lab: lab, key: key, problem: problem) }
        guard let object = value?.object else { throw bad("must be an object") }
        let centres = try (object["centres"]?.array ?? []).map { try StateCoding.double($0, key: key, lab: lab) }
        guard centres.count == clusters * data.dimension, centres.allSatisfy(\.isFinite) else {
            throw bad("must hold \(clusters) finite centres of \(data.dimension) numbers")
        }
        let assignments = (object["assignments"]?.array ?? []).compactMap { $0.number.flatMap { StateCoding.int($0, in: 0...(clusters - 1)) } }
        guard assignments.isEmpty || assignments.count == data.count,
              assignments.count == (object["assignments"]?.array?.count ?? -1) else {
            throw bad("assignments must be \(data.count) cluster numbers below \(clusters)")
        }
        guard let iterations = object["iterations"]?.number.flatMap({ StateCoding.int($0, in: 0...1_000_000) }),
              case .bool(let converged)? = object["converged"] else { throw bad("needs iterations and converged") }
        let inertia = try StateCoding.double(object["inertia"], key: key, lab: lab)
        return KMeans(centres: centres, dimension: data.dimension, assignments: assignments, iterations: iterations,
                      inertia: inertia, converged: converged)
    }
}
