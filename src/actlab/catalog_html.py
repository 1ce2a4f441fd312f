"""One self-contained HTML page of the whole catalog (written by ``actlab docs``).

Every function and preset gets a card: name, family, formula (text and LaTeX source), an inline SVG
plot of f and f′ on [-5, 5], parameters, computed properties, citation, source, names, survey rows
and relatives (links to their cards). A search box and family / property filters run in the page's
own script; nothing is fetched from anywhere. Every string is HTML-escaped.
"""

from __future__ import annotations

import html
import math

import torch

from actlab.catalog.properties import properties
from actlab.catalog.registry import PRESETS, REGISTRY, relatives
from actlab.catalog.spec import FAMILIES, ActivationSpec

PROPERTY_LABELS = {
    "monotonic": "monotonic",
    "bounded_below": "bounded below",
    "bounded_above": "bounded above",
    "zero_at_zero": "f(0) = 0",
    "c1": "C¹ (smooth)",
    "piecewise_linear": "piecewise linear",
}
W, H, LO, HI = 220, 130, -5.0, 5.0


def _e(s: object) -> str:
    return html.escape(str(s), quote=True)


def _curves(spec: ActivationSpec) -> tuple[list[float], list[float], list[float]]:
    x = torch.linspace(LO, HI, 161, dtype=torch.float64, requires_grad=True)
    with torch.enable_grad():
        y = spec.fn(x, **spec.defaults)
        (d,) = torch.autograd.grad(y.sum(), x)
    return x.detach().tolist(), y.detach().tolist(), d.tolist()


def _svg(spec: ActivationSpec) -> str:
    """f (solid) and f′ (dashed) on [-5, 5], y range fitted to f and f′ (clipped to ±10)."""
    xs, ys, ds = _curves(spec)
    finite = [v for v in ys + ds if math.isfinite(v)]
    lo = max(min(finite, default=-1.0), -10.0)
    hi = min(max(finite, default=1.0), 10.0)
    if hi - lo < 1e-9:
        lo, hi = lo - 1.0, hi + 1.0
    pad = 0.06 * (hi - lo)
    lo, hi = lo - pad, hi + pad

    def pt(x: float, v: float) -> str:
        v = min(max(v, lo), hi)
        return f"{(x - LO) / (HI - LO) * W:.1f},{(hi - v) / (hi - lo) * H:.1f}"

    def line(vals: list[float]) -> str:
        return " ".join(pt(x, v) for x, v in zip(xs, vals) if math.isfinite(v))

    axes = []
    if lo < 0 < hi:
        y0 = hi / (hi - lo) * H
        axes.append(f'<line x1="0" y1="{y0:.1f}" x2="{W}" y2="{y0:.1f}" class="ax"/>')
    axes.append(f'<line x1="{W / 2}" y1="0" x2="{W / 2}" y2="{H}" class="ax"/>')
    return (
        f'<svg viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" '
        f'aria-label="plot of {_e(spec.name)} and its derivative">{"".join(axes)}'
        f'<polyline class="f" points="{line(ys)}"/><polyline class="df" points="{line(ds)}"/>'
        f'<text x="4" y="12" class="lbl">{hi:.3g}</text><text x="4" y="{H - 4}" class="lbl">{lo:.3g}</text>'
        "</svg>"
    )


def _props(spec: ActivationSpec) -> tuple[list[str], float | None]:
    if not spec.elementwise:
        return [], None
    p = properties(spec.name).as_dict()
    gain = p.pop("init_gain")
    return [k for k, v in p.items() if v], gain


def _card(spec: ActivationSpec, kind: str) -> str:
    flags, gain = _props(spec)
    trainable = any(p.trainable for p in spec.params)
    c = spec.citation
    link = c.link()
    names = [*spec.aliases, *spec.names]
    words = " ".join([spec.name, *names, *spec.survey, spec.family, spec.formula_text, c.authors, c.title])
    tags = [*flags] + (["trainable"] if trainable else []) + ([kind] if kind == "preset" else [])
    parts = [
        f'<article class="card" id="{_e(spec.name)}" data-family="{_e(spec.family)}" '
        f'data-tags="{_e(" ".join(tags))}" data-search="{_e(words.lower())}">',
        f'<h2><a href="#{_e(spec.name)}">{_e(spec.name)}</a> <span class="fam">{_e(spec.family)}</span>'
        + (' <span class="fam preset">preset</span>' if kind == "preset" else "") + "</h2>",
        f'<div class="row"><div class="plot">{_svg(spec) if spec.elementwise else ""}</div>',
        '<div class="text">',
        f"<code class=\"formula\">{_e(spec.formula_text)}</code>",
        f"<details><summary>LaTeX</summary><code>{_e(spec.formula_latex)}</code></details>",
    ]
    if names:
        parts.append(f'<p class="small">Also: {_e(", ".join(names))}</p>')
    if spec.params:
        rows = "".join(
            f"<tr><td><code>{_e(p.name)}</code></td><td>{_e(_fmt(p.default))}</td><td>{_e(p.range_text())}</td>"
            f"<td>{'learned' if p.trainable else 'fixed'}</td><td>{_e(p.doc)}</td></tr>"
            for p in spec.params
        )
        parts.append(
            "<table><tr><th>param</th><th>default</th><th>range</th><th>original</th><th>meaning</th></tr>"
            f"{rows}</table>"
        )
    if flags or gain is not None:
        badges = "".join(f'<span class="badge">{_e(PROPERTY_LABELS[f])}</span>' for f in flags)
        parts.append(f'<p>{badges} <span class="small">init gain {gain:.4f}</span></p>')
    cite = f"{_e(c.authors.rstrip('.'))}. <i>{_e(c.title)}</i>. {c.year}."
    if link:
        cite += f' <a href="{_e(link)}">{_e(link)}</a>'
    parts.append(f'<p class="small">{cite}</p>')
    if spec.source:
        parts.append(f'<p class="small"><b>Source.</b> {_e(spec.source)}</p>')
    if spec.notes:
        parts.append(f'<p class="small"><b>Notes.</b> {_e(spec.notes)}</p>')
    rel = relatives(spec.name)
    if rel:
        items = "".join(f'<li>{_e(text)} (<a href="#{_e(o)}">{_e(o)}</a>)</li>' for o, text in rel)
        parts.append(f'<p class="small"><b>Relatives.</b></p><ul class="small">{items}</ul>')
    if spec.survey:
        parts.append(f'<p class="small"><b>Survey.</b> {_e("; ".join(spec.survey))}</p>')
    parts.append("</div></div></article>")
    return "".join(parts)


