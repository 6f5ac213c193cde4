//! terraform/owner-tags on modules written the way real ones are: only resource types whose
//! provider schema has a label attribute are asked for an owner, Google is asked for a label,
//! provider defaults count, and `merge()` of maps written out is resolved.

use crate::common::{concise, run_in, summary, tree};

/// The rule's findings on `files`, as concise lines.
fn owner_tag_findings(files: &[(&str, &[u8])]) -> Vec<String> {
    concise(&lint_owner_tags(files, &["."]))
        .into_iter()
        .map(String::from)
        .collect()
}

/// `paved lint -f concise` of `paths` among `files`, with the rule alone: its output.
fn lint_owner_tags(files: &[(&str, &[u8])], paths: &[&str]) -> String {
    let module = tree(files);
    let mut args = vec!["lint", "-f", "concise", "--select", "terraform/owner-tags"];
    args.extend(paths);
    let (_, stdout, stderr) = run_in(module.path(), &args);
    assert!(stderr.is_empty(), "{stderr}");
    stdout
}

#[test]
fn types_without_a_label_attribute_are_never_asked() {
    let findings = owner_tag_findings(&[(
        "network.tf",
        br#"resource "aws_network_acl_rule" "allow_https" {
  network_acl_id = aws_network_acl.main.id
  rule_number    = 100
}

resource "aws_route" "internet" {
  route_table_id         = aws_route_table.public.id
  destination_cidr_block = "0.0.0.0/0"
}

resource "google_service_account" "ci" {
  account_id = "ci"
}

resource "google_project_iam_member" "ci" {
  role   = "roles/viewer"
  member = "serviceAccount:${google_service_account.ci.email}"
}

resource "azurerm_role_assignment" "reader" {
  scope                = azurerm_resource_group.rg.id
  role_definition_name = "Reader"
}

resource "aws_network_acl" "main" {
  vpc_id = "vpc-1"
}
"#,
    )]);
    assert_eq!(
        findings,
        ["network.tf:25:1: error [terraform/owner-tags] aws_network_acl.main has no owner tag (one of owner, team)"]
    );
}

#[test]
fn google_labels_tag_blocks_defaults_and_merge() {
    let findings = owner_tag_findings(&[
        (
            "gcp.tf",
            br#"resource "google_storage_bucket" "logs" {
  name   = "logs"
  labels = { env = "prod" }
}

resource "google_container_cluster" "gke" {
  name            = "gke"
  resource_labels = { team = "platform" }
}
"#,
        ),
        (
            "asg.tf",
            br#"resource "aws_autoscaling_group" "web" {
  max_size = 2
  tag {
    key                 = "Name"
    value               = "web"
    propagate_at_launch = true
  }
}

resource "aws_autoscaling_group" "api" {
  max_size = 2
  tag {
    key                 = "owner"
    value               = "payments"
    propagate_at_launch = true
  }
}
"#,
        ),
        (
            "merge.tf",
            br#"locals {
  common = { env = "prod" }
}

resource "aws_sqs_queue" "owned" {
  tags = merge(local.common, { owner = "payments" })
}

resource "aws_sqs_queue" "unowned" {
  tags = merge(
    { Name = "orders" }, # no owner here
    { "env" = "prod" },
  )
}

resource "aws_sqs_queue" "unknown" {
  tags = merge(local.common, { Name = "orders" })
}
"#,
        ),
        (
            // A module of its own: its defaults cover its resources, not the ones above.
            "defaults/main.tf",
            br#"provider "aws" {
  default_tags {
    tags = { team = "payments" }
  }
}

resource "aws_sqs_queue" "covered" {
  name = "covered"
}

resource "azurerm_resource_group" "rg" {
  name     = "rg"
  location = "westeurope"
}
"#,
        ),
    ]);
    assert_eq!(
        findings,
        [
            "asg.tf:1:1: error [terraform/owner-tags] aws_autoscaling_group.web has no owner tag (one of owner, team)",
            "defaults/main.tf:11:1: error [terraform/owner-tags] azurerm_resource_group.rg has no owner tag (one of owner, team)",
            "gcp.tf:3:3: error [terraform/owner-tags] google_storage_bucket.logs has no owner label (one of owner, team)",
            "merge.tf:10:3: error [terraform/owner-tags] aws_sqs_queue.unowned has no owner tag (one of owner, team)",
        ]
    );
}

#[test]
fn provider_defaults_in_another_file_cover_the_whole_module() {
    let providers = b"provider \"aws\" {\n  region = \"eu-west-1\"\n  default_tags {\n    tags = {\n      owner = \"payments\"\n    }\n  }\n}\n";
    let resources = b"resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"payments-logs\"\n}\n";
    let findings = owner_tag_findings(&[
        ("payments/providers.tf", providers),
        ("payments/main.tf", resources),
        // Another module, whose provider has no defaults: its resources are asked.
        (
            "search/providers.tf",
            b"provider \"aws\" {\n  region = \"eu-west-1\"\n}\n",
        ),
        ("search/main.tf", resources),
    ]);
    assert_eq!(
        findings,
        ["search/main.tf:1:1: error [terraform/owner-tags] aws_s3_bucket.logs has no owner tag (one of owner, team)"]
    );
}

#[test]
fn a_file_named_alone_still_has_its_module_defaults() {
    let providers = b"provider \"aws\" {\n  region = \"eu-west-1\"\n  default_tags {\n    tags = {\n      owner = \"payments\"\n    }\n  }\n}\n";
    let resources = b"resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"payments-logs\"\n}\n";
    let module: [(&str, &[u8]); 3] = [
        ("payments/providers.tf", providers),
        ("payments/main.tf", resources),
        ("search/main.tf", resources),
    ];
    // As a pre-commit hook names a staged file: its module's other files are read for the
    // provider defaults, and are not linted themselves.
    let stdout = lint_owner_tags(&module, &["payments/main.tf", "search/main.tf"]);
    assert_eq!(
        concise(&stdout),
        ["search/main.tf:1:1: error [terraform/owner-tags] aws_s3_bucket.logs has no owner tag (one of owner, team)"]
    );
    assert!(summary(&stdout).starts_with("Checked 2 files"), "{stdout}");
}
