//! Sprig's reflection and float functions: `kindOf`, `kindIs`, `typeOf`, `typeIs`,
//! `typeIsLike`, `deepEqual`, `round` and the `*f` arithmetic.

use super::args::{self, to_f64};
use super::Func;
use crate::render::helm::template::value::Value;

fn floats(a: &[Value]) -> impl Iterator<Item = f64> + '_ {
    a.iter().map(to_f64)
}

/// Sprig's `round`: `roundOn` (default .5) decides whether the fraction rounds up.
fn round(a: &[Value]) -> Result<Value, String> {
    if !(2..=3).contains(&a.len()) {
        return Err(format!("wrong number of args: want 2 or 3 got {}", a.len()));
    }
    let places = args::int(&a[1])?;
    let round_on = a.get(2).map_or(0.5, to_f64);
    let pow = 10f64.powi(i32::try_from(places).unwrap_or(0));
    let digit = pow * to_f64(&a[0]);
    let rounded = if digit.fract() >= round_on {
        digit.ceil()
    } else {
        digit.floor()
    };
    Ok(Value::Float(rounded / pow))
}

pub const FUNCTIONS: &[(&str, Func)] = &[
    ("kindOf", |a| {
        args::count(a, 1)?;
        Ok(Value::String(a[0].kind_name().to_string()))
    }),
    ("kindIs", |a| {
        args::count(a, 2)?;
        Ok(Value::Bool(args::string(&a[0])? == a[1].kind_name()))
    }),
    ("typeOf", |a| {
        args::count(a, 1)?;
        Ok(Value::String(a[0].type_name().to_string()))
    }),
    ("typeIs", |a| {
        args::count(a, 2)?;
        Ok(Value::Bool(args::string(&a[0])? == a[1].type_name()))
    }),
    ("typeIsLike", |a| {
        args::count(a, 2)?;
        let (want, got) = (args::string(&a[0])?, a[1].type_name());
        // True when the value's type is the type or a pointer to it.
        Ok(Value::Bool(
            want == got || got.strip_prefix('*') == Some(want),
        ))
    }),
    ("deepEqual", |a| {
        args::count(a, 2)?;
        Ok(Value::Bool(a[0] == a[1]))
    }),
    ("round", round),
    ("addf", |a| Ok(Value::Float(floats(a).sum()))),
    ("add1f", |a| {
        args::count(a, 1)?;
        Ok(Value::Float(to_f64(&a[0]) + 1.0))
    }),
    ("subf", |a| {
        let (first, rest) = a
            .split_first()
            .ok_or("wrong number of args: want at least 1 got 0")?;
        Ok(Value::Float(floats(rest).fold(to_f64(first), |x, y| x - y)))
    }),
    ("mulf", |a| Ok(Value::Float(floats(a).product()))),
    ("divf", |a| {
        let (first, rest) = a
            .split_first()
            .ok_or("wrong number of args: want at least 1 got 0")?;
        Ok(Value::Float(floats(rest).fold(to_f64(first), |x, y| x / y)))
    }),
    ("maxf", |a| {
        Ok(Value::Float(floats(a).fold(f64::NEG_INFINITY, f64::max)))
    }),
    ("minf", |a| {
        Ok(Value::Float(floats(a).fold(f64::INFINITY, f64::min)))
    }),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_types_and_rounding() {
        let run = |name: &str, a: &[Value]| {
            FUNCTIONS.iter().find(|(n, _)| *n == name).unwrap().1(a).unwrap()
        };
        let s = Value::from;
        assert_eq!(run("kindOf", &[Value::list(vec![])]), s("slice"));
        assert_eq!(
            run("kindIs", &[s("invalid"), Value::Null]),
            Value::Bool(true)
        );
        assert_eq!(run("typeOf", &[Value::Float(1.0)]), s("float64"));
        assert_eq!(
            run("typeIsLike", &[s("*string"), s("x")]),
            Value::Bool(false)
        );
        assert_eq!(
            run("round", &[Value::Float(123.5555), Value::Int(3)]),
            Value::Float(123.556)
        );
        assert_eq!(
            run(
                "round",
                &[Value::Float(123.4), Value::Int(0), Value::Float(0.3)]
            ),
            Value::Float(124.0)
        );
    }
}
