//! How far an audit is: a bar on a terminal (repositories done of total, findings so far,
//! rate, time left), plain lines on standard error otherwise (a CI log or a pod's log has
//! no use for a redrawn bar), nothing with `--quiet`. Standard output carries only lines.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::report::plural;

/// Plain progress is said at most this often, and at least every [`PLAIN_EVERY`] repositories.
const PLAIN_INTERVAL: Duration = Duration::from_secs(10);
const PLAIN_EVERY: usize = 100;

pub struct Progress {
    shown: Shown,
    total: usize,
    done: AtomicUsize,
    findings: AtomicUsize,
    started: Instant,
}

enum Shown {
    Bar(ProgressBar),
    /// When the last plain line was said, and at how many repositories.
    Plain(Mutex<(Instant, usize)>),
    Nothing,
}

impl Progress {
    pub fn new(total: usize, quiet: bool) -> Progress {
        let shown = if quiet {
            Shown::Nothing
        } else if std::io::stderr().is_terminal() {
            let style = ProgressStyle::with_template(
                "{bar:30} {pos}/{len} repositories, {msg}, {per_sec}, {eta} left",
            )
            .expect("a valid template");
            let bar =
                ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr())
                    .with_style(style);
            bar.set_message("0 findings");
            Shown::Bar(bar)
        } else {
            Shown::Plain(Mutex::new((Instant::now(), 0)))
        };
        Progress {
            shown,
            total,
            done: AtomicUsize::new(0),
            findings: AtomicUsize::new(0),
            started: Instant::now(),
        }
    }

    /// One more repository done, with its findings.
    pub fn finished(&self, findings: usize) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        let found = self.findings.fetch_add(findings, Ordering::Relaxed) + findings;
        match &self.shown {
            Shown::Bar(bar) => {
                bar.set_message(format!("{found} findings"));
                bar.inc(1);
            }
            Shown::Plain(last) => {
                let mut last = last.lock().unwrap_or_else(|e| e.into_inner());
                if done == self.total
                    || done - last.1 >= PLAIN_EVERY
                    || last.0.elapsed() >= PLAIN_INTERVAL
                {
                    *last = (Instant::now(), done);
                    eprintln!("{}", self.plain_line(done, found));
                }
            }
            Shown::Nothing => {}
        }
    }

    pub fn finish(&self) {
        if let Shown::Bar(bar) = &self.shown {
            bar.finish();
        }
    }

    fn plain_line(&self, done: usize, findings: usize) -> String {
        let seconds = self.started.elapsed().as_secs_f64();
        let rate = if seconds > 0.0 {
            done as f64 / seconds
        } else {
            0.0
        };
        let left = if rate > 0.0 {
            format!(", about {:.0}s left", (self.total - done) as f64 / rate)
        } else {
            String::new()
        };
        format!(
            "audited {done}/{}, {}, {rate:.1} repositories/s{left}",
            plural(self.total, "repository"),
            plural(findings, "finding")
        )
    }
}
