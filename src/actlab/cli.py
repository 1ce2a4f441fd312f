"""The ``actlab`` command line."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

import actlab

app = typer.Typer(help="actlab: the activation-function laboratory for PyTorch.", no_args_is_help=True)
console = Console()


@app.command("list")
def list_(
    family: str = typer.Option(None, "--family", help="Only this family."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """List every activation: name, family, parameters, citation year."""
    try:
        names = actlab.available(family)
    except ValueError as e:
        raise typer.BadParameter(str(e)) from None
    rows = []
    for n in names:
        s = actlab.describe(n)
        rows.append(
            {
                "name": n,
                "family": s.family,
                "params": {p.name: p.default for p in s.params},
                "year": s.citation.year,
                "aliases": list(s.aliases),
            }
        )
    if as_json:
        typer.echo(json.dumps(rows, indent=1))
        return
    t = Table(title=f"{len(rows)} activations")
    for col in ("name", "family", "parameters", "year"):
        t.add_column(col)
    for r in rows:
        params = ", ".join(f"{k}={_fmt(v)}" for k, v in r["params"].items())
        t.add_row(r["name"], r["family"], params, str(r["year"]))
    console.print(t)


def _fmt(v) -> str:
    if isinstance(v, tuple):
        return "(" + ", ".join(f"{x:.3g}" for x in v) + ")"
    return f"{v:g}" if isinstance(v, float) else str(v)


@app.command()
def show(
    name: str,
    plot: Path = typer.Option(None, "--plot", help="Write a PNG of f and f' to this file."),
) -> None:
    """Formula, citation, parameters, properties and init gain of one activation."""
    try:
        spec = actlab.describe(name)
    except LookupError as e:
        console.print(f"[red]error:[/red] {e}")
        raise typer.Exit(2) from None
    c = spec.citation
    console.print(f"[bold]{spec.name}[/bold]  ({spec.family})")
    if spec.aliases:
        console.print(f"aliases: {', '.join(spec.aliases)}")
    console.print(f"formula: {spec.formula_text}")
    console.print(f"latex:   {spec.formula_latex}")
    console.print(f"cited:   {c.authors}, \"{c.title}\", {c.year}. {c.link()}")
    for p in spec.params:
        train = " (trainable in the original work)" if p.trainable else ""
        console.print(f"param:   {p.name} = {_fmt(p.default)} in {p.range_text()}{train}  {p.doc}")
    if spec.notes:
        console.print(f"notes:   {spec.notes}")
    if spec.elementwise:
        props = actlab.properties(spec.name)
        flags = {k: v for k, v in props.as_dict().items() if k != "init_gain"}
        console.print("properties: " + ", ".join(f"{k}={v}" for k, v in flags.items()))
        console.print(f"init gain: {props.init_gain:.6f}")
    if plot is not None:
        from actlab.plots import plot_activation

        plot_activation(spec.name, plot)
        console.print(f"wrote {plot}")


@app.command()
def docs(
    out: Path = typer.Option(Path("docs/catalog.md"), "--out", help="Where to write the catalog."),
) -> None:
    """Write docs/catalog.md: every activation with formula, parameters, properties, citation."""
    from actlab.docs import catalog_markdown

    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(catalog_markdown())
    console.print(f"wrote {out} ({len(actlab.available())} activations)")


# --- commands contributed by other parts of the package (each registers itself) ---


def main() -> None:
    app()


if __name__ == "__main__":
    main()
