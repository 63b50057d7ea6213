"""Aggregation methods, one file each, listed once in :mod:`scoring.methods.registry`.

``wsm`` (weighted sum), ``topsis`` (Hwang & Yoon 1981), ``promethee`` (PROMETHEE I / II, Brans &
Vincke 1985), plus ``ahp`` (weights from pairwise comparisons) and the shared input checks in
``_checks``. Nothing is imported here, so that importing one method does not load the others.
"""
