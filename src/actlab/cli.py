"""The ``actlab`` command line."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

import actlab
from actlab.docs import format_value

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
                "params": s.defaults,
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
        params = ", ".join(f"{k}={format_value(v, 3)}" for k, v in r["params"].items())
        t.add_row(r["name"], r["family"], params, str(r["year"]))
    console.print(t)


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
    if spec.preset_of is not None:
        from actlab.catalog.registry import relatives

        console.print(f"preset:  {spec.name} {relatives(spec.name)[0][1]}")
    if spec.aliases:
        console.print(f"aliases: {', '.join(spec.aliases)}")
    if spec.names:
        console.print(f"names:   {', '.join(spec.names)}")
    console.print(f"formula: {spec.formula_text}")
    console.print(f"latex:   {spec.formula_latex}")
    console.print(f"cited:   {c.authors}, \"{c.title}\", {c.year}. {c.link()}")
    if spec.source:
        console.print(f"source:  {spec.source}")
    for p in spec.params:
        train = " (trainable in the original work)" if p.trainable else ""
        console.print(f"param:   {p.name} = {format_value(p.default, 3)} in {p.range_text()}{train}  {p.doc}")
    if spec.notes:
        console.print(f"notes:   {spec.notes}")
    if spec.survey:
        console.print(f"survey:  {'; '.join(spec.survey)}")
    from actlab.catalog.registry import relatives

    for other, text in relatives(spec.name):
        if spec.preset_of is None or other != spec.preset_of[0]:
            console.print(f"related: {text}")
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
    out: Path = typer.Option(Path("docs"), "--out", help="Folder for catalog.md, survey-coverage.md, .html."),
    survey: Path = typer.Option(Path("docs/data/survey-rows.tsv"), "--survey", help="Survey rows (TSV)."),
) -> None:
    """Write the catalog (Markdown and one self-contained HTML page) and the survey coverage table."""
    from actlab.docs import counts, write_docs

    if not survey.exists():
        raise typer.BadParameter(f"{survey} not found: run from the repository root or pass --survey")
    for path in write_docs(out, survey):
        console.print(f"wrote {path}")
    n = counts()
    console.print(f"{n['functions']} functions, {n['presets']} presets, {n['aliases']} aliases")


# --- commands contributed by other parts of the package (each registers itself) ---


@app.command()
def bench(
    preset: str = typer.Option("quick", "--preset", help="quick (default), full, or tiny (smoke test)."),
    tasks: str = typer.Option(
        None, "--tasks", help="Comma-separated tasks (default: the preset's); module:attr for your own."
    ),
    activations: str = typer.Option(
        None, "--activations", help="Comma-separated activations, e.g. 'relu,leaky_relu(negative_slope=0.2)'."
    ),
    seeds: int = typer.Option(None, "--seeds", help="Number of seeds (default: the preset's)."),
    store: Path = typer.Option(Path("actlab-results.db"), "--store", help="SQLite results store."),
    executor: str = typer.Option("local", "--executor", help="local or ray."),
    workers: int = typer.Option(None, "--workers", help="Local worker processes (default: one per core)."),
    address: str = typer.Option(None, "--address", help="Ray cluster: auto or HOST:PORT."),
    out: Path = typer.Option(Path("actlab-report"), "--out", help="Where to write the report at the end."),
    quiet: bool = typer.Option(False, "--quiet", help="Plain log lines instead of a progress bar."),
    lrs: str = typer.Option(
        None, "--lrs", help="Learning-rate grid (1e-3,3e-3,1e-2): each activation at its best on validation."
    ),
    wait: bool = typer.Option(
        True, "--wait/--no-wait", help="Wait for runs other processes on this store hold (default) or exit."
    ),
) -> None:
    """Compare activations on tasks over seeds; resumable, shareable by several processes; results in
    SQLite, report at the end."""
    from actlab.bench.commands import bench_command

    _report_sections()
    code = bench_command(preset, tasks, activations, seeds, store, executor, workers, address, out, quiet,
                         lrs, wait)  # fmt: skip
    if code:
        raise typer.Exit(code)


def _report_sections() -> None:
    """Register the report sections of the applications above the bench (claims board, searches)."""
    import importlib

    for mod in ("actlab.claims", "actlab.search"):
        try:
            importlib.import_module(mod)
        except ImportError:
            pass


@app.command()
def report(
    store: Path = typer.Option(Path("actlab-results.db"), "--store", help="SQLite results store."),
    out: Path = typer.Option(Path("actlab-report"), "--out", help="Output directory."),
) -> None:
    """Write report.md and a self-contained report.html (plots embedded) from a results store."""
    from actlab.bench.commands import report_command

    _report_sections()
    code = report_command(store, out)
    if code:
        raise typer.Exit(code)


@app.command("probe")
def probe_(
    model: str = typer.Argument(None, help="timm:NAME, hf:MODEL_TYPE, or a bare name (timm first)."),
    hf_config: str = typer.Option(None, "--hf-config", help="Hugging Face model type (tiny, random init)."),
    timm_name: str = typer.Option(None, "--timm", help="timm model name (pretrained=False)."),
    weights: bool = typer.Option(False, "--weights", help="Download pretrained weights (needs the Hub)."),
    swap_to: str = typer.Option(None, "--swap-to", help="Also probe after swapping activations to NAME."),
    batches: int = typer.Option(8, "--batches", help="Number of generated input batches."),
    batch_size: int = typer.Option(4, "--batch-size", help="Examples per batch."),
    seq_len: int = typer.Option(32, "--seq-len", help="Tokens per example (text models)."),
    image_size: int = typer.Option(None, "--image-size", help="Image side (default: the model's)."),
    seed: int = typer.Option(0, "--seed", help="Seed of the model initialisation and the inputs."),
    eps: float = typer.Option(1e-3, "--eps", help="|a| <= eps counts as near zero (and inactive)."),
    cett: float = typer.Option(0.2, "--cett", help="CETT target of the threshold sparsity."),
    out: Path = typer.Option(Path("out/probe"), "--out", help="Directory for CSV, JSON, PNG, markdown."),
) -> None:
    """Sparsity, dead neurons, massive activations per layer of a model; --swap-to: before/after."""
    from actlab.probe.cli import probe_command

    code = probe_command(model, hf_config, timm_name, weights, swap_to, batches, batch_size, seq_len,
                         image_size, seed, eps, cett, out)
    if code:
        raise typer.Exit(code)


@app.command()
def speed(
    names: str = typer.Option(
        "golu,mish,snake,aptx,xatlu,smelu,serf,gelu_tanh,swish",
        "--names",
        help="Comma-separated activations, or 'all'.",
    ),
    dtypes: str = typer.Option("float32", "--dtypes", help="Comma-separated: float64,float32,bfloat16,..."),
    sizes: str = typer.Option("4M", "--sizes", help="Comma-separated element counts, e.g. 64K,4M,16M."),
    impls: str = typer.Option(
        "eager,inductor,lean,compiled,auto",
        "--impls",
        help="Backends: eager, inductor (torch.compile of the expression), lean, compiled, triton, auto.",
    ),
    modes: str = typer.Option("fwd,bwd,both", "--modes", help="Comma-separated: fwd, bwd, both."),
    device: str = typer.Option("auto", "--device", help="cpu, cuda, or auto (cuda if available)."),
    glu: str = typer.Option("", "--glu", help="GLU gates to time too, e.g. silu,gelu_tanh,drelu (vs Liger)."),
    min_time: float = typer.Option(0.3, "--min-time", help="Seconds of timed runs per measurement."),
    csv_path: Path = typer.Option(Path("actlab-speed.csv"), "--csv", help="Write all rows here."),
    png: Path = typer.Option(Path("actlab-speed.png"), "--png", help="Write the speed-up plot here."),
    autotable: Path = typer.Option(None, "--autotable", help="Also write a table for impl='auto' here."),
    min_numel: int = typer.Option(2**18, "--min-numel", help="min_numel written into --autotable."),
    wide: bool = typer.Option(False, "--wide", help="Every mode and column (GB/s, peak MB)."),
) -> None:
    """Time activation backends side by side: GB/s, % of a device copy, ratios, saved bytes/element."""
    from actlab.speed import speed_command

    speed_command(
        names, dtypes, sizes, impls, modes, device, glu, min_time, csv_path, png, autotable, min_numel, wide
    )


search_app = typer.Typer(help="Search for new activation functions (expressions), identify known ones.")
app.add_typer(search_app, name="search")


@search_app.command("run")
def search_run(
    strategy: str = typer.Option("evolution", "--strategy", help="exhaustive, random or evolution."),
    budget: int = typer.Option(200, "--budget", help="Candidates to train (a larger budget continues)."),
    task: str = typer.Option("mnist1d", "--task", help="A bench task, or module:function of your own."),
    transfer_task: str = typer.Option(None, "--transfer-task", help="Re-run the best on this task too."),
    store: Path = typer.Option(Path("actlab-results.db"), "--store", help="The bench SQLite store."),
    executor: str = typer.Option("local", "--executor", help="local or ray."),
    seed: int = typer.Option(0, "--seed", help="Seed of the search itself."),
    workers: int = typer.Option(None, "--workers", help="Worker processes / Ray CPUs (default 1)."),
    address: str = typer.Option(None, "--address", help="Ray: auto or HOST:PORT of a cluster."),
    space: str = typer.Option("full", "--space", help="full, or small (for exhaustive search)."),
    units: int = typer.Option(2, "--units", help="Core units composed, 1-3."),
    fixed_beta: bool = typer.Option(False, "--fixed-beta", help="Constants instead of trainable beta."),
    rungs: str = typer.Option(None, "--rungs", help="preset:seeds[:keep],... (successive halving)."),
    top: int = typer.Option(5, "--top", help="Best candidates reported and transferred."),
    population: int = typer.Option(20, "--population", help="Evolution: population size."),
    batch: int = typer.Option(8, "--batch", help="Candidates proposed and trained together."),
    quiet: bool = typer.Option(False, "--quiet", help="Log lines instead of a progress bar."),
) -> None:
    """Run (or resume) a search; every evaluation is a bench run in the store."""
    from actlab.search.commands import run_command

    code = run_command(
        strategy, budget, task, transfer_task, store, executor, seed, workers, address, space, units,
        fixed_beta, rungs, top, population, batch, quiet,
    )
    raise typer.Exit(code)


@search_app.command("identify")
def search_identify(
    expr: str = typer.Argument(..., help='An expression, e.g. "x/(1 + exp(-x))".'),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Name the known function an expression computes, or the nearest one."""
    from actlab.search.commands import identify_command

    raise typer.Exit(identify_command(expr, as_json))


