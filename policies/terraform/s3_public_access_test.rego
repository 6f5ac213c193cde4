package paved.terraform.s3_public_access_test

import data.paved.terraform.s3_public_access
import rego.v1

test_private_bucket_passes if {
	count(s3_public_access.deny) == 0 with input as {"resource": {
		"aws_s3_bucket": {"logs": [{"bucket": "logs", "acl": "private"}]},
		"aws_s3_bucket_acl": {"logs": [{"bucket": "${aws_s3_bucket.logs.id}", "acl": "log-delivery-write"}]},
		"aws_s3_bucket_public_access_block": {"logs": [{
			"bucket": "${aws_s3_bucket.logs.id}",
			"block_public_acls": true,
			"block_public_policy": true,
			"ignore_public_acls": true,
			"restrict_public_buckets": true,
		}]},
	}}
}

test_public_read_bucket if {
	s3_public_access.deny == {{
		"msg": "aws_s3_bucket.assets grants access to everyone with the \"public-read\" ACL",
		"path": ["resource", "aws_s3_bucket", "assets", 0, "acl"],
	}} with input as {"resource": {"aws_s3_bucket": {"assets": [{"bucket": "assets", "acl": "public-read"}]}}}
}

test_authenticated_read_acl_resource if {
	s3_public_access.deny == {{
		"msg": "aws_s3_bucket_acl.shared grants access to every AWS account with the \"authenticated-read\" ACL",
		"path": ["resource", "aws_s3_bucket_acl", "shared", 0, "acl"],
	}} with input as {"resource": {"aws_s3_bucket_acl": {"shared": [{"bucket": "shared", "acl": "authenticated-read"}]}}}
}

test_public_access_block_turned_off if {
	s3_public_access.deny == {
		{
			"msg": "aws_s3_bucket_public_access_block.site turns off block_public_policy",
			"path": ["resource", "aws_s3_bucket_public_access_block", "site", 0, "block_public_policy"],
		},
		{
			"msg": "aws_s3_bucket_public_access_block.site turns off restrict_public_buckets",
			"path": ["resource", "aws_s3_bucket_public_access_block", "site", 0, "restrict_public_buckets"],
		},
	} with input as {"resource": {"aws_s3_bucket_public_access_block": {"site": [{
		"bucket": "site",
		"block_public_acls": true,
		"block_public_policy": false,
		"ignore_public_acls": true,
		"restrict_public_buckets": false,
	}]}}}
}

test_public_access_block_switch_left_out if {
	s3_public_access.deny == {{
		"msg": "aws_s3_account_public_access_block.account leaves ignore_public_acls off (the default)",
		"path": ["resource", "aws_s3_account_public_access_block", "account", 0, "ignore_public_acls"],
	}} with input as {"resource": {"aws_s3_account_public_access_block": {"account": [{
		"block_public_acls": true,
		"block_public_policy": true,
		"restrict_public_buckets": true,
	}]}}}
}

# Values from expressions are not judged.
test_expressions_are_not_judged if {
	count(s3_public_access.deny) == 0 with input as {"resource": {
		"aws_s3_bucket_acl": {"b": [{"acl": "${var.acl}"}]},
		"aws_s3_bucket_public_access_block": {"b": [{
			"block_public_acls": "${var.strict}",
			"block_public_policy": "${var.strict}",
			"ignore_public_acls": "${var.strict}",
			"restrict_public_buckets": "${var.strict}",
		}]},
	}}
}

test_public_access_block_with_only_one_switch if {
	s3_public_access.deny == {{
		"msg": "aws_s3_bucket_public_access_block.b leaves block_public_policy, ignore_public_acls, restrict_public_buckets off (the default)",
		"path": ["resource", "aws_s3_bucket_public_access_block", "b", 0, "block_public_policy"],
	}} with input as {"resource": {"aws_s3_bucket_public_access_block": {"b": [{"bucket": "b", "block_public_acls": true}]}}}
}
