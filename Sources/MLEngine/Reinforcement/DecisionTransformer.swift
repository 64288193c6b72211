/// A Decision Transformer: reinforcement learning written as sequence modelling.
///
/// A recorded episode of T steps becomes 3T tokens, one (return-to-go, state, action) triple
/// per step, in that order:
///
///     R_0 s_0 a_0 R_1 s_1 a_1 ... R_{T-1} s_{T-1} a_{T-1}
///
/// R_t is the reward still to come from step t (the return-to-go). Each kind of token has its
/// own embedding (a Linear for the return and the state, a lookup table for the action), and all
/// three tokens of step t get the same learned timestep row added. A causal transformer
/// (chapter 6's pre-norm blocks with a causal mask) reads the sequence; the output at each
/// *state* token predicts that step's action. Because of the mask the state token of step t sees
/// R_0...R_t, s_0...s_t and a_0...a_{t-1}, never a_t: the model learns "which action, given
/// where we are and how much reward we still want".
///
/// At run time the sequence is filled in as the episode goes: R_0 is the return asked for, and
/// each reward received is subtracted to give the next R.
///
/// Input: `[batch, T, 1 + stateSize + 1]` rows (return-to-go, the state's numbers, the action
/// as a whole number; the action of a step not yet taken may be anything, the mask hides it).
/// Output: action logits `[batch * T, actions]`, row b * T + t for step t of sequence b.
///
/// Parameters: `returns.*`, `states.*`, `actions.weight`, `time.weight`, `encoder.*`, `head.*`.
public struct DecisionTransformer: Layer {
    public var returnEmbedding: Linear
    public var stateEmbedding: Linear
    public var actionEmbedding: Embedding
    public var timeEmbedding: Embedding
    public var encoder: TransformerEncoder
    public var head: Linear
    public let stateSize: Int
    public let actionCount: Int
    /// Returns-to-go are divided by this before embedding, so they are about unit size.
    public let returnScale: Float

    public init(stateSize: Int, actionCount: Int, maxSteps: Int, width: Int = 32, heads: Int = 2, layers: Int = 2,
                returnScale: Float = 10, generator: inout SeededGenerator) {
        precondition(stateSize > 0 && actionCount > 1 && maxSteps > 0, "DecisionTransformer: sizes must be positive")
        precondition(returnScale > 0, "DecisionTransformer: returnScale must be positive")
        returnEmbedding = Linear(inputs: 1, outputs: width, initializer: .xavierUniform, generator: &generator)
        stateEmbedding = Linear(inputs: stateSize, outputs: width, initializer: .xavierUniform, generator: &generator)
        actionEmbedding = Embedding(count: actionCount, width: width, std: 0.5, generator: &generator)
        timeEmbedding = Embedding(count: maxSteps, width: width, std: 0.1, generator: &generator)
        encoder = TransformerEncoder(layers: layers, width: width, heads: heads, mlpWidth: 4 * width, causal: true, generator: &generator)
        head = Linear(inputs: width, outputs: actionCount, initializer: .xavierUniform, generator: &generator)
        self.stateSize = stateSize
        self.actionCount = actionCount
        self.returnScale = returnScale
    }

    public var width: Int { head.inputCount }
    public var maxSteps: Int { timeEmbedding.count }
    /// Numbers per step in the input: return-to-go, state, action.
    public var rowWidth: Int { stateSize + 2 }

    /// The interleaved tokens `[batch, 3T, width]`.
    public func tokens(_ input: Tensor) -> Tensor {
        precondition(input.rank == 3 && input.shape[2] == rowWidth,
                     "DecisionTransformer wants [batch, steps, \(rowWidth)], got \(input.shape)")
        let (batch, steps) = (input.shape[0], input.shape[1])
        precondition(steps <= maxSteps, "DecisionTransformer: \(steps) steps, at most \(maxSteps)")
        let time = timeEmbedding(Array(0..<steps))                       // [T, width]
        let returns = returnEmbedding(input.slice(alongAxis: 2, 0..<1) * (1 / returnScale)) + time
        let states = stateEmbedding(input.slice(alongAxis: 2, 1..<(1 + stateSize))) + time
        let actionValues = input.slice(alongAxis: 2, (1 + stateSize)..<rowWidth).copyScalars()
        let indices = actionValues.map { Swift.min(Swift.max(Int($0), 0), actionCount - 1) }
        let actions = actionEmbedding(indices, shape: [batch, steps]) + time
        return Tensor.stack([returns, states, actions], alongAxis: 2).reshaped([batch, 3 * steps, width])
    }

    /// Action logits `[batch * T, actions]` read at every state token.
    public func forward(_ input: Tensor) -> Tensor {
        let (batch, steps) = (input.shape[0], input.shape[1])
        let out = encoder(tokens(input)).reshaped([batch, steps, 3, width])
        return head(out.slice(alongAxis: 2, 1..<2).reshaped([batch * steps, width]))
    }

    public mutating func visitParameters(_ visit: (String, inout Tensor) throws -> Void) rethrows {
        try returnEmbedding.visitParameters { try visit("returns.\($0)", &$1) }
        try stateEmbedding.visitParameters { try visit("states.\($0)", &$1) }
        try actionEmbedding.visitParameters { try visit("actions.\($0)", &$1) }
        try timeEmbedding.visitParameters { try visit("time.\($0)", &$1) }
        try encoder.visitParameters { try visit("encoder.\($0)", &$1) }
        try head.visitParameters { try visit("head.\($0)", &$1) }
    }
}
