"""Compare actlab with the peer package torch-activation on every function both cover.

Not part of the test suite (the peer package is not a dependency). Install it beside actlab, without
its dependencies, then run from the repository root:

    .venv/bin/pip install --no-deps --target /tmp/torch-activation torch-activation==1.0.0 plotly narwhals
    .venv/bin/python benchmarks/compare_torch_activation.py --peer /tmp/torch-activation \
        --out docs/torch-activation.md

For each survey row (``docs/data/survey-rows.tsv``) that names a torch-activation class and that an
actlab entry covers (the entry's ``survey`` field), both are evaluated at their own defaults in
float64 on x in [-6, 6] plus tails (±10, ±20, ±50). The table lists the largest relative difference,
a verdict (agree: ≤ 1e-6 relative everywhere) and, for each disagreement, actlab's resolution: what
its spec's ``source``/``notes`` say about the formula it implements and why. The peer's classes are
instantiated with no arguments; a class that needs arguments or fails is reported as such.
"""

from __future__ import annotations

import argparse
import csv
import sys
import warnings
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
XS = torch.cat([torch.linspace(-6.0, 6.0, 241, dtype=torch.float64) + 0.00317,
                torch.tensor([-50.0, -20.0, -10.0, 10.0, 20.0, 50.0], dtype=torch.float64)])  # fmt: skip


def rows(path: Path) -> list[dict[str, str]]:
    lines = path.read_text().splitlines()
    return list(csv.DictReader([ln for ln in lines if not ln.startswith("#")], delimiter="\t"))


def peer_module(module, cls_name: str):
    cls = getattr(module, cls_name, None)
    if cls is None:
        raise LookupError("class not registered in the package")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return cls().double()


def peer_values(module, cls_name: str) -> tuple[torch.Tensor | None, str]:
    try:
        act = peer_module(module, cls_name)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with torch.no_grad():
                y = act(XS.clone())
    except LookupError as e:
        return None, str(e)
    except Exception as e:  # the peer's class needs arguments or fails: report it, do not guess
        return None, f"cannot evaluate with defaults ({type(e).__name__}: {str(e)[:60]})"
    if not isinstance(y, torch.Tensor) or y.shape != XS.shape:
        return None, "not an elementwise function of its input"
    return y.double(), ""


def relative_difference(a: torch.Tensor, b: torch.Tensor) -> float:
    both = torch.isfinite(a) & torch.isfinite(b)
    if not torch.equal(torch.isfinite(a), torch.isfinite(b)):
        return float("inf")
    if not both.any():
        return 0.0
    d = (a[both] - b[both]).abs() / (1e-12 + torch.maximum(a[both].abs(), b[both].abs()).clamp(min=1e-3))
    return float(d.max())


def same_family(module, cls_name: str, spec) -> str:
    """If the peer's function at its defaults is actlab's entry at other parameters, say which
    (actlab's identify searches the entry's parameters); otherwise ''."""
    from actlab.search.identify import identify

    act = peer_module(module, cls_name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ident = identify(lambda t: act(t.double()), near=False)
    for m in ident.matches:
        if m["name"] == spec.name:
            args = ", ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}"
                             for k, v in m["params"].items())  # fmt: skip
            return f"{spec.name}({args})"
    return ""


def resolution(spec) -> str:
    text = " ".join(t for t in (spec.source, spec.notes) if t)
    return text.replace("|", "/").replace("\n", " ")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--peer", type=Path, help="folder holding the torch_activation package (pip --target)")
    ap.add_argument("--rows", type=Path, default=ROOT / "docs" / "data" / "survey-rows.tsv")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "torch-activation.md")
    args = ap.parse_args()
    if args.peer:
        sys.path.append(str(args.peer))  # after actlab's own environment: nothing of it is shadowed
    try:
        import torch_activation
    except ImportError:
        sys.exit("torch-activation is not importable: install it (see the docstring) and pass --peer")
    import actlab
    from actlab.catalog.registry import PRESETS, REGISTRY

    covering = {row: spec for spec in (*REGISTRY.values(), *PRESETS.values()) for row in spec.survey}
    table, counts = [], {"agree": 0, "other defaults": 0, "disagree": 0, "not comparable": 0}
    for r in rows(args.rows):
        cls_name = r["torch_activation"].split(" ")[0].strip()
        if not cls_name or r["name"] not in covering:
            continue
        spec = covering[r["name"]]
        flag = r["torch_activation"][len(cls_name):].strip()
        if not spec.elementwise:
            continue
        ours = spec.fn(XS.clone(), **spec.defaults).double()
        theirs, why = peer_values(torch_activation, cls_name)
        if theirs is None:
            verdict, diff = "not comparable", why
        else:
            rel = relative_difference(ours, theirs)
            verdict = "agree" if rel <= 1e-6 else "disagree"
            diff = "inf (finiteness differs)" if rel == float("inf") else f"{rel:.2g}"
        note = ""
        if verdict == "disagree":
            match = same_family(torch_activation, cls_name, spec)
            if match:
                verdict, note = "other defaults", f"the peer's default is {match}"
            else:
                note = resolution(spec)
        counts[verdict] += 1
        peer = cls_name + (f" {flag}" if flag else "")
        table.append((r["section"], r["name"], spec.name, peer, diff, verdict, note))
    version = getattr(torch_activation, "__version__", "?")
    out = [
        "# actlab and torch-activation\n\n",
        "Generated by `benchmarks/compare_torch_activation.py` (not part of CI) against torch-activation "
        f"{version} and actlab {actlab.__version__}: every survey row both packages cover, each "
        "evaluated at its own defaults in float64 on [-6, 6] and at ±10, ±20, ±50. *max rel. diff* is "
        "the largest |actlab − peer| / max(|actlab|, |peer|, 1e-3). *other defaults*: the peer computes "
        "the same function as actlab's entry at other parameters (found by `actlab search identify`, "
        "which fits the entry's parameters), so only the defaults differ. For a real disagreement, "
        "*actlab's resolution* quotes the entry's source and notes: which form actlab implements and "
        "why.\n\n",
        f"Agree: {counts['agree']}; other defaults: {counts['other defaults']}; disagree: "
        f"{counts['disagree']}; not comparable: {counts['not comparable']}.\n\n",
        "| § | survey row | actlab | torch-activation | max rel. diff | verdict | actlab's resolution |\n",
        "|---|---|---|---|---|---|---|\n",
    ]
    for row in table:
        out.append("| " + " | ".join(str(c).replace("|", "/") for c in row) + " |\n")
    args.out.write_text("".join(out))
    print(f"wrote {args.out}: {counts}")


if __name__ == "__main__":
    main()
