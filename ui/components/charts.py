"""Plotly figures of every page (figures only: the numbers come from the core's objects).

Outside text in a figure: plotly renders a small subset of HTML in labels (``<b>``, ``<a>``,
``<br>``...), so every vendor or offer name goes through ``label()`` which turns ``<``, ``>`` and
``&`` into entities; plotly then draws them as characters in an SVG text node, never as markup.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

from scoring.allocation import FrontierPoint
from scoring.i18n import N_, _, language
from scoring.report.numbers import points
from scoring.robustness import FlipResult, OneWay, SmaaSummary, StabilityInterval

#: The kinds of legal event (``data/legal``), as the timeline's legend says them.
EVENT_KINDS = (N_("foreign law"), N_("transfer basis"), N_("requirement"), N_("ruling"),
               N_("certification rule"))
PILLAR_COLOURS = {"technical": "#4C78A8", "cost": "#F58518", "legal": "#54A24B",
                  "sovereignty": "#B279A2"}


def label(s: object) -> str:
    """Outside text made inert for plotly's label renderer."""
    return (str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def _layout(fig: go.Figure, height: int, **kw: Any) -> go.Figure:
    # plotly's own number formats (axes, hovers) with the session's decimal mark and grouping
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      legend={"orientation": "h", "y": -0.15},
                      separators=",\u202f" if language() == "fr" else ".,", **kw)
    return fig


def _short(c: str) -> str:
    """A criterion's last path part (``technical/hds`` -> ``hds``): axis room is scarce."""
    return _(c.split("/")[-1])  # a pillar in the session's language; question ids as they are


def contributions(offers: Sequence[str], parts: dict[str, list[float]],
                  totals: Sequence[float], lows: Sequence[float | None] | None = None,
                  highs: Sequence[float | None] | None = None,
                  colours: dict[str, str] | None = None) -> go.Figure:
    """Stacked horizontal bars (one segment per pillar or criterion) with the total range as
    error bars when ``lows``/``highs`` are given."""
    ys = [label(o) for o in offers]
    fig = go.Figure()
    for name, xs in parts.items():
        fig.add_bar(y=ys, x=xs, name=label(name), orientation="h",
                    marker_color=(colours or {}).get(name),
                    hovertemplate="%{y}: %{x:.2f}<extra>" + label(name) + "</extra>")
    err = None
    if lows is not None and highs is not None:
        err = {"type": "data", "symmetric": False,
               "array": [0 if h is None else max(h - t, 0) for h, t in zip(highs, totals,
                                                                            strict=True)],
               "arrayminus": [0 if lo is None else max(t - lo, 0)
                              for lo, t in zip(lows, totals, strict=True)],
               "color": "#333", "thickness": 1.5, "width": 6}
    # the hover reads the total as the tables print it (plotly's own format rounds the binary
    # float: 77.82499999999999 would show 77.82 beside a table's 77.83)
    fig.add_scatter(y=ys, x=list(totals), mode="markers", name=_("total"),
                    marker={"color": "#222", "symbol": "line-ns-open", "size": 12},
                    customdata=[points(t) for t in totals], error_x=err,
                    hovertemplate="%{y}: " + _("total") + " %{customdata}<extra></extra>")
    fig.update_layout(barmode="stack", xaxis_title=_("points (0-100)"),
                      yaxis={"autorange": "reversed"})
    _layout(fig, 140 + 34 * len(offers))
    fig.update_layout(legend={"orientation": "h", "y": 1.02, "yanchor": "bottom"})
    return fig


def radar(axes: Sequence[str], series: dict[str, list[float | None]]) -> go.Figure:
    fig = go.Figure()
    theta = [*axes, axes[0]]
    palette = ["#4C78A8", "#F58518", "#54A24B", "#B279A2"]
    for k, (name, rs) in enumerate(series.items()):
        r = [0.0 if v is None else v for v in rs]
        fig.add_scatterpolar(r=[*r, r[0]], theta=theta, name=label(name), fill="toself",
                             opacity=0.5, line_color=palette[k % len(palette)])
    fig.update_layout(polar={"radialaxis": {"range": [0, 100]}})
    return _layout(fig, 420)


