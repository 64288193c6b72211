import Testing
@testable import Course

@Suite struct HyperparameterTests {
    let lr = Hyperparameter.logScale("lr", 0.01, in: 0.0001...1, factor: 10, help: "learning rate")
    let hidden = Hyperparameter.logScale("hidden", 3, in: 1...1024, factor: 2, integer: true, effect: .reset, help: "units")
    let momentum = Hyperparameter.linear("momentum", 0.8, in: 0...0.99, step: 0.1, help: "momentum")
    let activation = Hyperparameter.choice("activation", "relu", among: ["relu", "tanh", "sigmoid"], help: "nonlinearity")

    @Test func outOfRangeNamesTheRange() {
        #expect(throws: HyperparameterError.self) { try lr.parse("50") }
        do { _ = try lr.parse("50") } catch {
            #expect(error.description == "lr must be between 0.0001 and 1 (log scale); got 50")
        }
        do { _ = try activation.parse("gelu") } catch {
            #expect(error.description == "activation must be one of relu, tanh, sigmoid; got gelu")
        }
        do { _ = try lr.parse("fast") } catch {
            #expect(error.description.contains("must be a number"))
        }
    }

    @Test func parsesTypedValues() throws {
        #expect(try lr.parse("1e-3") == .number(0.001))
        #expect(try lr.parse(" 0.5 ") == .number(0.5))
        #expect(try activation.parse("TANH") == .choice("tanh"))
        #expect(try hidden.parse("256") == .number(256))
        #expect(throws: HyperparameterError.self) { try hidden.parse("2.5") }
        #expect(throws: HyperparameterError.self) { try lr.parse("nan") }
    }

    @Test func logScaleMultipliesAndStopsAtTheEnds() {
        var p = lr
        p.value = p.stepped(up: true)
        #expect(p.value == .number(0.1))
        p.value = p.stepped(up: true)
        p.value = p.stepped(up: true)
        #expect(p.value == .number(1))          // clamped at the top
        p.value = .number(0.0001)
        #expect(p.stepped(up: false) == .number(0.0001))
    }

    @Test func linearAddsTidySteps() {
        var p = momentum
        p.value = .number(0.1)
        p.value = p.stepped(up: true)
        p.value = p.stepped(up: true)
        #expect(p.value == .number(0.3))        // not 0.30000000000000004
        p.value = .number(0.95)
        #expect(p.stepped(up: true) == .number(0.99))
    }

    @Test func integerStepsAlwaysMoveAndStayWhole() {
        var p = hidden
        p.value = .number(1)
        #expect(p.stepped(up: true) == .number(2))
        p.value = .number(3)
        #expect(p.stepped(up: false) == .number(2))   // 1.5 rounds to 2
    }

    @Test func choicesCycle() {
        var p = activation
        p.value = .choice("sigmoid")
        #expect(p.stepped(up: true) == .choice("relu"))
        p.value = .choice("relu")
        #expect(p.stepped(up: false) == .choice("sigmoid"))
    }

    @Test func numberText() {
        #expect(NumberText.format(0.0001) == "0.0001")
        #expect(NumberText.format(256) == "256")
        #expect(NumberText.format(1e-7) == "1e-07")
        #expect(NumberText.parse("1/4") == 0.25)
        #expect(NumberText.parse("5%") == 0.05)
        #expect(NumberText.parse("0x10") == nil)
        #expect(NumberText.parse("inf") == nil)
    }

    @Test func suggestions() {
        #expect(Suggestion.distance("tarin", "train") == 1)
        #expect(Suggestion.distance("kitten", "sitting") == 3)
        #expect(Suggestion.closest(to: "nueron", in: ["neuron", "mlp"]) == "neuron")
        #expect(Suggestion.closest(to: "zzz", in: ["neuron", "mlp"]) == nil)
        // A one-letter word is one edit from every one-letter name: that is no typo.
        #expect(Suggestion.closest(to: "ν", in: ["-", "warm"]) == nil)
        #expect(Suggestion.closest(to: "x", in: ["a"]) == nil)
        #expect(Suggestion.closest(to: "ab", in: ["ac"]) == "ac")
    }
}
