import TextPlot

/// A foreground/background combination, the unit ncurses colours cells by.
public struct ColorPairKey: Hashable, Sendable {
    public var foreground: TerminalColor
    public var background: TerminalColor
    public init(foreground: TerminalColor, background: TerminalColor) {
        self.foreground = foreground; self.background = background
    }
}

/// Hands out ncurses colour-pair numbers on demand and remembers them.
///
/// Pair 0 is the terminal's default pair and is never handed out. Pairs are numbered from 1 up to
/// `capacity - 1` (ncurses' `COLOR_PAIRS`). When they run out the cache does not guess: it says
/// `.full`, and the backend clears the cache, redefines pairs from scratch and redraws the whole
/// frame (a pair redefined while on screen would recolour old cells).
public struct ColorPairCache: Sendable {
    /// What a lookup found.
    public enum Lookup: Equatable, Sendable {
        /// The pair is defined already.
        case existing(Int)
        /// A fresh number: the backend must define it (`init_extended_pair`) before use.
        case new(Int)
        /// No numbers left.
        case full
    }

    public let capacity: Int
    private var numbers: [ColorPairKey: Int] = [:]
    private var next = 1

    public init(capacity: Int) { self.capacity = max(1, capacity) }

    /// The number of pairs handed out.
    public var count: Int { numbers.count }

    public mutating func lookup(_ key: ColorPairKey) -> Lookup {
        if key.foreground == .default && key.background == .default { return .existing(0) }
        if let number = numbers[key] { return .existing(number) }
        guard next < capacity else { return .full }
        let number = next
        next += 1
        numbers[key] = number
        return .new(number)
    }

    /// Forgets every pair (after `.full`, before a full redraw).
    public mutating func removeAll() {
        numbers.removeAll(keepingCapacity: true)
        next = 1
    }
}
