//! Integration tests: they run the `paved` binary on fixtures and assert exact output.

#[path = "../common/mod.rs"]
mod common;

mod config;
mod conftest;
mod distribution;
mod gate;
mod hooks;
mod injection;
mod lint;
mod locations;
mod parse;
mod reports;
mod repositories;
mod suppressions;
mod terraform_tags;
mod untrusted;
mod verify;
