//! The floor under `paved test` on large YAML: saphyr-parser's events alone (no values, no
//! positions) against paved's YAML parse of the same files, each read from memory: as
//! `paved test` reads them (YAML 1.1, no source map, straight to regorus values), the same
//! into `serde_json` values and converted (as it read them before), and as `paved lint`
//! does (with a source map).
//! `bench/throughput.sh` compares whole `paved test` runs with OPA; this says how much of a
//! run no change to paved's own code can remove.
//!
//!   cargo bench --bench yaml_floor -- FILE_LIST     (one path per line, as
//!   `python3 bench/throughput/files.py /tmp/corpus target/release/paved` prints)

use std::hint::black_box;
use std::time::Instant;

use paved::parse::{parse, regorus_documents, to_regorus, Dialect, Format, Kind, Options};
use saphyr_parser::Parser;

const ROUNDS: usize = 5;

fn main() {
    let Some(list) = std::env::args().skip(1).find(|a| !a.starts_with('-')) else {
        eprintln!("usage: cargo bench --bench yaml_floor -- FILE_LIST");
        std::process::exit(2);
    };
    let texts: Vec<String> = std::fs::read_to_string(&list)
        .expect("the file list")
        .lines()
        .filter_map(|path| std::fs::read_to_string(path).ok())
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let events = seconds(|| {
        for text in &texts {
            let mut parser = Parser::new_from_str(text);
            while let Some(event) = parser.next_event() {
                black_box(event.is_ok());
            }
        }
    });
    let parsed = |options: Options| {
        seconds(|| {
            for text in &texts {
                black_box(parse(text, Format::Yaml, Kind::Yaml, options));
            }
        })
    };
    let test_options = Options {
        dialect: Dialect::Yaml11,
        source_map: false,
        last_duplicate_wins: false,
    };
    let test = seconds(|| {
        for text in &texts {
            black_box(regorus_documents(text, test_options, None));
        }
    });
    let converted = seconds(|| {
        for text in &texts {
            let parsed = parse(text, Format::Yaml, Kind::Yaml, test_options);
            for document in &parsed.documents {
                black_box(to_regorus(&document.value));
            }
        }
    });
    let lint = parsed(Options::default());
    println!("{} files, {:.1} MB", texts.len(), bytes as f64 / 1e6);
    for (what, seconds) in [
        ("saphyr-parser's events", events),
        ("paved's parse, as paved test", test),
        ("  through serde_json, converted", converted),
        ("paved's parse, as paved lint", lint),
    ] {
        println!(
            "{what:30} {:7.1} ms {:5.0} MB/s",
            seconds * 1e3,
            bytes as f64 / seconds / 1e6
        );
    }
}

/// The fastest of `ROUNDS` runs, in seconds.
fn seconds(mut run: impl FnMut()) -> f64 {
    (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}