def timeline(events: Sequence[tuple[dt.date, dt.date | None, str, str]],
             choices: Sequence[tuple[dt.date, str]], start: dt.date, end: dt.date
             ) -> go.Figure:
    """Legal events as bars from their date to ``until`` (or ``end``), one row each, grouped by
    kind (colour); the historical choices as vertical lines."""
    colours = {"foreign_law": "#E45756", "transfer_basis": "#4C78A8", "requirement": "#54A24B",
               "ruling": "#B279A2", "certification_rule": "#F58518"}
    fig = go.Figure()
    seen: set[str] = set()
    for since, until, kind, title in events:
        stop = until or end
        name = label(title)
        fig.add_scatter(
            x=[since.isoformat(), stop.isoformat()], y=[name, name], mode="lines",
            line={"color": colours.get(kind, "#888"), "width": 11},
            name=_(kind.replace("_", " ")), legendgroup=kind, showlegend=kind not in seen,
            hovertemplate=(f"{name}<br>{since.isoformat()} → "
                           f"{until.isoformat() if until else _('in force')}<extra></extra>"))
        seen.add(kind)
    middle = start + (end - start) / 2
    for day, what in choices:
        fig.add_vline(x=day.isoformat(), line_dash="dash", line_color="#111")
        fig.add_annotation(x=day.isoformat(), y=1.0, yref="paper", text=label(what),
                           showarrow=False, font={"size": 11}, yanchor="bottom",
                           xanchor="left" if day < middle else "right",
                           bgcolor="rgba(255,255,255,0.8)")
    fig.update_xaxes(type="date", range=[start.isoformat(), end.isoformat()])
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, 160 + 26 * len(events))


def bump(columns: Sequence[str], ranks: dict[str, list[int | None]], bottom: int | None = None,
         ) -> go.Figure:
    """Rank in each column (an era or a scenario) for each vendor, one line per vendor (rank 1
    at the top); a missing point = did not bid there; ``bottom`` (a rank below the last) is the
    row of vendors whose every offer was excluded by a gate. Replay and Compare both draw it,
    so a vendor reads the same on both (its name, never an id)."""
    fig = go.Figure()
    for vendor, rs in ranks.items():
        last = len(rs) - 1
        text = [f"#{r} {label(vendor)}" if r is not None and (bottom is None or r < bottom)
                else "" for r in rs]
        fig.add_scatter(x=list(columns), y=rs, mode="lines+markers+text", name=label(vendor),
                        text=text, connectgaps=False, cliponaxis=False,
                        textposition=["middle left" if i == 0 else "middle right"
                                      for i in range(last + 1)],
                        hovertemplate=label(vendor) + ": " + _("rank") + " %{y}<extra></extra>")
    # the names sit left of the first column's points: the axis title stands off past them
    fig.update_yaxes(autorange="reversed", dtick=1, showticklabels=False,
                     title={"text": _("rank (1 = best, top)"), "standoff": 215})
    if bottom is not None:
        fig.add_annotation(x=0.5, xref="paper", y=bottom, text=_("excluded by a gate"),
                           showarrow=False, yanchor="bottom", font={"size": 11})
    fig.update_xaxes(type="category")
    fig.update_layout(showlegend=False)
    _layout(fig, 420)
    fig.update_layout(margin={"l": 250, "r": 230, "t": 20, "b": 20})
    return fig


def heatmap(rows: Sequence[str], cols: Sequence[str], z: list[list[int]],
            names: Sequence[str], colours: Sequence[str]) -> go.Figure:
    """A categorical heatmap: ``z[i][j]`` indexes ``names``/``colours``."""
    k = len(names)
    scale = []
    for i, c in enumerate(colours):
        scale += [[i / k, c], [(i + 1) / k, c]]
    text = [[names[v] for v in row] for row in z]
    fig = go.Figure(go.Heatmap(
        z=z, x=[label(c) for c in cols], y=[label(r) for r in rows], zmin=-0.5,
        zmax=k - 0.5, colorscale=scale, text=text, xgap=1, ygap=1,
        hovertemplate="%{y} · %{x}: %{text}<extra></extra>",
        colorbar={"tickvals": list(range(k)), "ticktext": list(names)}))
    fig.update_xaxes(tickangle=-60, tickfont={"size": 9})
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, 160 + 22 * len(rows))


# ---------------------------------------------------------------- robustness, allocation


