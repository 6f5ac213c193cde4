//! Standard output that a closed pipe silences instead of failing. `paved lint | head -1`
//! closes the pipe early: that is the reader's choice, so nothing more is printed and no
//! error is shown, but the command still runs to its end and exits with the status its
//! findings give — a gate must not pass because its reader stopped reading.

use std::io::{ErrorKind, StdoutLock, Write};

pub struct Stdout {
    inner: StdoutLock<'static>,
    closed: bool,
}

/// The process's standard output, locked, silenced once its reader has gone.
pub fn stdout() -> Stdout {
    Stdout {
        inner: std::io::stdout().lock(),
        closed: false,
    }
}

impl Stdout {
    /// What happened to a write: a closed pipe swallows it, and every later one.
    fn outcome<T>(&mut self, result: std::io::Result<T>, swallowed: T) -> std::io::Result<T> {
        match result {
            Err(e) if e.kind() == ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(swallowed)
            }
            other => other,
        }
    }
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        let result = self.inner.write(buf);
        self.outcome(result, buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let result = self.inner.flush();
        self.outcome(result, ())
    }
}
