import CardioSim
import Foundation
import MLEngine

/// The points `kmeans` clusters, with their hidden classes (for the picture's score only) and
/// the 2-D positions the picture draws.
///
/// - beats: the 1,000 test beats of the "beats" recipe, 250 samples each; clustered in all 250
///   dimensions, drawn in the plane of their first two principal components.
/// - rings: two nested rings (radius 1 and 1.6), 300 points each: the groups are not round
///   blobs, so round clusters cut across them.
/// - moons: two interlocking half-moons, 300 points each.
/// - patients: two features of the 500 test patients of the "patients" table, heart rate and
///   QTc, each rescaled to mean 0 and standard deviation 1 (K-means measures plain distances, so
///   a feature in larger units would otherwise count for more); the hidden class is whether the
///   patient takes a QT-prolonging drug (it lengthens QTc by about 40 ms).
struct ClusteringData: Sendable {
    enum Kind: String, CaseIterable, Sendable { case beats, rings, moons, patients }

    let kind: Kind
    /// Row-major [count, dimension].
    let points: [Double]
    let dimension: Int
    /// The hidden class of each point; the clustering never reads them.
    let labels: [Int]
    let classNames: [String]
    /// Where each point is drawn: [count, 2].
    let picture: [Double]
    /// For beats, the principal components that place a 250-sample row in the picture.
    let projection: PrincipalComponents?

    var count: Int { labels.count }

    static func make(_ kind: Kind) -> ClusteringData {
        switch kind {
        case .beats: return sharedBeats
        case .rings: return rings
        case .moons: return moons
        case .patients: return patients
        }
    }

    /// The picture coordinates of a row in the data's own space (a centre).
    func place<Row: Collection>(_ row: Row) -> (x: Double, y: Double) where Row.Element == Double, Row.Index == Int {
        if let projection {
            let xy = projection.project(row, components: 2)
            return (xy[0], xy[1])
        }
        return (row[row.startIndex], row[row.startIndex + 1])
    }

    /// Simulated once per process (and first on the background thread that prepares shared
    /// data at start), so opening the page costs neither the beats nor their PCA.
    static let sharedBeats: ClusteringData = {
        guard let data = LabData.beats() else { return rings }
        let beats = data.test.beats.copyScalars().map(Double.init)
        let window = data.test.beats.shape[1]
        guard let pca = try? PrincipalComponents(rows: beats, dimension: window) else { return rings }
        var picture = [Double]()
        picture.reserveCapacity(data.test.labels.count * 2)
        for r in 0..<data.test.labels.count {
            picture += pca.project(beats[(r * window)..<((r + 1) * window)], components: 2)
        }
        return ClusteringData(kind: .beats, points: beats, dimension: window, labels: data.test.labels,
                              classNames: data.classes.map(\.rawValue), picture: picture, projection: pca)
    }()

    /// The two columns `patients` reads, by their names in the table.
    static let patientColumns = ["heart_rate", "qtc"]

    static let patients: ClusteringData = {
        let table = PatientData.shared.testFeatures
        let (rows, width) = (table.shape[0], table.shape[1])
        let values = table.copyScalars().map(Double.init)
        let names = Patient.featureColumns
        let columns = patientColumns.compactMap { names.firstIndex(of: $0) }
        let drug = names.firstIndex(of: "qt_drug") ?? 0
        var points = [Double](repeating: 0, count: rows * 2)
        for (c, column) in columns.enumerated() {
            let x = (0..<rows).map { values[$0 * width + column] }
            let mean = x.reduce(0, +) / Double(max(rows, 1))
            let deviation = (x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(max(rows, 1))).squareRoot()
            for r in 0..<rows { points[r * 2 + c] = deviation > 0 ? (x[r] - mean) / deviation : 0 }
        }
        let labels = (0..<rows).map { values[$0 * width + drug] > 0.5 ? 1 : 0 }
        return ClusteringData(kind: .patients, points: points, dimension: 2, labels: labels,
                              classNames: ["no QT drug", "QT drug"], picture: points, projection: nil)
    }()

    static let rings: ClusteringData = twoShapes(.rings) { group, t, g in
        let radius = group == 0 ? 1.0 : 1.6
        let angle = 2 * Double.pi * t
        return (radius * cos(angle) + 0.08 * g.normal(), radius * sin(angle) + 0.08 * g.normal())
    }

    static let moons: ClusteringData = twoShapes(.moons) { group, t, g in
        let angle = Double.pi * t
        let (x, y) = group == 0 ? (cos(angle), sin(angle)) : (1 - cos(angle), 0.5 - sin(angle))
        return (x + 0.08 * g.normal(), y + 0.08 * g.normal())
    }

    /// 300 points of each of two shapes, interleaved, from a fixed seed (the data is the same in
    /// every run; the lab's seed only moves the starting centres).
    private static func twoShapes(_ kind: Kind, _ point: (Int, Double, inout SeededGenerator) -> (Double, Double)) -> ClusteringData {
        var g = SeededGenerator(seed: kind == .rings ? 91 : 92)
        var points = [Double](), labels = [Int]()
        for i in 0..<600 {
            let group = i % 2
            let (x, y) = point(group, g.nextDouble(), &g)
            points += [x, y]
            labels.append(group)
        }
        let names = kind == .rings ? ["inner", "outer"] : ["upper", "lower"]
        return ClusteringData(kind: kind, points: points, dimension: 2, labels: labels, classNames: names,
                              picture: points, projection: nil)
    }
}
