"""Every JSON contract and text rendering, in one place and one naming convention.

The CLI, the app and the Excel writer read these objects; none of them re-derives a number the
core computed. Published JSON contracts (validate, rank, allocate, frontier, sensitivity, flip)
keep their keys: keys are added, never renamed.
"""
