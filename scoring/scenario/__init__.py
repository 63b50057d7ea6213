"""A scenario: what a committee decides with (evaluation date, offers, weights, gates, workload,
lots). ``model`` holds the checked data, ``rules`` the checks across fields, ``load`` the readers
that apply both."""
