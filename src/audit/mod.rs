pub mod history;
pub mod report;
