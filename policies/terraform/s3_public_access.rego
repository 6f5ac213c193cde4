# METADATA
# title: S3 buckets are not made public
# description: >-
#   Public buckets are the most common source of cloud data leaks. A bucket is made public by
#   a canned ACL that grants everyone (or every AWS account) access (`public-read`,
#   `public-read-write`, `authenticated-read`) on `aws_s3_bucket` or `aws_s3_bucket_acl`, or
#   by turning off (or leaving out: they default to false) one of the four switches of an
#   `aws_s3_bucket_public_access_block` or `aws_s3_account_public_access_block`, which exist
#   to stop exactly that. Serve public
#   content through CloudFront with an origin access control instead.
# related_resources:
#   - ref: https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
# custom:
#   id: terraform/s3-public-access
#   severity: error
#   level: silver
#   input: terraform
#   remediation: >-
#     Use `acl = "private"` (or no ACL: new buckets have ACLs disabled), set all four
#     `block_public_*`/`ignore_public_acls`/`restrict_public_buckets` to true, and publish
#     content through CloudFront with an origin access control.
#   examples:
#     fail: |
#       resource "aws_s3_bucket_acl" "assets" {
#         bucket = aws_s3_bucket.assets.id
#         acl    = "public-read"
#       }
#     pass: |
#       resource "aws_s3_bucket_public_access_block" "assets" {
#         bucket                  = aws_s3_bucket.assets.id
#         block_public_acls       = true
#         block_public_policy     = true
#         ignore_public_acls      = true
#         restrict_public_buckets = true
#       }
package paved.terraform.s3_public_access

import rego.v1

public_acls := {"public-read", "public-read-write", "authenticated-read"}

blocking_switches := ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"]

deny contains {"msg": msg, "path": array.concat(r.path, ["acl"])} if {
	some r in data.paved.lib.terraform.resources
	r.type in {"aws_s3_bucket", "aws_s3_bucket_acl"}
	r.value.acl in public_acls
	msg := sprintf("%s.%s grants access to %s with the %q ACL", [r.type, r.name, grantee(r.value.acl), r.value.acl])
}

deny contains {"msg": msg, "path": array.concat(r.path, [switch])} if {
	some r in data.paved.lib.terraform.resources
	r.type in {"aws_s3_bucket_public_access_block", "aws_s3_account_public_access_block"}
	some switch in blocking_switches
	r.value[switch] == false
	msg := sprintf("%s.%s turns off %s", [r.type, r.name, switch])
}

# Each switch defaults to false: leaving one out turns it off too. One finding names them all.
deny contains {"msg": msg, "path": array.concat(r.path, [missing[0]])} if {
	some r in data.paved.lib.terraform.resources
	r.type in {"aws_s3_bucket_public_access_block", "aws_s3_account_public_access_block"}
	missing := [switch | some switch in blocking_switches; not switch in object.keys(r.value)]
	count(missing) > 0
	msg := sprintf("%s.%s leaves %s off (the default)", [r.type, r.name, concat(", ", missing)])
}

grantee("authenticated-read") := "every AWS account"

grantee(acl) := "everyone" if acl != "authenticated-read"
