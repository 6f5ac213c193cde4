//! A chart directory rendered with each of its scenarios: what `paved lint` checks and
//! `paved render` prints.

use std::path::Path;

use rayon::prelude::*;

use super::chart::{Chart, Problem};
use super::render::{render, Output, Release};
use super::scenario::{scenarios, Overrides};

#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub overrides: Overrides,
    pub release: Release,
    /// Also render each `ci/*-values.yaml` scenario.
    pub ci: bool,
}

pub struct Renders {
    pub chart: Chart,
    /// `(scenario name, what it rendered)`, the default scenario first.
    pub scenarios: Vec<(String, Output)>,
    /// What could not be loaded (files of the chart, value files, `--set`).
    pub problems: Vec<Problem>,
}

/// Loads the chart in `dir` and renders every scenario; `Err` when there is no chart to
/// render (no readable, valid `Chart.yaml`).
pub fn render_dir(dir: &Path, boundary: &Path, settings: &Settings) -> Result<Renders, Problem> {
    let mut chart = Chart::load(dir, boundary)?;
    let mut problems = std::mem::take(&mut chart.problems);
    let (scenarios, mut overrides) =
        scenarios(&chart, dir, boundary, &settings.overrides, settings.ci);
    problems.append(&mut overrides);
    // A chart with many ci/ scenarios would be the long pole of a run: they render in
    // parallel.
    let scenarios = scenarios
        .into_par_iter()
        .map(|scenario| {
            let output = render(
                &chart,
                &scenario.values,
                &scenario.layers,
                &settings.release,
            );
            (scenario.name, output)
        })
        .collect();
    Ok(Renders {
        chart,
        scenarios,
        problems,
    })
}