@search_app.command("export")
def search_export(
    name: str = typer.Argument(..., help="Name to register the function under."),
    store: Path = typer.Option(Path("actlab-results.db"), "--store", help="The bench SQLite store."),
    search_id: str = typer.Option(None, "--search", help="Search id (default: the latest search)."),
    rank: int = typer.Option(1, "--rank", help="Which of the best functions (1 = best)."),
    out_file: Path = typer.Option(None, "--out", help="Write the snippet here instead of stdout."),
) -> None:
    """Print a discovered function as a register_expression snippet."""
    from actlab.search.commands import export_command

    raise typer.Exit(export_command(name, store, search_id, rank, out_file))


claims_app = typer.Typer(help="The literature's claims about activations, reproduced or refuted with "
                              "statistics.")
app.add_typer(claims_app, name="claims")


@claims_app.command("list")
def claims_list(
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """The claims on the board: name, statement, paper, and what each preset runs."""
    from actlab.claims.commands import list_command

    raise typer.Exit(list_command(as_json))


@claims_app.command("run")
def claims_run(
    names: list[str] = typer.Argument(None, help="Claims to run (default: all); see `actlab claims list`."),
    preset: str = typer.Option("quick", "--preset", help="quick (CPU minutes), full (the verdicts), tiny."),
    seeds: int = typer.Option(None, "--seeds", help="Override every protocol's number of seeds."),
    store: Path = typer.Option(Path("actlab-results.db"), "--store", help="The bench's SQLite store."),
    executor: str = typer.Option("local", "--executor", help="local or ray."),
    workers: int = typer.Option(None, "--workers", help="Local worker processes (default: one per core)."),
    address: str = typer.Option(None, "--address", help="Ray cluster: auto or HOST:PORT."),
    out: Path = typer.Option(Path("actlab-report"), "--out", help="Where to write the report at the end."),
    quiet: bool = typer.Option(False, "--quiet", help="Plain log lines instead of a progress bar."),
    wait: bool = typer.Option(True, "--wait/--no-wait", help="Wait for runs other processes hold."),
    bench: str = typer.Option(None, "--bench", help="Also run this bench preset (one sweep, one report)."),
) -> None:
    """Run the claims' protocols through the bench runner (resumable) and report their verdicts."""
    from actlab.claims.commands import run_command

    _report_sections()
    code = run_command(names or None, preset, seeds, store, executor, workers, address, out, quiet, wait,
                       bench)  # fmt: skip
    if code:
        raise typer.Exit(code)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
