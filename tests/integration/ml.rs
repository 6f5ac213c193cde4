//! ML projects as they are written: an MLflow project declares its dependencies in a conda
//! environment, and what it declares there counts.

use crate::common::{concise, run_in, tree};

const MLPROJECT: &[u8] = b"name: wine\n\nconda_env: conda.yaml\n\nentry_points:\n  main:\n    command: \"python train.py\"\n";

fn findings(conda: &[u8]) -> Vec<String> {
    let dir = tree(&[
        ("paved.toml", b"root = true\n"),
        ("MLproject", MLPROJECT),
        ("conda.yaml", conda),
        ("train.py", b"import mlflow\n"),
    ]);
    let (_, stdout, stderr) = run_in(
        dir.path(),
        &[
            "lint",
            ".",
            "-f",
            "concise",
            "--select",
            "ml/experiment-tracking",
            "--select",
            "ml/dependencies-pinned",
        ],
    );
    assert!(stderr.is_empty(), "{stderr}");
    concise(&stdout).into_iter().map(String::from).collect()
}

#[test]
fn a_conda_environment_declares_the_projects_dependencies() {
    let tracked =
        b"name: wine\ndependencies:\n  - numpy>=1.14.3\n  - pip\n  - pip:\n    - mlflow==2.16.0\n";
    assert_eq!(findings(tracked), Vec::<String>::new());
    let untracked = b"name: wine\ndependencies:\n  - numpy>=1.14.3\n  - pip:\n    - pandas\n";
    assert_eq!(
        findings(untracked),
        [
            "conda.yaml: warning [ml/experiment-tracking] no experiment tracking: no MLflow, Weights & Biases, Neptune, Comet or ClearML dependency",
            "conda.yaml:5:1: warning [ml/dependencies-pinned] pandas has no version: pin it with ==",
        ]
    );
}
