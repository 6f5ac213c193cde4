# Grouping without nested iteration. A comprehension per key that scans every row is
# quadratic (it made a Dockerfile of 16,000 stages take minutes); one sort and one pass over
# the sorted rows cost n log n.
package paved.lib.collections

import rego.v1

# The smallest row of each group of `rows`, arrays whose first element is the group's key
# (rows compare element by element, so the second element orders a group): {key: row}.
first_of_each(rows) := {row[0]: row |
	sorted := sort(rows)
	some p, row in sorted
	not same_key(sorted, p - 1, row)
}

# The largest row of each group: {key: row}.
last_of_each(rows) := {row[0]: row |
	sorted := sort(rows)
	some p, row in sorted
	not same_key(sorted, p + 1, row)
}

same_key(sorted, p, row) if sorted[p][0] == row[0]
