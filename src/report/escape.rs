//! Escaping for every renderer. File names, messages, rule ids of user policies and source
//! snippets come from a repository or a policy paved does not trust: none of them may forge
//! a CI command, break out of a markdown table or drive the reader's terminal. One module,
//! so every format escapes the same characters the same way.

use std::borrow::Cow;

/// GitHub workflow-command data (what follows `::`): a line break would end the command and
/// start a forged one (`::add-mask::`, `::error`), and `%` would decode. Other controls are
/// shown as escapes, as on a terminal.
pub fn workflow_data(text: &str) -> String {
    controls(text, &['\r', '\n'])
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A GitHub workflow-command property value, which `:` and `,` would also end.
pub fn workflow_property(text: &str) -> String {
    workflow_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Azure Pipelines logging-command data (what follows `]`).
pub fn azure_data(text: &str) -> String {
    controls(text, &['\r', '\n'])
        .replace('%', "%AZP25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// An Azure Pipelines logging-command property value, which `;` and `]` would also end.
pub fn azure_property(text: &str) -> String {
    azure_data(text).replace(';', "%3B").replace(']', "%5D")
}

/// Characters a terminal acts on or that reorder what it shows: C0 and C1 controls, DEL
/// (ESC among them) and the bidirectional embeddings, overrides, isolates and marks.
fn is_hostile(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// Whether the `#` at byte `i` makes `##vso[`, which Azure Pipelines runs as a logging
/// command wherever it appears in a line of output.
fn opens_azure_command(text: &str, i: usize) -> bool {
    i > 0 && text[..i].ends_with('#') && text[i..].starts_with("#vso[")
}

/// `text` with hostile characters (but those in `keep`) shown as Rust escapes.
fn controls<'a>(text: &'a str, keep: &[char]) -> Cow<'a, str> {
    let hostile = |c: char| is_hostile(c) && !keep.contains(&c);
    if !text.chars().any(hostile) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hostile(c) {
            escaped.extend(c.escape_default());
        } else {
            escaped.push(c);
        }
    }
    Cow::Owned(escaped)
}

/// One line of terminal or CI-log output: hostile characters and line breaks are shown as
/// Rust escapes (`\n`, `\u{1b}`, `\u{202e}`), so a file name or message stays on its line
/// and cannot clear the screen or forge another line. Neither can it be read as a CI
/// command: a leading `::` (GitHub) and `##vso[` (Azure) have a character escaped too.
pub fn line(text: &str) -> Cow<'_, str> {
    let escaped = controls(text, &[]);
    let github = escaped.starts_with("::");
    if !github && !escaped.contains("##vso[") {
        return escaped;
    }
    let mut defused = String::with_capacity(escaped.len() + 8);
    for (i, c) in escaped.char_indices() {
        if (github && i == 0) || opens_azure_command(&escaped, i) {
            defused.extend(c.escape_unicode());
        } else {
            defused.push(c);
        }
    }
    Cow::Owned(defused)
}

/// Source text for an annotated snippet. Spans are byte offsets into it, so each hostile
/// character becomes a visible one of the same UTF-8 length (`?`, `¿` or `�`); tabs and
/// line breaks stay, and a lone `\r` (which would move the cursor back over the line)
/// becomes the line break it is meant to be. The second `#` of `##vso[` becomes `?` too.
pub fn snippet(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let lone_cr = |i: usize| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n');
    let keep = |i: usize, c: char| matches!(c, '\t' | '\n') || (c == '\r' && !lone_cr(i));
    let replaced =
        |i: usize, c: char| (is_hostile(c) && !keep(i, c)) || opens_azure_command(text, i);
    if !text.char_indices().any(|(i, c)| replaced(i, c)) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        shown.push(match c {
            _ if !replaced(i, c) => c,
            '\r' => '\n',
            _ => match c.len_utf8() {
                1 => '?',
                2 => '¿',
                _ => '\u{FFFD}',
            },
        });
    }
    Cow::Owned(shown)
}

/// Markdown punctuation that could start emphasis, a link, an image, HTML, an entity, a code
/// span or a table cell.
fn is_markdown_syntax(c: char) -> bool {
    matches!(
        c,
        '\\' | '`' | '*' | '_' | '~' | '[' | ']' | '<' | '>' | '&' | '|'
    )
}

/// Plain text in markdown (a table cell, a list item): markdown syntax is backslash-escaped,
/// so it shows as written, and line breaks are shown as escapes, so a row stays one row.
pub fn markdown_text(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_hostile(c) {
            escaped.extend(c.escape_default());
        } else {
            if is_markdown_syntax(c) {
                escaped.push('\\');
            }
            escaped.push(c);
        }
    }
    escaped
}

