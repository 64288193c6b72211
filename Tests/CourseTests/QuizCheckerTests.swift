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

    // Issue 9: fair answers a newcomer gives, each form once.
    @Test func numbersWithUnits() {
        let q = quiz("80")
        for given in ["80 ms", "80ms", "80 milliseconds", "80.0 ms", " 80 "] {
            #expect(QuizChecker.check(q, given) == .right, "\(given)")
        }
        #expect(QuizChecker.check(quiz("4"), "4x") == .right)
        #expect(QuizChecker.check(quiz("4"), "4 ×") == .right)
        #expect(QuizChecker.check(quiz("4"), "4 times") == .right)
        #expect(QuizChecker.check(quiz("1000"), "1,000") == .right)
        #expect(QuizChecker.check(quiz("70"), "70 beats per minute") == .right)
        // A unit is letters only: a second number is not a unit.
        #expect(QuizChecker.check(q, "80 or 90") == .wrong)
        #expect(QuizChecker.check(q, "8 0") == .wrong)
        #expect(QuizChecker.check(q, "90 ms") == .wrong)
    }

    @Test func numberWords() {
        #expect(QuizChecker.check(quiz("4"), "four") == .right)
        #expect(QuizChecker.check(quiz("0"), "zero") == .right)
        #expect(QuizChecker.check(quiz("0"), "Zero.") == .right)
        #expect(QuizChecker.check(quiz("25"), "twenty-five") == .right)
        #expect(QuizChecker.check(quiz("102"), "one hundred and two") == .right)
        #expect(QuizChecker.check(quiz("1000"), "a thousand") == .right)
        #expect(QuizChecker.check(quiz("-3"), "minus three") == .right)
        #expect(QuizChecker.check(quiz("4"), "five") == .wrong)
        #expect(QuizChecker.check(quiz("4"), "four apples and") == .wrong)
    }

    @Test func articlesAndLetterWithText() {
        let q = quiz("optimizer", choices: ["architecture", "loss", "optimizer"])
        for given in ["the optimizer", "c) optimizer", "(c) optimizer", "c. optimizer", "C) The optimizer", "c optimizer"] {
            #expect(QuizChecker.check(q, given) == .right, "\(given)")
        }
        // Letter and text must agree.
        #expect(QuizChecker.check(q, "b) optimizer") == .wrong)
        #expect(QuizChecker.check(q, "c) loss") == .wrong)
        #expect(QuizChecker.check(quiz("gradient"), "the gradient") == .right)
        #expect(QuizChecker.check(quiz("gradient"), "`gradient`") == .right)
    }

    @Test func wordsOfTheSameDirection() {
        for given in ["go up", "goes up", "it goes up", "rises", "Increase."] {
            #expect(QuizChecker.check(quiz("increase"), given) == .right, "\(given)")
        }
        #expect(QuizChecker.check(quiz("increase"), "goes down") == .wrong)
        #expect(QuizChecker.check(quiz("decrease"), "it falls") == .right)
        #expect(QuizChecker.check(quiz("decrease"), "rise") == .wrong)
        // A quiz may list its own synonyms, and they get the same forms.
        #expect(QuizChecker.check(quiz("overfitting", accept: ["memorising"]), "Memorising.") == .right)
    }
}
