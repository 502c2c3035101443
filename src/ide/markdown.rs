//! Markdown for hover and completion documentation, with every piece of source text escaped:
//! nothing a source says can become a link, an image, a command URI, HTML or code in the
//! editor.

/// `text` as inert Markdown: white space collapsed, and a backslash (CommonMark allows one
/// before any ASCII punctuation) before every character that could start markup — emphasis,
/// code, links, images, HTML, headings, tables, math — and before the `:` of `://` and a
/// `.` inside a word, so that no bare URL or domain becomes a link. `[x](command:…)`,
/// `<img>` and `` ` `` stay plain text.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut pending_space = false;
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        if ch.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        let next = chars.peek().copied();
        let escaped = match ch {
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '<' | '>' | '#' | '!' | '|' | '~'
            | '&' | '$' | '{' | '}' => true,
            ':' => next == Some('/'),
            '.' => next.is_some_and(char::is_alphanumeric),
            '-' | '+' | '=' => out.is_empty(),
            _ => false,
        };
        if escaped {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// `text` as a code span: fenced with more backticks than it holds, so it cannot close
/// early; inside a code span nothing is markup.
pub fn code(text: &str) -> String {
    let longest_run = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!(
        "{fence}{pad}{}{pad}{fence}",
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    )
}

/// At most `max_chars` characters of `text`, cut at a word, with `…` when cut.
pub fn excerpt(text: &str, max_chars: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max_chars {
        return flat;
    }
    let cut: String = flat.chars().take(max_chars).collect();
    let at_word = cut.rfind(' ').map_or(cut.as_str(), |space| &cut[..space]);
    format!("{at_word}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_text_stays_text() {
        assert_eq!(
            escape("[click](command:workbench.action.terminal.new) <img src=x onerror=alert(1)>"),
            r"\[click\]\(command:workbench\.action\.terminal\.new\) \<img src=x onerror=alert\(1\)\>"
        );
        assert_eq!(
            escape("`code` *bold* # h\n\n- item https://evil.example"),
            r"\`code\` \*bold\* \# h - item https\://evil\.example"
        );
        assert_eq!(
            escape("Tromsø “quoted” — dash, it's 9.5."),
            "Tromsø “quoted” — dash, it's 9\\.5."
        );
        assert_eq!(escape("- not a list"), r"\- not a list");
    }

    #[test]
    fn code_spans_cannot_be_closed_from_inside() {
        assert_eq!(code("berman2023"), "`berman2023`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x"), "`` `x ``");
    }

    #[test]
    fn excerpts_cut_at_words() {
        assert_eq!(excerpt("one two three four", 10), "one two…");
        assert_eq!(excerpt("short\ntext", 10), "short text");
    }
}
