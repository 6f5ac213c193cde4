//! paved: platform standards as code. The library holds the whole pipeline; the binary
//! only parses arguments and maps outcomes to exit codes.

pub mod audit;
pub mod class;
pub mod cli;
pub mod commands;
pub mod config;
pub mod conftest;
pub mod discover;
pub mod engine;
pub mod finding;
pub mod git;
pub mod lint;
pub mod modules;
pub mod parse;
pub mod policy;
pub mod read;
pub mod render;
pub mod report;
pub mod repository;
pub mod source;
pub mod sources;
pub mod suppress;
