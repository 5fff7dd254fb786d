/// Text placed into the Markdown files the workbench writes (compare.md, summary.md, the
/// known-answers table), escaped so that a key or value holding `|`, `\` or a line break
/// stays one table cell or one list item.
public enum Markdown {
    /// `text` with `\` and `|` escaped and line breaks turned into spaces.
    public static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case "|": out += "\\|"
            case "\n", "\r\n", "\r": out += " "
            default: out.append(character)
            }
        }
        return out
    }

    /// One table row of `cells`, each escaped: "| a | b\|c |".
    public static func row(_ cells: [String]) -> String {
        "| " + cells.map(escaped).joined(separator: " | ") + " |"
    }
}
