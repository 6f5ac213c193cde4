//! The nesting pre-check: recursive parsers (`jsonc-parser`, `hcl-edit`) have no depth limit
//! of their own, so bracket nesting deeper than [`MAX_DEPTH`] is refused before they run.
//! Only brackets that are code count: not those in comments, strings or heredocs, except
//! inside HCL template interpolations (`${...}`, `%{...}`), which are code again.

use super::{ParseError, MAX_DEPTH};

/// The comment and string syntax of the text being checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// JSON with `//` and `/* */` comments.
    Json,
    /// HCL: `#`, `//` and `/* */` comments, templates in strings, heredocs.
    Hcl,
}

/// Where the scanner stands: in code, or inside quoted text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode<'a> {
    Code,
    String,
    /// A heredoc, closed by a line holding only this marker.
    Heredoc(&'a str),
}

/// Refuses code nesting deeper than [`MAX_DEPTH`]; `base` is added to the error's span.
pub fn nesting_error(text: &str, base: usize, syntax: Syntax) -> Option<ParseError> {
    let bytes = text.as_bytes();
    let hcl = syntax == Syntax::Hcl;
    // What each open bracket returns to when it closes: code, or the text it interrupted.
    let mut open: Vec<Mode<'_>> = Vec::new();
    let mut mode = Mode::Code;
    let mut i = 0;
    while i < bytes.len() {
        let rest = &bytes[i..];
        match mode {
            Mode::Code => match rest {
                [b'#', ..] if hcl => i = line_end(bytes, i),
                [b'/', b'/', ..] => i = line_end(bytes, i),
                [b'/', b'*', ..] => i = find(bytes, i + 2, b"*/").map_or(bytes.len(), |e| e + 2),
                [b'"', ..] => {
                    mode = Mode::String;
                    i += 1;
                }
                [b'<', b'<', ..] if hcl => match heredoc_marker(text, i) {
                    Some((marker, body)) => {
                        mode = Mode::Heredoc(marker);
                        i = body;
                    }
                    None => i += 2,
                },
                [b'[' | b'{' | b'(', ..] => {
                    open.push(Mode::Code);
                    if open.len() > MAX_DEPTH {
                        return Some(too_deep(base + i));
                    }
                    i += 1;
                }
                [b']' | b'}' | b')', ..] => {
                    mode = open.pop().unwrap_or(Mode::Code);
                    i += 1;
                }
                _ => i += 1,
            },
            Mode::Heredoc(marker) if is_line_start(bytes, i) && closes(text, i, marker) => {
                mode = Mode::Code;
                i = line_end(bytes, i);
            }
            Mode::String | Mode::Heredoc(_) => match rest {
                [b'\\', _, ..] if mode == Mode::String => i += 2,
                [b'"', ..] if mode == Mode::String => {
                    mode = Mode::Code;
                    i += 1;
                }
                [b'$', b'$', b'{', ..] | [b'%', b'%', b'{', ..] if hcl => i += 3,
                [b'$' | b'%', b'{', ..] if hcl => {
                    open.push(mode);
                    if open.len() > MAX_DEPTH {
                        return Some(too_deep(base + i));
                    }
                    mode = Mode::Code;
                    i += 2;
                }
                _ => i += 1,
            },
        }
    }
    None
}

fn too_deep(at: usize) -> ParseError {
    ParseError::new(format!("nested deeper than {MAX_DEPTH} levels"), at..at + 1)
}

fn line_end(bytes: &[u8], from: usize) -> usize {
    find(bytes, from, b"\n").unwrap_or(bytes.len())
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

fn is_line_start(bytes: &[u8], i: usize) -> bool {
    i == 0 || bytes[i - 1] == b'\n'
}

/// `<<EOT` or `<<-EOT` at `at`, ending its line: the marker and where the body starts.
fn heredoc_marker(text: &str, at: usize) -> Option<(&str, usize)> {
    let after = text[at + 2..].strip_prefix('-').unwrap_or(&text[at + 2..]);
    let start = text.len() - after.len();
    let length = after
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(after.len());
    let marker = &after[..length];
    let newline = after[length..]
        .strip_prefix("\r\n")
        .or_else(|| after[length..].strip_prefix('\n'))?;
    (!marker.is_empty()).then(|| (&text[start..start + length], text.len() - newline.len()))
}

/// Whether the line starting at `at` holds only the heredoc's closing marker.
fn closes(text: &str, at: usize, marker: &str) -> bool {
    let line = text[at..].split('\n').next().unwrap_or_default();
    line.trim() == marker
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deep(open: &str, close: &str) -> String {
        open.repeat(MAX_DEPTH + 1) + &close.repeat(MAX_DEPTH + 1)
    }

    #[test]
    fn brackets_in_code_count() {
        let text = format!("a = {}\n", deep("[", "]"));
        let error = nesting_error(&text, 3, Syntax::Hcl).unwrap();
        assert_eq!(error.message, "nested deeper than 256 levels");
        assert_eq!(error.span, 3 + 4 + MAX_DEPTH..3 + 5 + MAX_DEPTH);
        assert!(nesting_error(&deep("[", "]"), 0, Syntax::Json).is_some());
    }

    #[test]
    fn brackets_in_comments_strings_and_heredocs_do_not_count() {
        let many = "{".repeat(10_000);
        let hcl = [
            format!("# {many}\nb = 1\n"),
            format!("// {many}\nb = 1\n"),
            format!("/* {many}\n{many} */ b = 1\n"),
            format!("b = \"{many}\\\" $${{ {many}\"\n"),
            format!("p = <<EOT\n{many}\n  EOT\nq = <<-X\n{many}\nX\n"),
        ];
        for text in &hcl {
            assert_eq!(nesting_error(text, 0, Syntax::Hcl), None, "{text:.40}");
        }
        let json = format!("{{\"a\": \"{many}\" // {many}\n /* {many} */ }}");
        assert_eq!(nesting_error(&json, 0, Syntax::Json), None);
        // `#` is not a JSON comment.
        assert!(nesting_error(&format!("# {many}"), 0, Syntax::Json).is_some());
    }

    #[test]
    fn template_interpolations_are_code_again() {
        let in_string = format!("a = \"${{{}}}\"\n", deep("[", "]"));
        assert!(nesting_error(&in_string, 0, Syntax::Hcl).is_some());
        let nested_templates = format!("a = {}\n", "\"${".repeat(MAX_DEPTH + 1));
        assert!(nesting_error(&nested_templates, 0, Syntax::Hcl).is_some());
        let in_heredoc = format!("a = <<EOT\n%{{ if {} }}\nEOT\n", deep("(", ")"));
        assert!(nesting_error(&in_heredoc, 0, Syntax::Hcl).is_some());
        // The string resumes after its interpolation: its brackets stop counting.
        let resumed = format!("a = \"${{x}} {}\"\n", "[".repeat(1000));
        assert_eq!(nesting_error(&resumed, 0, Syntax::Hcl), None);
    }
}
