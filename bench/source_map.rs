//! What the source map costs: parse the same corpus with and without it and report the time
//! per file and the overhead. Run with `cargo bench --bench source_map`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use paved::parse::{parse, Format, Kind, Options};

const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api-{i}\n  labels: {app: api, team: payments}\nspec:\n  replicas: 3\n  template:\n    metadata:\n      annotations:\n        prometheus.io/scrape: \"true\"\n    spec:\n      containers:\n        - name: api\n          image: registry.example.com/api:1.{i}.0\n          env:\n            - {name: OTEL_SERVICE_NAME, value: api}\n            - {name: LOG_LEVEL, value: info}\n          resources:\n            requests: {cpu: 100m, memory: 128Mi}\n            limits: {cpu: \"1\", memory: 256Mi}\n          readinessProbe:\n            httpGet: {path: /ready, port: 8080}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: api-{i}\nspec:\n  ports:\n    - port: 80\n      targetPort: 8080\n";
const TERRAFORM: &str = "resource \"aws_s3_bucket\" \"b{i}\" {\n  bucket = \"bucket-{i}-${var.env}\"\n  tags = {\n    owner = \"team\"\n    env   = var.env\n  }\n  versioning {\n    enabled = true\n  }\n}\n\nmodule \"vpc{i}\" {\n  source  = \"terraform-aws-modules/vpc/aws\"\n  version = \"5.1.0\"\n  azs     = [\"a\", \"b\", \"c\"]\n}\n";
const JSON: &str = "{\"name\": \"pkg-{i}\", \"version\": \"1.0.{i}\", \"dependencies\": {\"a\": \"^1\", \"b\": \"^2\", \"c\": \"^3\"}, \"scripts\": {\"test\": \"jest\", \"build\": \"tsc\"}, \"files\": [\"dist\", \"src\", \"README.md\"]}\n";
const DOCKERFILE: &str = "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /app{i} \\\n    ./cmd/app\nFROM gcr.io/distroless/static\nCOPY --from=build /app{i} /app\nUSER 65532\nENTRYPOINT [\"/app\"]\n";
const TOML: &str = "[package]\nname = \"crate-{i}\"\nversion = \"0.{i}.0\"\n\n[dependencies]\nserde = { version = \"1\", features = [\"derive\"] }\ntokio = \"1\"\n";

fn corpus() -> Vec<(String, Format, Kind)> {
    let mut files = Vec::new();
    for i in 0..400 {
        let n = i.to_string();
        files.push((DEPLOYMENT.replace("{i}", &n), Format::Yaml, Kind::Yaml));
        files.push((TERRAFORM.replace("{i}", &n), Format::Hcl, Kind::Terraform));
        files.push((JSON.replace("{i}", &n), Format::Json, Kind::Json));
        files.push((
            DOCKERFILE.replace("{i}", &n),
            Format::Dockerfile,
            Kind::Dockerfile,
        ));
        files.push((TOML.replace("{i}", &n), Format::Toml, Kind::Toml));
    }
    files
}

/// The fastest of several passes over the files of one format: the least disturbed run.
fn best(files: &[&(String, Format, Kind)], source_map: bool) -> Duration {
    let options = Options {
        source_map,
        ..Options::default()
    };
    (0..15)
        .map(|_| {
            let started = Instant::now();
            for (text, format, kind) in files {
                black_box(parse(black_box(text), *format, *kind, options));
            }
            started.elapsed()
        })
        .min()
        .expect("at least one pass")
}

fn main() {
    let corpus = corpus();
    println!(
        "{:<12} {:>6} {:>14} {:>14} {:>9}",
        "format", "files", "without µs/f", "with µs/f", "overhead"
    );
    let mut totals = (Duration::ZERO, Duration::ZERO);
    for format in [
        Format::Yaml,
        Format::Hcl,
        Format::Json,
        Format::Dockerfile,
        Format::Toml,
    ] {
        let files: Vec<&(String, Format, Kind)> = corpus.iter().filter(|f| f.1 == format).collect();
        let without = best(&files, false);
        let with = best(&files, true);
        totals.0 += without;
        totals.1 += with;
        let per_file = |d: Duration| d.as_secs_f64() * 1e6 / files.len() as f64;
        println!(
            "{:<12} {:>6} {:>14.2} {:>14.2} {:>8.1}%",
            format!("{format:?}"),
            files.len(),
            per_file(without),
            per_file(with),
            (with.as_secs_f64() / without.as_secs_f64() - 1.0) * 100.0
        );
    }
    println!(
        "{:<12} {:>6} {:>14} {:>14} {:>8.1}%",
        "all",
        corpus.len(),
        "",
        "",
        (totals.1.as_secs_f64() / totals.0.as_secs_f64() - 1.0) * 100.0
    );
}
