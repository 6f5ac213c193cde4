//! The lines a snippet shows, cut out of the file before miette sees it. miette prints whole
//! lines and finds a span's line by scanning the file from its start: a finding in a
//! minified JSON file printed its 200,000-character line, and each finding of a large file
//! scanned it again. An excerpt is the span's line and one line either side, each cut to
//! [`MAX_CHARS`] characters around the span, numbered as in the file.

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::source::Span;

/// The most characters a snippet line shows: wider than any terminal, narrower than a
/// minified file.
pub const MAX_CHARS: usize = 200;
/// Characters kept before the span when its line is cut.
const BEFORE_SPAN: usize = 60;
const CUT: &str = "…";

/// A few lines of a file around a span, with the file's line and column numbers.
pub struct Excerpt {
    name: String,
    text: String,
    /// The file's line (0-based) of the excerpt's first line.
    first_line: usize,
    /// The span's line within the excerpt, and its start column (0-based) in the file.
    focus: (usize, usize),
}

impl Excerpt {
    /// The excerpt of `text` around `span` (within one line), whose start is at `line` and
    /// `column` (1-based, as findings count them), and the span within the excerpt.
    pub fn around(
        name: String,
        text: &str,
        span: &Span,
        line: usize,
        column: usize,
    ) -> (Excerpt, Span) {
        let start = floor_char_boundary(text, span.start.min(text.len()));
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let previous = line_start
            .checked_sub(1)
            .map(|end| text[..end].rfind('\n').map_or(0, |i| i + 1));
        let line_end = line_end(text, start);
        let mut excerpt = String::new();
        if let Some(previous) = previous {
            excerpt.push_str(&cut(&text[previous..line_start - 1], 0).text);
            excerpt.push('\n');
        }
        let focus_line = usize::from(previous.is_some());
        let focus = cut(&text[line_start..line_end], start - line_start);
        let span_start = excerpt.len() + focus.at;
        let span_end = (span_start + span.end.saturating_sub(start)).min(excerpt.len() + focus.end);
        excerpt.push_str(&focus.text);
        // The file's last line break ends the focus line; it opens no line of its own.
        if line_end + 1 < text.len() {
            let next_end = self::line_end(text, line_end + 1);
            excerpt.push('\n');
            excerpt.push_str(&cut(&text[line_end + 1..next_end], 0).text);
        }
        let excerpt = Excerpt {
            name,
            text: excerpt,
            first_line: line.saturating_sub(1 + focus_line),
            focus: (focus_line, column.saturating_sub(1)),
        };
        (excerpt, span_start..span_end.max(span_start))
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.read_span(span, before, after)?;
        // The header shows the span's column in the file, not in the cut line.
        let column = if inner.line() == self.focus.0 {
            self.focus.1
        } else {
            inner.column()
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line,
            column,
            inner.line_count(),
        )))
    }
}

/// The end of the line holding `offset` (before its `\n`).
fn line_end(text: &str, offset: usize) -> usize {
    text[offset..].find('\n').map_or(text.len(), |i| offset + i)
}

/// A line as a snippet shows it.
struct Cut {
    text: String,
    /// Where the byte asked for lands in `text`.
    at: usize,
    /// The end of the line's own text in `text` (before a trailing `…`).
    end: usize,
}

/// `line` (without its break) cut to [`MAX_CHARS`] characters that show byte `at`, with
/// `…` where it was cut.
fn cut(line: &str, at: usize) -> Cut {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let at = floor_char_boundary(line, at.min(line.len()));
    if line.chars().count() <= MAX_CHARS {
        let text = line.to_string();
        let end = text.len();
        return Cut { text, at, end };
    }
    let from = line[..at]
        .char_indices()
        .rev()
        .nth(BEFORE_SPAN - 1)
        .map_or(0, |(i, _)| i);
    let mut text = String::new();
    if from > 0 {
        text.push_str(CUT);
    }
    let at = text.len() + at - from;
    let kept: String = line[from..].chars().take(MAX_CHARS).collect();
    let whole = from + kept.len() == line.len();
    text.push_str(&kept);
    let end = text.len();
    if !whole {
        text.push_str(CUT);
    }
    Cut { text, at, end }
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(
        text: &str,
        span: Span,
        line: usize,
        column: usize,
    ) -> (String, String, (usize, usize)) {
        let (excerpt, span) = Excerpt::around("f".into(), text, &span, line, column);
        let contents = excerpt.read_span(&span.clone().into(), 0, 0).unwrap();
        let header = (contents.line() + 1, contents.column() + 1);
        (excerpt.text.clone(), excerpt.text[span].to_string(), header)
    }

    #[test]
    fn short_lines_are_the_files_lines() {
        let text = "a: 1\nb: 2\nc: 3\nd: 4\n";
        assert_eq!(
            shown(text, 8..9, 2, 4),
            ("a: 1\nb: 2\nc: 3".into(), "2".into(), (2, 4))
        );
        assert_eq!(
            shown(text, 0..1, 1, 1),
            ("a: 1\nb: 2".into(), "a".into(), (1, 1))
        );
        assert_eq!(
            shown("x\r\ny", 3..4, 2, 1),
            ("x\ny".into(), "y".into(), (2, 1))
        );
    }

    #[test]
    fn a_long_line_is_cut_around_the_span_and_keeps_its_numbers() {
        let long = format!(
            "{}é{}{}",
            "[".repeat(1000),
            "x".repeat(10),
            "]".repeat(1000)
        );
        let text = format!("{{\n{long}\n{long}\n");
        let start = text.find('x').unwrap();
        let (excerpt, span, header) = shown(&text, start..start + 3, 2, 1002);
        let lines: Vec<&str> = excerpt.lines().collect();
        assert_eq!(lines[0], "{");
        assert!(
            lines[1].starts_with(&format!("…{}é", "[".repeat(59))),
            "{}",
            lines[1]
        );
        assert!(lines[1].ends_with("]…"));
        assert_eq!(lines[1].chars().count(), MAX_CHARS + 2);
        assert_eq!(lines[2], format!("{}…", "[".repeat(MAX_CHARS)));
        assert_eq!(span, "xxx");
        assert_eq!(header, (2, 1002));
    }

    #[test]
    fn a_span_past_the_cut_ends_at_it() {
        let text = format!("k: {}\n", "v".repeat(1000));
        let (excerpt, span, header) = shown(&text, 3..1003, 1, 4);
        assert_eq!(excerpt, format!("k: {}…", "v".repeat(MAX_CHARS - 3)));
        assert_eq!(span, "v".repeat(MAX_CHARS - 3));
        assert_eq!(header, (1, 4));
    }
}
