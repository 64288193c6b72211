import Foundation
import MLEngine

/// The optimizer race's loss surface: a long, narrow, gently curved valley on the (x, y) plane.
///
///     loss(x, y) = floor(x) + walls * (y - bend * (x + 1)^2)^2
///     floor(x)   = slope * (sqrt(1 + (x - 3)^2) - 1)
///
/// Across the valley the walls are steep (curvature 2 * walls = 20); along its floor the slope
/// is gentle (at most `slope` = 0.1, levelling into a bowl of width about 1 round x = 3). The
/// floor follows the parabola y = 0.05 (x + 1)^2, so the lowest point is (3, 0.8), not (0, 0),
/// and the valley bends upward on its way there. SGD's one learning rate must stay below about
/// 2 / 20 for the walls, which makes it crawl along the floor; Adam's per-coordinate scaling
/// and momentum's build-up of speed do not crawl.
///
/// The function is written twice, side by side: in tensor ops (so autodiff gives the gradient
/// the optimizers use) and in Double (for the heatmap and the losses the lab reports). A test
/// checks that the two agree and that the autodiff gradient matches finite differences.
public struct ValleySurface: Sendable {
    public var slope = 0.1
    public var walls = 10.0
    public var bend = 0.05
    /// Where the floor's parabola has its vertex (x) and where the floor bottoms out (x).
    public var vertex = -1.0
    public var lowestX = 3.0

    public init() {}

    /// Where every racer starts: at the far end of the valley, 0.4 up its wall.
    public static let start = (x: -1.0, y: 0.4)

    /// The lowest point of the surface (loss 0).
    public var lowestPoint: (x: Double, y: Double) { (lowestX, floorY(lowestX)) }

    /// The y of the valley floor at x.
    public func floorY(_ x: Double) -> Double { bend * (x - vertex) * (x - vertex) }

    /// The loss at (x, y), in Double.
    public func value(x: Double, y: Double) -> Double {
        let u = x - lowestX
        // sqrt(1 + u^2) - 1 written as u^2 / (sqrt(1 + u^2) + 1): no cancellation near the bottom.
        let floor = slope * u * u / ((1 + u * u).squareRoot() + 1)
        let across = y - floorY(x)
        return floor + walls * across * across
    }

    /// The loss at `position` = [x, y], in tensor ops (differentiable).
    public func loss(_ position: Tensor) -> Tensor {
        precondition(position.shape == [2], "a position on the surface is [x, y], got shape \(position.shape)")
        let x = position.slice(alongAxis: 0, 0..<1), y = position.slice(alongAxis: 0, 1..<2)
        let u = x - Float(lowestX)
        let uu = u * u
        let floor = Float(slope) * uu / ((uu + 1).sqrt() + 1)
        let bent = x - Float(vertex)
        let across = y - Float(bend) * bent * bent
        return (floor + Float(walls) * across * across).sum()
    }
}
