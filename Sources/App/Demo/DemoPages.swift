/// The demo's pages: Markdown that exercises every construct the lesson view draws.
enum DemoPages {
    struct Lesson {
        let id: String
        let title: String
        let chapter: String
        let pages: [(title: String, markdown: String, hasLab: Bool)]
    }

    static let lessons: [Lesson] = [
        Lesson(id: "demo-widgets", title: "Widgets tour", chapter: "The screen (demo)", pages: [
            ("What you are looking at", """
            # A demo of the screen

            This is **not a lesson**. It is `mlcourse demo`: a fake course whose lab feeds
            synthetic numbers to every widget, so the screen can be checked before real labs exist.

            ## What moves

            - a **loss curve** that falls with noise (log axis, smoothed)
            - a **heatmap** whose pattern drifts
            - a **scatter** of two moons with decision regions
            - **bars**, a **sparkline**, a **gauge** and a **table**

            Press `space` to train, `s` for one step, `r` to reset.
            """, true),
            ("Hyperparameters", """
            ## Turning the knobs

            The box under the plots lists the hyperparameters. Select one with `[` and `]`,
            change it with `+` and `-`.

            1. `lr` sets how fast the loss falls. Push it above **1** and the run *diverges*:
               the status line says so, as it would for a real model.
            2. `noise` shakes the curve and the points.
            3. `speed` is the number of steps a second the demo aims for.
            4. `points` only applies after a reset, like the size of a data set.

            | key | does |
            |-----|------|
            | `[` `]` | select |
            | `+` `-` | change |
            | `r` | reset |
            """, true),
            ("Code and quotes", """
            ## Code blocks

            A lab is described, not drawn. A lesson might contain:

            ```swift
            let loss = crossEntropy(logits, labels)
            loss.backward()
            optimizer.step()
            ```

            > The lab says *what* to show; the widgets decide *how*.

            Long paragraphs wrap to the width of the lesson pane, and the pane scrolls with
            `j`/`k`, the arrows, PgUp/PgDn, Home/End or the mouse wheel. Lorem ipsum dolor sit amet,
            consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna
            aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut
            aliquip ex ea commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit
            esse cillum dolore eu fugiat nulla pariatur.

            The end of the page.
            """, true),
        ]),
        Lesson(id: "demo-keys", title: "Keys and commands", chapter: "The screen (demo)", pages: [
            ("The command line", """
            ## The command line

            Press `:` and type a command; `Tab` completes, `Up`/`Down` recall earlier ones.

            - `help`: list the commands
            - `set noise 0.5`: set a hyperparameter
            - `train`, `pause`, `step 10`, `reset`
            - `goto demo-widgets`: open a lesson
            - `quit`
            """, true),
            ("A page without a lab", """
            ## Text only

            Pages without a lab give the text the whole width. Press `?` for every key.
            """, false),
        ]),
    ]
}
