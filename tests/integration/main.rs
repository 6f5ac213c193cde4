//! Integration tests: they run the `paved` binary on fixtures and assert exact output.

#[path = "../common/mod.rs"]
mod common;

mod audit;
mod audit_report;
mod classes;
mod config;
mod conftest;
mod conftest_jsonnet;
mod conftest_locations;
mod conftest_parity;
mod distribution;
mod docs;
mod extends;
mod gate;
mod helm;
mod hooks;
mod injection;
mod jsonc;
mod kustomize;
mod lint;
mod locations;
mod ml;
mod outputs;
mod parse;
mod reports;
mod repositories;
mod runbooks;
mod service_account_token;
mod service_model;
mod sources;
mod suppressions;
mod terraform_tags;
mod testing_rules;
mod untrusted;
mod verify;
