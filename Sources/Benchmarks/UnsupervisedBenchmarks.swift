import CardioSim
import Foundation
import MLEngine

/// `kmeans_s` and `pca_s`: K-means (k 5, 20 Lloyd iterations, k-means++ seeding) and a full
/// PCA (covariance, then every eigenpair) of the 5,000 beats of the "beats" recipe (4,000
/// training and 1,000 test beats, 250 samples each), the matrix scikit-learn's reference
/// (`Benchmarks/reference/kmeans_pca.py`) times with `KMeans(n_init=1, max_iter=20, tol=0,
/// algorithm="lloyd")` and `PCA()`.
public enum UnsupervisedBenchmarks {
    /// The 5,000 x 250 beats as Doubles, simulated with the recipe's seed.
    static func beats() -> (rows: [Double], dimension: Int)? {
        guard let recipe = BuiltInRecipes.all.first(where: { $0.name == "beats" }),
              case .beats(let config) = recipe.parameters,
              let data = try? BeatDataset.generate(config, seed: recipe.seed) else { return nil }
        let rows = data.train.beats.copyScalars().map(Double.init) + data.test.beats.copyScalars().map(Double.init)
        return (rows, data.train.beats.shape[1])
    }

    public static func kmeansFigures() -> [BenchFigure] {
        guard let (rows, dimension) = beats() else { return [BenchFigure(key: "kmeans_s_error", value: .string("no beats"), unit: "")] }
        var inertia = 0.0
        let timing = measure(warmUp: 1, runs: 5) {
            var g = SeededGenerator(seed: 0)
            var kmeans = KMeans(points: rows, dimension: dimension, clusters: 5, seeding: .plusPlus, generator: &g)
            for _ in 0..<20 { kmeans.iterate(points: rows) }
            inertia = kmeans.inertia
        }
        return [BenchFigure(key: "kmeans_s", value: .number(timing.median), unit: "s (k 5, 20 iterations, 5,000 x 250; median)"),
                BenchFigure(key: "kmeans_inertia", value: .number(inertia), unit: "inertia after 20 iterations")]
    }

    public static func pcaFigures() -> [BenchFigure] {
        guard let (rows, dimension) = beats() else { return [BenchFigure(key: "pca_s_error", value: .string("no beats"), unit: "")] }
        var ratio = 0.0
        let timing = measure(warmUp: 1, runs: 5) {
            guard let pca = try? PrincipalComponents(rows: rows, dimension: dimension) else { return }
            ratio = pca.explainedVarianceRatio(2)
        }
        return [BenchFigure(key: "pca_s", value: .number(timing.median), unit: "s (full decomposition, 5,000 x 250; median)"),
                BenchFigure(key: "pca_explained_variance_2", value: .number(ratio), unit: "share of variance, first two components")]
    }
}
