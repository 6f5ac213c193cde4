//! Sprig's date functions. Renders must be reproducible, so `now` is a fixed instant,
//! [`NOW`] (2024-01-01T00:00:00Z), and there is no time-zone database: every zone is UTC.
//! A Go `time.Time` is held as the text Go prints for it (`2024-01-01 00:00:00 +0000
//! UTC`); the date functions read that text back, and, as Sprig does for values that are
//! not times, take anything else as now.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike, Utc};

use super::args;
use super::Func;
use crate::render::helm::template::value::Value;

/// `now`: 2024-01-01T00:00:00Z, in Unix seconds.
pub const NOW: i64 = 1_704_067_200;

const GO_STRING: &str = "%Y-%m-%d %H:%M:%S%.f +0000 UTC";

fn now() -> DateTime<Utc> {
    Utc.timestamp_opt(NOW, 0).single().unwrap_or_default()
}

/// A time as a template value: what Go prints for a UTC `time.Time`.
fn time_value(t: DateTime<Utc>) -> Value {
    Value::String(t.format(GO_STRING).to_string())
}

/// Sprig's `toDate`-style argument: a time, Unix seconds, or (anything else) now.
fn as_time(v: &Value) -> DateTime<Utc> {
    match v {
        Value::Int(secs) => Utc.timestamp_opt(*secs, 0).single().unwrap_or_else(now),
        Value::String(s) => NaiveDateTime::parse_from_str(s, GO_STRING)
            .map(|t| t.and_utc())
            .unwrap_or_else(|_| now()),
        _ => now(),
    }
}

/// The reference-time elements of a Go layout, longest first where one is a prefix.
const ELEMENTS: &[&str] = &[
    "January", "Monday", "Z07:00", "-07:00", "Z0700", "-0700", "2006", "Jan", "Mon", "MST", "002",
    "-07", "01", "02", "_2", "06", "15", "03", "04", "05", "PM", "pm", "1", "2", "3", "4", "5",
];

/// Splits a layout into literal text and reference-time elements (`.000`/`.999` included).
fn layout_tokens(layout: &str) -> Vec<(bool, &str)> {
    let mut out = Vec::new();
    let mut rest = layout;
    let mut literal_start = layout;
    while !rest.is_empty() {
        let fraction = (rest.starts_with(".0") || rest.starts_with(".9"))
            .then(|| {
                let digit = rest.as_bytes()[1];
                1 + rest[1..].bytes().take_while(|b| *b == digit).count()
            })
            .filter(|len| !rest[*len..].starts_with(|c: char| c.is_ascii_digit()));
        let element = fraction.or_else(|| {
            ELEMENTS
                .iter()
                .find(|e| rest.starts_with(**e))
                .map(|e| e.len())
        });
        match element {
            Some(len) => {
                let used = literal_start.len() - rest.len();
                if used > 0 {
                    out.push((false, &literal_start[..used]));
                }
                out.push((true, &rest[..len]));
                rest = &rest[len..];
                literal_start = rest;
            }
            None => {
                let next = rest.chars().next().map_or(1, char::len_utf8);
                rest = &rest[next..];
            }
        }
    }
    if !literal_start.is_empty() {
        out.push((false, literal_start));
    }
    out
}

/// Go's `Time.Format` for a UTC time.
fn format(t: DateTime<Utc>, layout: &str) -> String {
    let hour12 = match t.hour() % 12 {
        0 => 12,
        h => h,
    };
    let mut out = String::new();
    for (element, text) in layout_tokens(layout) {
        if !element {
            out.push_str(text);
            continue;
        }
        let piece = match text {
            "January" => t.format("%B").to_string(),
            "Jan" => t.format("%b").to_string(),
            "Monday" => t.format("%A").to_string(),
            "Mon" => t.format("%a").to_string(),
            "MST" => "UTC".to_string(),
            "Z07:00" | "Z0700" => "Z".to_string(),
            "-07:00" => "+00:00".to_string(),
            "-0700" => "+0000".to_string(),
            "-07" => "+00".to_string(),
            "2006" => format!("{:04}", t.year()),
            "06" => format!("{:02}", t.year() % 100),
            "002" => format!("{:03}", t.ordinal()),
            "01" => format!("{:02}", t.month()),
            "1" => t.month().to_string(),
            "02" => format!("{:02}", t.day()),
            "_2" => format!("{:>2}", t.day()),
            "2" => t.day().to_string(),
            "15" => format!("{:02}", t.hour()),
            "03" => format!("{hour12:02}"),
            "3" => hour12.to_string(),
            "04" => format!("{:02}", t.minute()),
            "4" => t.minute().to_string(),
            "05" => format!("{:02}", t.second()),
            "5" => t.second().to_string(),
            "PM" => (if t.hour() >= 12 { "PM" } else { "AM" }).to_string(),
            "pm" => (if t.hour() >= 12 { "pm" } else { "am" }).to_string(),
            fraction => {
                let digits = fraction.len() - 1;
                let nanos = format!("{:09}", t.nanosecond());
                let shown = &nanos[..digits.min(9)];
                if fraction.as_bytes()[1] == b'9' {
                    let trimmed = shown.trim_end_matches('0');
                    if trimmed.is_empty() {
                        String::new()
                    } else {
                        format!(".{trimmed}")
                    }
                } else {
                    format!(".{shown}")
                }
            }
        };
        out.push_str(&piece);
    }
    out
}