/// A markdown code span around `text`, fenced with more backticks than any run inside it.
/// In a table cell a `|` would still end the cell (GFM splits rows first), so it is
/// escaped there.
pub fn markdown_code(text: &str, in_table: bool) -> String {
    let mut content = line(text).into_owned();
    if in_table {
        content = content.replace('|', "\\|");
    }
    let longest_run = content.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    // A code span drops one space from each end when both are there; a backtick at an end
    // would join the fence.
    let padded = content.starts_with('`')
        || content.ends_with('`')
        || (content.starts_with(' ') && content.ends_with(' ') && content.trim() != "");
    let pad = if padded { " " } else { "" };
    format!("{fence}{pad}{content}{pad}{fence}")
}

/// A relative path as a URI reference (RFC 3986): everything but unreserved characters and
/// the `/` separators is percent-encoded, so spaces, `%`, `#`, `?`, `:` and non-ASCII
/// survive a reader that resolves the URI.
pub fn uri_path(path: &str) -> String {
    let mut encoded = String::with_capacity(path.len());
    for byte in path.replace('\\', "/").bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_commands_escape_as_github_documents() {
        assert_eq!(workflow_data("50% done\nnext"), "50%25 done%0Anext");
        assert_eq!(workflow_data("a\r\n::error::x"), "a%0D%0A::error::x");
        assert_eq!(workflow_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        assert_eq!(workflow_data("\u{1b}[2J"), "\\u{1b}[2J");
    }

    #[test]
    fn logging_commands_escape_as_azure_documents() {
        assert_eq!(azure_data("100%\r\n##vso[x]"), "100%AZP25%0D%0A##vso[x]");
        assert_eq!(azure_property("a;b]c%\n"), "a%3Bb%5Dc%AZP25%0A");
    }

    #[test]
    fn a_line_shows_controls_and_bidi_as_escapes() {
        assert_eq!(line("plain ünïcode"), "plain ünïcode");
        assert!(matches!(line("plain"), Cow::Borrowed(_)));
        assert_eq!(line("a\nb\r\tc"), "a\\nb\\r\\tc");
        assert_eq!(line("\u{1b}[2J\u{7f}\u{9b}"), "\\u{1b}[2J\\u{7f}\\u{9b}");
        assert_eq!(line("x\u{202e}y\u{2066}z"), "x\\u{202e}y\\u{2066}z");
    }

    #[test]
    fn a_line_is_never_a_ci_command() {
        assert_eq!(line("::error::x"), "\\u{3a}:error::x");
        assert_eq!(line("a ::error::x"), "a ::error::x");
        assert_eq!(
            line("x ##vso[task.setvariable variable=a]b #vso["),
            "x #\\u{23}vso[task.setvariable variable=a]b #vso["
        );
        assert_eq!(snippet("# ##vso[x]\n"), "# #?vso[x]\n");
    }

    #[test]
    fn a_snippet_keeps_its_byte_length_tabs_and_line_breaks() {
        let source = "a\tb\r\nc\u{1b}[2Jd\u{85}e\u{202e}f\rg\n";
        let shown = snippet(source);
        assert_eq!(shown, "a\tb\r\nc?[2Jd¿e\u{FFFD}f\ng\n");
        assert_eq!(shown.len(), source.len());
        for (i, _) in source.char_indices() {
            assert!(shown.is_char_boundary(i), "{i}");
        }
        assert!(matches!(snippet("a\tb\r\nc\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn markdown_text_cannot_break_a_cell_or_format() {
        assert_eq!(
            markdown_text("a|b\n| c `d` *e* <img> [l](u) \\"),
            "a\\|b\\n\\| c \\`d\\` \\*e\\* \\<img\\> \\[l\\](u) \\\\"
        );
    }

    #[test]
    fn markdown_code_spans_outgrow_the_backticks_inside() {
        assert_eq!(markdown_code("plain", true), "`plain`");
        assert_eq!(markdown_code("a``b", false), "```a``b```");
        assert_eq!(markdown_code("`x", false), "`` `x ``");
        assert_eq!(markdown_code(" x ", false), "`  x  `");
        assert_eq!(markdown_code("a|b\nc", true), "`a\\|b\\nc`");
        assert_eq!(markdown_code("a|b", false), "`a|b`");
    }

    #[test]
    fn uri_paths_are_percent_encoded_but_keep_separators() {
        assert_eq!(uri_path("k8s/app.yaml"), "k8s/app.yaml");
        assert_eq!(
            uri_path("dir\\a b%#?:é.yaml"),
            "dir/a%20b%25%23%3F%3A%C3%A9.yaml"
        );
    }
}
