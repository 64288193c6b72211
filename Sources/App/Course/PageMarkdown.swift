import Course

/// Turns a lesson page (Markdown, lab blocks and quiz blocks) into the Markdown the lesson view
/// shows: a lab block becomes a short boxed note that says how to start it, a quiz becomes its
/// question, its choices and how to answer. The screen itself only knows Markdown, so this is
/// the one place that decides how interactive blocks read.
enum PageMarkdown {
    /// The whole page as Markdown. `answered` says which quizzes were answered right already.
    /// (An outline lesson's "labs coming" is said by the header and the sidebar, on every page;
    /// the lessons explain it in their own words on their first page.)
    static func render(_ page: Page, answered: (String) -> Bool) -> String {
        var parts: [String] = []
        for block in page.blocks {
            switch block {
            case .markdown(let text):
                let trimmed = text.trimmingCharacters()
                if !trimmed.isEmpty { parts.append(trimmed) }
            case .lab(let lab) where lab.isNone:
                continue
            case .lab(let lab):
                parts.append(labNote(lab, isFirst: page.labBlocks.first == lab))
            case .quiz(let quiz):
                parts.append(quizText(quiz, answered: answered(quiz.id)))
            }
        }
        return parts.joined(separator: "\n\n")
    }

    /// "> **Lab: neuron** - press space to train" and the block's note, as a quote (drawn boxed).
    /// The starting values are not repeated here: the hyperparameter panel shows them.
    static func labNote(_ block: LabBlock, isFirst: Bool) -> String {
        var lines = ["**Lab: \(block.lab)** - " + (isFirst ? "press space to train, s to step, r to reset."
                                                          : "another setting of this lab.")]
        if let note = block.note, !note.isEmpty { lines.append(note) }
        return lines.map { "> " + $0 }.joined(separator: "\n>\n")
    }

    /// The question, lettered choices, and how to answer (or that it was answered right).
    static func quizText(_ quiz: Quiz, answered: Bool) -> String {
        var text = "**Quiz:** \(quiz.ask)"
        if !quiz.choices.isEmpty {
            let letters = Array("abcdefghijklmnopqrstuvwxyz")
            text += "\n\n" + quiz.choices.enumerated().map { index, choice in
                let letter = index < letters.count ? String(letters[index]) : "\(index + 1)"
                return "- \(letter)) \(choice)"
            }.joined(separator: "\n")
        }
        if answered {
            text += "\n\n*Answered right: \(quiz.answer).*" + (quiz.explain.map { " \($0)" } ?? "")
        } else {
            text += "\n\nAnswer with `:answer TEXT`" + (quiz.choices.isEmpty ? "." : " (the letter or the choice).")
        }
        return text
    }
}
