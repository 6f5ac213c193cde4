package paved.terraform.outputs_described_test

import data.paved.terraform.outputs_described
import rego.v1

test_described_output_passes if {
	count(outputs_described.deny) == 0 with input as {"output": {"queue_url": [{
		"value": "${aws_sqs_queue.orders.url}",
		"description": "URL of the order queue.",
	}]}}
}

test_output_without_description if {
	outputs_described.deny == {{
		"msg": "output \"queue_url\" has no description",
		"path": ["output", "queue_url", 0, "description"],
	}} with input as {"output": {
		"queue_arn": [{"value": "${aws_sqs_queue.orders.arn}", "description": "ARN of the order queue."}],
		"queue_url": [{"value": "${aws_sqs_queue.orders.url}"}],
	}}
}

test_blank_description if {
	outputs_described.deny == {{
		"msg": "output \"id\" has no description",
		"path": ["output", "id", 0, "description"],
	}} with input as {"output": {"id": [{"value": 1, "description": ""}]}}
}

test_files_without_outputs_pass if {
	count(outputs_described.deny) == 0 with input as {"variable": {"env": [{}]}}
}
