//! A file's text with a line index, so byte offsets turn into the 1-based line and
//! character column people see (columns count characters, not bytes).

use std::ops::Range;

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
    line_starts: Vec<usize>,
}

impl<'a> SourceFile<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        SourceFile { text, line_starts }
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
            .find('\n')
            .map_or(self.text.len(), |i| start + i);
        let end = if end > start && self.text.as_bytes()[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        start..end
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
}
