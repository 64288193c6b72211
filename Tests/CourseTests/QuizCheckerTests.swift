import Testing
@testable import Course

@Suite struct QuizCheckerTests {
    func quiz(_ answer: String, choices: [String] = [], tolerance: QuizTolerance? = nil, accept: [String] = []) -> Quiz {
        Quiz(id: "q", ask: "?", answer: answer, choices: choices, tolerance: tolerance, accept: accept, hint: nil,
             explain: nil, line: 1)
    }

    @Test func defaultToleranceIsOnePercentOrAHundredth() {
        // 1% of 1000 is 10; 1% of 0.5 is 0.005, below the 0.01 floor.
        #expect(QuizChecker.check(quiz("1000"), "1009") == .right)
        #expect(QuizChecker.check(quiz("1000"), "1011") == .wrong)
        #expect(QuizChecker.check(quiz("0.5"), "0.509") == .right)
        #expect(QuizChecker.check(quiz("0.5"), "0.52") == .wrong)
        #expect(QuizChecker.check(quiz("0.5"), "1/2") == .right)
        #expect(QuizChecker.check(quiz("0.5"), "half") == .wrong)
    }

    @Test func explicitTolerances() {
        #expect(QuizChecker.check(quiz("8", tolerance: .absolute(0.5)), "8.5") == .right)
        #expect(QuizChecker.check(quiz("8", tolerance: .absolute(0.5)), "8.6") == .wrong)
        #expect(QuizChecker.check(quiz("200", tolerance: .relative(0.05)), "209") == .right)
        #expect(QuizChecker.check(quiz("200", tolerance: .relative(0.05)), "211") == .wrong)
        #expect(QuizChecker.check(quiz("0", tolerance: .absolute(0)), "0") == .right)
    }

    @Test func choicesByTextOrLetter() {
        let q = quiz("tanh", choices: ["sigmoid", "tanh", "relu"])
        #expect(QuizChecker.check(q, "b") == .right)
        #expect(QuizChecker.check(q, "B)") == .right)
        #expect(QuizChecker.check(q, " Tanh ") == .right)
        #expect(QuizChecker.check(q, "a") == .wrong)
        #expect(QuizChecker.check(q, "d") == .wrong)
    }

    @Test func textIgnoresCaseSpacesAndAFullStop() {
        let q = quiz("mean squared error", accept: ["MSE"])
        #expect(QuizChecker.check(q, "Mean  Squared error.") == .right)
        #expect(QuizChecker.check(q, "mse") == .right)
        #expect(QuizChecker.check(q, "mean error") == .wrong)
        #expect(QuizChecker.check(q, "  ") == .wrong)
    }
}
