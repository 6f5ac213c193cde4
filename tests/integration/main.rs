//! Integration tests: they run the `paved` binary on fixtures and assert exact output.

#[path = "../common/mod.rs"]
mod common;

mod lint;
mod locations;
mod parse;
mod verify;
