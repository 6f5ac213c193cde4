//! A file's text with a line index, so byte offsets turn into the 1-based line and
//! character column people see (columns count characters, not bytes). A line ends at `\n`,
//! `\r\n` or a lone `\r` (old Mac files), as editors count them.

use std::ops::Range;
use std::sync::Arc;

/// A byte range into a file's text.
pub type Span = Range<usize>;

/// A 1-based line and 1-based character column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

pub struct SourceFile<'a> {
    pub text: &'a str,
    line_starts: Arc<[usize]>,
}

impl<'a> SourceFile<'a> {
    pub fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        line_starts.extend(
            bytes
                .iter()
                .enumerate()
                .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
                .map(|(i, _)| i + 1),
        );
        SourceFile {
            text,
            line_starts: line_starts.into(),
        }
    }

    /// The same text with an index built before: a file located many times is indexed once.
    pub fn with_index_of(text: &'a str, indexed: &SourceFile<'_>) -> Self {
        SourceFile {
            text,
            line_starts: Arc::clone(&indexed.line_starts),
        }
    }

    /// The 1-based line of a byte offset (clamped to the text). Where only the line is
    /// wanted: a position counts the characters before it on its line, which on a
    /// minified file of one 2 MB line, once per entry, is quadratic.
    pub fn line(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        self.line_starts.partition_point(|&start| start <= offset)
    }

    /// The position of a byte offset (clamped to the text, moved back to a char boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let column = self.text[self.line_starts[line]..offset].chars().count() + 1;
        Position {
            line: line + 1,
            column,
        }
    }

    /// The byte offset of a 1-based line and 0-based character column.
    pub fn offset(&self, line: usize, char_column: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let rest = &self.text[start..];
        rest.char_indices()
            .nth(char_column)
            .map_or(self.text.len(), |(i, _)| start + i)
    }

    /// The byte span of a whole 1-based line, without its line break.
    pub fn line_span(&self, line: usize) -> Span {
        let start = self.offset(line, 0);
        let end = self.text[start..]
            .find(['\n', '\r'])
            .map_or(self.text.len(), |i| start + i);
        start..end
    }

    /// Each line's text without its line break, in order (line `i + 1` is item `i`); like
    /// `str::lines`, a final line break does not start another line.
    pub fn lines(&self) -> impl Iterator<Item = &'a str> + '_ {
        let ends_with_break = self.text.ends_with(['\n', '\r']);
        let count = self.line_count() - usize::from(ends_with_break);
        (1..=count).map(|line| &self.text[self.line_span(line)])
    }

    /// `span` cut at the end of the line it starts on.
    pub fn first_line_of(&self, span: Span) -> Span {
        let line = self.line_span(self.position(span.start).line);
        span.start..span.end.min(line.end).max(span.start)
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let file = SourceFile::new("a: 1\nnäme: ü\n");
        assert_eq!(file.position(5), Position { line: 2, column: 1 });
        let u = file.text.find('ü').unwrap();
        assert_eq!(file.position(u), Position { line: 2, column: 7 });
        assert_eq!(file.offset(2, 6), u);
        assert_eq!(file.line_span(2), 5..14);
    }

    #[test]
    fn the_line_alone_is_the_positions_line_at_every_offset() {
        let text = "a: 1\rnäme: ü\r\n\nc: 3\n";
        let file = SourceFile::new(text);
        for offset in 0..=text.len() + 2 {
            assert_eq!(file.line(offset), file.position(offset).line, "{offset}");
        }
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line_and_crlf_is_one_break() {
        let file = SourceFile::new("a: 1\rb: 2\r\nc: 3\n\rd");
        assert_eq!(file.line_count(), 5);
        assert_eq!(
            SourceFile::new("a\r\nb\r").lines().collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert_eq!(file.position(5), Position { line: 2, column: 1 });
        assert_eq!(file.position(11), Position { line: 3, column: 1 });
        assert_eq!(file.position(17), Position { line: 5, column: 1 });
        assert_eq!(
            file.lines().collect::<Vec<_>>(),
            ["a: 1", "b: 2", "c: 3", "", "d"]
        );
        assert_eq!(file.offset(3, 2), 13);
    }
}
