"""The leadership screen (thông tin lãnh đạo quan tâm, issue 18 item 5): what needs a leader's attention today
across the units in their scope, each figure drilling down from the administration to a unit to its records."""
