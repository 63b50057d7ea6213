"""Plotly figures of the robustness, allocation and compare pages (built from core objects,
no computation of their own).

Offer ids, never vendors' free-text names, label the charts: plotly reads a small subset of
HTML in labels (``<b>``, ``<br>``) and drops the rest, so a hostile name could still restyle a
label; ids are short and checked by the questionnaire reader (``scoring.io.identity``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

from scoring.allocation import FrontierPoint
from scoring.robustness import FlipResult, OneWay, SmaaSummary, StabilityInterval


def _short(c: str) -> str:
    return c.split("/")[-1]


def _layout(fig: go.Figure, height: int, **kw: Any) -> go.Figure:
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 40, "b": 10},
                      legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0}, **kw)
    return fig


def stability_figure(intervals: Sequence[StabilityInterval]) -> go.Figure:
    """One row per criterion: the weight range keeping the same leader (wide bar), the range
    keeping the whole ranking (narrow bar) and the current weight (diamond), in % of the total
    weight (one weight moves, the others keep their proportions)."""
    names = [_short(s.criterion) for s in intervals]
    fig = go.Figure()
    fig.add_bar(y=names, x=[100 * (s.leader_hi - s.leader_lo) for s in intervals],
                base=[100 * s.leader_lo for s in intervals], orientation="h",
                name="same leader", marker_color="#9ecae1", width=0.7,
                hovertemplate="same leader: %{base:.1f} % to %{x:.1f} % wide<extra></extra>")
    fig.add_bar(y=names, x=[100 * (s.ranking_hi - s.ranking_lo) for s in intervals],
                base=[100 * s.ranking_lo for s in intervals], orientation="h",
                name="same full ranking", marker_color="#3182bd", width=0.3,
                hovertemplate="same ranking: %{base:.1f} % to %{x:.1f} % wide<extra></extra>")
    fig.add_scatter(y=names, x=[100 * s.weight for s in intervals], mode="markers",
                    name="weight now", marker={"symbol": "diamond", "size": 11,
                                               "color": "#d62728"},
                    hovertemplate="now %{x:.1f} %<extra></extra>")
    fig.update_xaxes(range=[0, 100], title="weight of this criterion (% of the total)")
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, 80 + 34 * len(names), barmode="overlay")


def one_way_figure(ow: OneWay) -> go.Figure:
    """Totals of every offer as one weight moves from 0 to 100 %; dotted lines at the exact
    points where the leader changes, a solid line at today's weight."""
    fig = go.Figure()
    x = [100 * t for t in ow.t]
    for i, o in enumerate(ow.offers):
        fig.add_scatter(x=x, y=list(ow.totals[:, i]), mode="lines", name=o,
                        hovertemplate=f"{o}: %{{y:.2f}} at %{{x:.1f}} %<extra></extra>")
    for c in ow.crossovers:
        fig.add_vline(x=100 * c.weight, line_dash="dot", line_color="#555")
        fig.add_scatter(x=[100 * c.weight], y=[c.total], mode="markers", showlegend=False,
                        marker={"size": 10, "color": "black", "symbol": "x"},
                        hovertemplate=f"{c.before} → {c.after} at %{{x:.2f}} %<extra></extra>")
    fig.add_vline(x=100 * ow.weight, line_color="#d62728")
    fig.update_xaxes(range=[0, 100], title=f"weight of {_short(ow.criterion)} (%)")
    fig.update_yaxes(title="total (0-100)")
    return _layout(fig, 420)


def smaa_figure(s: SmaaSummary) -> go.Figure:
    """Rank acceptability: the share of sampled weight vectors giving each offer each rank."""
    m = len(s.offers)
    z = [[100 * float(s.acceptability[i, r]) for r in range(m)] for i in range(m)]
    fig = go.Figure(go.Heatmap(
        z=z, x=[f"rank {r + 1}" for r in range(m)], y=list(s.offers), colorscale="Blues",
        zmin=0, zmax=100, text=[[f"{v:.1f}" for v in row] for row in z],
        texttemplate="%{text}", hovertemplate="%{y}, %{x}: %{z:.2f} %<extra></extra>",
        colorbar={"title": "%"}))
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, 80 + 40 * m)


def flip_figure(res: FlipResult) -> go.Figure:
    """Weights now and the weights the flip needs, side by side (in %)."""
    names = [_short(c) for c in res.criteria]
    fig = go.Figure()
    fig.add_bar(x=names, y=[100 * w for w in res.weights_before], name="weight now",
                marker_color="#9ecae1")
    if res.weights_after is not None:
        fig.add_bar(x=names, y=[100 * w for w in res.weights_after], name="weight needed",
                    marker_color="#e6550d")
    fig.update_yaxes(title="% of the total weight")
    return _layout(fig, 320, barmode="group")


def frontier_figure(points: Sequence[FrontierPoint]) -> go.Figure:
    """The price of sovereignty: annual cost of the best award at each floor (feasible points;
    hollow markers for dominated ones). Point order = ``points`` order (the click index)."""
    xs = [p.floor if p.floor is not None else -1 for p in points]
    ys = [p.cost for p in points]
    fig = go.Figure()
    fig.add_scatter(
        x=xs, y=ys, mode="lines+markers", name="annual cost",
        customdata=list(range(len(points))),
        marker={"size": 14, "symbol": ["circle-open" if p.dominated else "circle"
                                       for p in points]},
        hovertemplate="floor %{x}: €%{y:,.0f}<extra></extra>")
    kind = points[0].kind if points else "seal"
    fig.update_xaxes(title="SEAL floor on every lot" if kind == "seal"
                     else "minimum legal utility on every lot", dtick=1 if kind == "seal" else 20)
    fig.update_yaxes(title="annual cost of the best award (€)", tickformat=",.0f")
    return _layout(fig, 360, clickmode="event+select")


def bump_figure(titles: Sequence[str], ranks: dict[str, list[int | None]]) -> go.Figure:
    """Rank of each vendor in each scenario (1 at the top; a gap = excluded or absent)."""
    fig = go.Figure()
    for name, rs in ranks.items():
        fig.add_scatter(x=list(titles), y=rs, mode="lines+markers", name=name,
                        connectgaps=False,
                        hovertemplate=f"{name}: rank %{{y}}<extra></extra>")
    fig.update_yaxes(autorange="reversed", title="rank", dtick=1)
    return _layout(fig, 360)
