//! A chart directory rendered with each of its scenarios: what `paved lint` checks and
//! `paved render` prints.

use std::path::Path;

use rayon::prelude::*;

use super::chart::{Chart, Problem};
use super::render::{render_with, Output, Release};
use super::scenario::{scenarios, Overrides, Scenario};
use super::template::ParseCache;

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

/// A chart loaded with its scenarios, each rendered when asked: `paved lint` checks one
/// output at a time rather than hold them all (a chart that ships CRDs renders megabytes
/// per scenario).
pub struct Loaded {
    pub chart: Chart,
    /// The default scenario first.
    pub scenarios: Vec<Scenario>,
    /// What could not be loaded (files of the chart, value files, `--set`).
    pub problems: Vec<Problem>,
    release: Release,
    /// The chart's templates parsed once for all scenarios.
    parsed: ParseCache,
}

impl Loaded {
    pub fn render(&self, scenario: &Scenario) -> Output {
        render_with(
            &self.chart,
            &scenario.values,
            &scenario.layers,
            &self.release,
            &self.parsed,
        )
    }
}

/// Loads the chart in `dir` and its scenarios; `Err` when there is no chart to render (no
/// readable, valid `Chart.yaml`).
pub fn load_dir(dir: &Path, boundary: &Path, settings: &Settings) -> Result<Loaded, Problem> {
    let mut chart = Chart::load(dir, boundary)?;
    let mut problems = std::mem::take(&mut chart.problems);
    let (scenarios, mut overrides) =
        scenarios(&chart, dir, boundary, &settings.overrides, settings.ci);
    problems.append(&mut overrides);
    Ok(Loaded {
        chart,
        scenarios,
        problems,
        release: settings.release.clone(),
        parsed: ParseCache::default(),
    })
}

/// Loads the chart in `dir` and renders every scenario; `Err` when there is no chart to
/// render (no readable, valid `Chart.yaml`).
pub fn render_dir(dir: &Path, boundary: &Path, settings: &Settings) -> Result<Renders, Problem> {
    let loaded = load_dir(dir, boundary, settings)?;
    // A chart with many ci/ scenarios would be the long pole of a run: they render in
    // parallel.
    let scenarios = loaded
        .scenarios
        .par_iter()
        .map(|scenario| (scenario.name.clone(), loaded.render(scenario)))
        .collect();
    Ok(Renders {
        chart: loaded.chart,
        scenarios,
        problems: loaded.problems,
    })
}