/// Go's `time.ParseInLocation` for numeric layouts (UTC): the elements charts use.
fn parse(layout: &str, text: &str) -> Result<DateTime<Utc>, String> {
    let fail = || format!("parsing time {text:?} as {layout:?}: cannot parse");
    let (mut year, mut month, mut day, mut hour, mut minute, mut second) = (0, 1, 1, 0, 0, 0);
    let mut pm = None;
    let mut rest = text;
    let number = |rest: &mut &str, width: usize, exact: bool| -> Result<u32, String> {
        let len = rest.bytes().take_while(u8::is_ascii_digit).count();
        let len = if exact { width } else { len.min(width.max(2)) };
        if len == 0 || rest.len() < len || !rest[..len].bytes().all(|b| b.is_ascii_digit()) {
            return Err(fail());
        }
        let value = rest[..len].parse().map_err(|_| fail())?;
        *rest = &rest[len..];
        Ok(value)
    };
    for (element, token) in layout_tokens(layout) {
        if !element {
            rest = rest.strip_prefix(token).ok_or_else(fail)?;
            continue;
        }
        match token {
            "2006" => year = number(&mut rest, 4, true)? as i32,
            "06" => year = 2000 + number(&mut rest, 2, true)? as i32,
            "01" => month = number(&mut rest, 2, true)?,
            "1" => month = number(&mut rest, 2, false)?,
            "02" => day = number(&mut rest, 2, true)?,
            "2" | "_2" => {
                rest = rest.trim_start_matches(' ');
                day = number(&mut rest, 2, false)?
            }
            "15" => hour = number(&mut rest, 2, true)?,
            "03" => hour = number(&mut rest, 2, true)?,
            "3" => hour = number(&mut rest, 2, false)?,
            "04" => minute = number(&mut rest, 2, true)?,
            "4" => minute = number(&mut rest, 2, false)?,
            "05" => second = number(&mut rest, 2, true)?,
            "5" => second = number(&mut rest, 2, false)?,
            "PM" | "pm" => {
                let word = rest.get(..2).ok_or_else(fail)?;
                pm = Some(word.eq_ignore_ascii_case("PM"));
                rest = &rest[2..];
            }
            "MST" => rest = rest.strip_prefix("UTC").ok_or_else(fail)?,
            "Z07:00" | "Z0700" => rest = rest.strip_prefix('Z').ok_or_else(fail)?,
            _ => return Err(fail()),
        }
    }
    if !rest.is_empty() {
        return Err(format!("parsing time {text:?}: extra text: {rest:?}"));
    }
    if let Some(pm) = pm {
        hour = hour % 12 + if pm { 12 } else { 0 };
    }
    let date = NaiveDate::from_ymd_opt(year, month, day).ok_or_else(fail)?;
    let time = NaiveTime::from_hms_opt(hour, minute, second).ok_or_else(fail)?;
    Ok(date.and_time(time).and_utc())
}

fn to_date(a: &[Value]) -> Result<Value, String> {
    args::count(a, 2)?;
    parse(args::string(&a[0])?, args::string(&a[1])?).map(time_value)
}

/// Go's `Duration.String` for whole seconds (`ago` rounds to seconds).
fn duration(secs: i64) -> String {
    if secs == 0 {
        return "0s".to_string();
    }
    let sign = if secs < 0 { "-" } else { "" };
    let s = secs.unsigned_abs();
    let (h, m, s) = (s / 3600, s / 60 % 60, s % 60);
    match (h, m) {
        (0, 0) => format!("{sign}{s}s"),
        (0, _) => format!("{sign}{m}m{s}s"),
        _ => format!("{sign}{h}h{m}m{s}s"),
    }
}

pub const FUNCTIONS: &[(&str, Func)] = &[
    ("now", |a| {
        args::count(a, 0)?;
        Ok(time_value(now()))
    }),
    ("date", |a| {
        args::count(a, 2)?;
        Ok(Value::String(format(as_time(&a[1]), args::string(&a[0])?)))
    }),
    ("dateInZone", |a| {
        args::count(a, 3)?;
        Ok(Value::String(format(as_time(&a[1]), args::string(&a[0])?)))
    }),
    ("htmlDate", |a| {
        args::count(a, 1)?;
        Ok(Value::String(format(as_time(&a[0]), "2006-01-02")))
    }),
    ("htmlDateInZone", |a| {
        args::count(a, 2)?;
        Ok(Value::String(format(as_time(&a[0]), "2006-01-02")))
    }),
    // Sprig's `toDate` gives Go's zero time when the text does not parse.
    ("toDate", |a| {
        Ok(to_date(a)
            .unwrap_or_else(|_| Value::String("0001-01-01 00:00:00 +0000 UTC".to_string())))
    }),
    ("mustToDate", to_date),
    ("unixEpoch", |a| {
        args::count(a, 1)?;
        Ok(Value::String(as_time(&a[0]).timestamp().to_string()))
    }),
    ("ago", |a| {
        args::count(a, 1)?;
        Ok(Value::String(duration(NOW - as_time(&a[0]).timestamp())))
    }),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_format_with_go_layouts() {
        let t = parse("2006-01-02 15:04:05", "2017-12-31 13:04:09").unwrap();
        assert_eq!(
            format(t, "Mon Jan _2 03:04:05PM 2006 -07:00 MST .000"),
            "Sun Dec 31 01:04:09PM 2017 +00:00 UTC .000"
        );
        assert_eq!(
            format(now(), "2006-01-02T15:04:05Z07:00"),
            "2024-01-01T00:00:00Z"
        );
        assert_eq!(time_value(t), Value::from("2017-12-31 13:04:09 +0000 UTC"));
        assert_eq!(as_time(&time_value(t)), t);
        assert_eq!(duration(3723), "1h2m3s");
        assert!(parse("2006-01-02", "2017-1-02").is_err());
    }
}
