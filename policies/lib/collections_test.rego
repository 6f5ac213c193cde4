package paved.lib.collections_test

import data.paved.lib.collections
import rego.v1

rows := [["b", 3, "x"], ["a", 2, "y"], ["b", 1, "z"], ["a", 5, "w"], ["c", 4, "v"]]

test_first_of_each_is_the_smallest_row_per_key if {
	collections.first_of_each(rows) == {"a": ["a", 2, "y"], "b": ["b", 1, "z"], "c": ["c", 4, "v"]}
}

test_last_of_each_is_the_largest_row_per_key if {
	collections.last_of_each(rows) == {"a": ["a", 5, "w"], "b": ["b", 3, "x"], "c": ["c", 4, "v"]}
}

test_keys_may_be_arrays if {
	collections.first_of_each([[["f", 1], 9], [["f", 1], 7], [["f", 2], 8]]) == {["f", 1]: [["f", 1], 7], ["f", 2]: [["f", 2], 8]}
}

test_no_rows_no_groups if {
	collections.first_of_each([]) == {}
	collections.last_of_each([]) == {}
}