def stability_figure(intervals: Sequence[StabilityInterval]) -> go.Figure:
    """One row per criterion: the weight range keeping the same leader (wide bar), the range
    keeping the whole ranking (narrow bar) and the current weight (diamond), in % of the total
    weight (one weight moves, the others keep their proportions)."""
    names = [_short(s.criterion) for s in intervals]
    fig = go.Figure()
    fig.add_bar(y=names, x=[100 * (s.leader_hi - s.leader_lo) for s in intervals],
                base=[100 * s.leader_lo for s in intervals], orientation="h",
                name=_("same leader"), marker_color="#9ecae1", width=0.7,
                hovertemplate=_("same leader: from %{base:.1f} %, %{x:.1f} % wide")
                + "<extra></extra>")
    fig.add_bar(y=names, x=[100 * (s.ranking_hi - s.ranking_lo) for s in intervals],
                base=[100 * s.ranking_lo for s in intervals], orientation="h",
                name=_("same full ranking"), marker_color="#3182bd", width=0.3,
                hovertemplate=_("same ranking: from %{base:.1f} %, %{x:.1f} % wide")
                + "<extra></extra>")
    fig.add_scatter(y=names, x=[100 * s.weight for s in intervals], mode="markers",
                    name=_("weight now"), marker={"symbol": "diamond", "size": 11,
                                                  "color": "#d62728"},
                    hovertemplate=_("now %{x:.1f} %") + "<extra></extra>")
    fig.update_xaxes(range=[0, 100], title=_("weight of this criterion (% of the total)"))
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, 80 + 34 * len(names), barmode="overlay")


def one_way_figure(ow: OneWay) -> go.Figure:
    """Totals of every offer as one weight moves from 0 to 100 %; dotted lines at the exact
    points where the leader changes, a solid line at today's weight."""
    fig = go.Figure()
    x = [100 * t for t in ow.t]
    for i, o in enumerate(ow.offers):
        fig.add_scatter(x=x, y=list(ow.totals[:, i]), mode="lines", name=o,
                        hovertemplate=_("{offer}: %{{y:.2f}} at %{{x:.1f}} %").format(offer=o)
                        + "<extra></extra>")
    for c in ow.crossovers:
        fig.add_vline(x=100 * c.weight, line_dash="dot", line_color="#555")
        fig.add_scatter(x=[100 * c.weight], y=[c.total], mode="markers", showlegend=False,
                        marker={"size": 10, "color": "black", "symbol": "x"},
                        hovertemplate=_("{before} → {after} at %{{x:.2f}} %").format(
                            before=c.before, after=c.after) + "<extra></extra>")
    fig.add_vline(x=100 * ow.weight, line_color="#d62728")
    fig.update_xaxes(range=[0, 100], title=_("weight of {criterion} (%)").format(
        criterion=_short(ow.criterion)))
    fig.update_yaxes(title=_("total (0-100)"))
    return _layout(fig, 420)


def smaa_figure(s: SmaaSummary) -> go.Figure:
    """Rank acceptability: the share of sampled weight vectors giving each offer each rank."""
    m = len(s.offers)
    z = [[100 * float(s.acceptability[i, r]) for r in range(m)] for i in range(m)]
    fig = go.Figure(go.Heatmap(
        z=z, x=[_("rank {rank}").format(rank=r + 1) for r in range(m)], y=list(s.offers),
        colorscale="Blues",
        zmin=0, zmax=100, text=[[points(v, 1) for v in row] for row in z],
        texttemplate="%{text}", hovertemplate="%{y}, %{x}: %{z:.2f} %<extra></extra>",
        colorbar={"title": "%"}))
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, 80 + 40 * m)


def flip_figure(res: FlipResult) -> go.Figure:
    """Weights now and the weights the flip needs, side by side (in %)."""
    names = [_short(c) for c in res.criteria]
    fig = go.Figure()
    fig.add_bar(x=names, y=[100 * w for w in res.weights_before], name=_("weight now"),
                marker_color="#9ecae1")
    if res.weights_after is not None:
        fig.add_bar(x=names, y=[100 * w for w in res.weights_after], name=_("weight needed"),
                    marker_color="#e6550d")
    fig.update_yaxes(title=_("% of the total weight"))
    return _layout(fig, 320, barmode="group")


def frontier_figure(points: Sequence[FrontierPoint]) -> go.Figure:
    """The price of sovereignty: annual cost of the best award at each floor (feasible points;
    hollow markers for dominated ones). Point order = ``points`` order (the click index)."""
    xs = [p.floor if p.floor is not None else -1 for p in points]
    ys = [p.cost for p in points]
    fig = go.Figure()
    fig.add_scatter(
        x=xs, y=ys, mode="lines+markers", name=_("annual cost"),
        customdata=list(range(len(points))),
        marker={"size": 14, "symbol": ["circle-open" if p.dominated else "circle"
                                       for p in points]},
        hovertemplate=_("floor %{x}: %{y:,.0f} €") + "<extra></extra>")
    kind = points[0].kind if points else "seal"
    fig.update_xaxes(title=_("sovereignty floor (SEAL) on every lot") if kind == "seal"
                     else _("minimum legal utility on every lot"),
                     dtick=1 if kind == "seal" else 20)
    fig.update_yaxes(title=_("annual cost of the best award (€)"), tickformat=",.0f")
    return _layout(fig, 360, clickmode="event+select")
