//! `paved verify`: runs every `test_*` rule with OPA test semantics (a test passes when it
//! evaluates to `true`), since regorus has no `opa test`.

use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::Value;

use super::{PolicyError, PolicyFile};
use crate::engine::{compile, Compiled};

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum Outcome {
    Pass,
    Fail { reason: String },
    Skip,
}

#[derive(Debug, Clone, Serialize)]
pub struct TestResult {
    pub package: String,
    pub name: String,
    pub file: String,
    pub line: usize,
    #[serde(flatten)]
    pub outcome: Outcome,
    #[serde(serialize_with = "micros")]
    pub duration: Duration,
    /// What the test printed with `print()`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub output: Vec<String>,
}

fn micros<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(d.as_micros() as u64)
}

/// Runs the tests found in `files`, in file order then line order.
pub fn run(files: &[PolicyFile], data: Vec<Value>) -> Result<Vec<TestResult>, PolicyError> {
    let Compiled {
        mut regorus,
        packages,
        heads,
    } = compile(files, data, false)?;
    regorus.set_gather_prints(true);
    let mut results = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (file, package) in files.iter().zip(&packages) {
        for head in heads.get(&file.path).into_iter().flatten() {
            let todo = head.name.starts_with("todo_test_");
            if !(todo || head.name.starts_with("test_"))
                || !seen.insert((package.clone(), head.name.clone()))
            {
                continue;
            }
            let started = Instant::now();
            let outcome = if todo {
                Outcome::Skip
            } else {
                match regorus.eval_rule(format!("data.{package}.{}", head.name)) {
                    Ok(regorus::Value::Bool(true)) => Outcome::Pass,
                    Ok(regorus::Value::Undefined) => Outcome::Fail {
                        reason: "undefined".into(),
                    },
                    Ok(other) => Outcome::Fail {
                        reason: format!("evaluated to {other}"),
                    },
                    Err(e) => Outcome::Fail {
                        reason: crate::engine::describe(&e),
                    },
                }
            };
            let duration = started.elapsed();
            results.push(TestResult {
                package: package.clone(),
                name: head.name.clone(),
                file: file.path.clone(),
                line: head.line,
                outcome,
                duration,
                output: regorus.take_prints().unwrap_or_default(),
            });
        }
    }
    Ok(results)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_fails_and_skips() {
        let files = [PolicyFile {
            path: "t_test.rego".into(),
            text: "package t\nimport rego.v1\nallow if input.ok\ntest_ok if allow with input as {\"ok\": true}\ntest_bad if allow with input as {\"ok\": false}\ntest_print if { print(\"hi\"); true }\ntodo_test_later if false\n".into(),
        }];
        let results = run(&files, vec![]).unwrap();
        let outcomes: Vec<(&str, &Outcome)> = results
            .iter()
            .map(|r| (r.name.as_str(), &r.outcome))
            .collect();
        assert_eq!(outcomes[0], ("test_ok", &Outcome::Pass));
        assert_eq!(
            outcomes[1],
            (
                "test_bad",
                &Outcome::Fail {
                    reason: "undefined".into()
                }
            )
        );
        assert_eq!(outcomes[3], ("todo_test_later", &Outcome::Skip));
        assert_eq!(results[2].output.len(), 1);
    }
}
