@testable import Course

/// Lesson texts for the tests. Line numbers in the tests are counted by hand from these texts.
enum LessonFixtures {
    /// A valid two-lesson course using the quadratic lab.
    static let bowl = """
    ---
    id: bowl
    title: Rolling downhill
    chapter: 1
    labs: [quadratic]
    status: ready
    glossary:
      learning rate: How far each step moves against the gradient.
      Gradient: The slope of the loss.
    ---

    # Rolling downhill

    A ball in a bowl.

    ## The bowl

    The **gradient** points uphill.

    ```lab
    lab: quadratic
    set: { lr: 0.5, curvature: 2, start: far }
    show: [loss]
    note: watch it roll
    ```

    ```quiz
    ask: What is 2 + 2?
    answer: 4
    hint: Count on your fingers.
    explain: Two and two make four.
    ```

    ## Too fast

    A **Learning Rate** that is too high overshoots.

    ```swift
    ## not a heading inside code
    let x = 1
    ```

    ```quiz
    ask: Which activation clips negatives?
    choices: [sigmoid, tanh, relu]
    answer: c
    ```

    ```quiz
    ask: Name the optimizer that follows the slope.
    answer: gradient descent
    accept: [GD, steepest descent]
    ```
    """

    static let outline = """
    ---
    id: later
    title: Later things
    chapter: 2
    labs: []
    status: outline
    ---

    ## Coming soon

    ```quiz
    ask: Roughly what is pi?
    answer: 3.14159
    tolerance: 1%
    ```
    """
}