def _fmt(v: object) -> str:
    if isinstance(v, tuple):
        return "(" + ", ".join(f"{x:.4g}" for x in v) + ")"
    return f"{v:.6g}" if isinstance(v, float) else str(v)


CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
header{position:sticky;top:0;background:#fff;border-bottom:1px solid #ddd;padding:10px 18px;z-index:1}
header h1{font-size:20px;margin:0 0 6px}
input[type=search]{width:320px;padding:5px;font-size:14px}
select,label{margin-left:10px}
main{display:grid;grid-template-columns:repeat(auto-fill,minmax(560px,1fr));gap:12px;padding:12px 18px}
.card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:8px 12px}
.card[hidden]{display:none}
.card h2{font-size:16px;margin:2px 0 6px}
.card h2 a{color:#123;text-decoration:none}
.fam{font-size:11px;background:#eef;border-radius:3px;padding:1px 5px;color:#335;font-weight:normal}
.preset{background:#efe}
.row{display:flex;gap:12px}.text{flex:1;min-width:0}
.formula{display:block;white-space:pre-wrap;background:#f4f4f4;padding:3px 5px;border-radius:3px}
.small{font-size:12px;color:#444;margin:4px 0}
table{border-collapse:collapse;font-size:12px;margin:4px 0}td,th{border:1px solid #ddd;padding:1px 5px}
.badge{display:inline-block;font-size:11px;background:#fde9c8;border-radius:3px;padding:1px 5px;margin:1px}
svg{background:#fcfcfc;border:1px solid #eee}
.f{fill:none;stroke:#1f5fbf;stroke-width:1.6}
.df{fill:none;stroke:#d2691e;stroke-width:1.2;stroke-dasharray:4 3}
.ax{stroke:#bbb;stroke-width:.7}.lbl{font-size:9px;fill:#888}
details{font-size:12px;margin:3px 0}
"""

SCRIPT = """
(function(){
const q=document.getElementById('q'),fam=document.getElementById('fam');
const boxes=[...document.querySelectorAll('.tag')];
const cards=[...document.querySelectorAll('.card')],shown=document.getElementById('shown');
function apply(){
  const words=q.value.toLowerCase().split(/\\s+/).filter(Boolean),f=fam.value;
  const need=boxes.filter(b=>b.checked).map(b=>b.value);let n=0;
  for(const c of cards){
    const tags=c.dataset.tags.split(' ');
    const ok=(!f||c.dataset.family===f)&&need.every(t=>tags.includes(t))
      &&words.every(w=>c.dataset.search.includes(w));
    c.hidden=!ok;if(ok)n++;
  }
  shown.textContent=n;
}
q.addEventListener('input',apply);fam.addEventListener('change',apply);boxes.forEach(b=>b.addEventListener('change',apply));
const h=new URLSearchParams(location.hash.slice(1));
if(h.get('q'))q.value=h.get('q');if(h.get('family'))fam.value=h.get('family');
for(const t of (h.get('tags')||'').split(',').filter(Boolean)){
  const b=boxes.find(b=>b.value===t);if(b)b.checked=true;
}
apply();document.body.dataset.ready='1';
})();
"""


def catalog_html() -> str:
    """The page, as a string."""
    entries = [(REGISTRY[n], "function") for n in sorted(REGISTRY)]
    entries += [(PRESETS[n], "preset") for n in sorted(PRESETS)]
    families = "".join(f'<option value="{_e(f)}">{_e(f)}</option>' for f in FAMILIES
                       if any(s.family == f for s, _ in entries))  # fmt: skip
    tags = {**PROPERTY_LABELS, "trainable": "trainable in the original", "preset": "presets only"}
    checks = "".join(
        f'<label><input type="checkbox" class="tag" value="{k}"> {_e(v)}</label>' for k, v in tags.items()
    )
    cards = "".join(_card(s, kind) for s, kind in entries)
    return (
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
        f"<title>actlab catalog</title><style>{CSS}</style></head><body>"
        f"<header><h1>actlab catalog — {len(REGISTRY)} functions, {len(PRESETS)} presets</h1>"
        "<input id=\"q\" type=\"search\" placeholder=\"search names, formulas, authors…\" autofocus>"
        f"<select id=\"fam\"><option value=\"\">all families</option>{families}</select>{checks}"
        " <span class=\"small\">showing <b id=\"shown\">?</b></span>"
        "<div class=\"small\">Solid: f(x); dashed: f′(x), x in [−5, 5], defaults. Generated by "
        "<code>actlab docs</code>.</div></header>"
        f"<main>{cards}</main><script>{SCRIPT}</script></body></html>"
    )
