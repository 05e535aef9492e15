"""The ``tanzuji`` command line: calculate footprints and manage factor tables.

Commands stay thin: parse the arguments, call the domain core, render. Every
:class:`~tanzuji.errors.TanzujiError` becomes a red message on stderr and
exit status 2 (:func:`main`); a bad option is typer's usual status 2 too.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from importlib.resources import as_file, files
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Column, Table

from tanzuji import __version__
from tanzuji.cli_cert import cert_app
from tanzuji.cli_ledger import ledger_app
from tanzuji.cli_platform import db_app, demo_load, org_app, serve, user_app
from tanzuji.engine import Footprint, calculate, monte_carlo
from tanzuji.errors import FactorNotFound, TanzujiError
from tanzuji.factors import (
    FactorSet,
    bundled_factor_set,
    bundled_versions,
    factor_gaps,
    load_factor_set,
    write_factors,
)
from tanzuji.factors.factor import EmissionFactor
from tanzuji.model import Stage, json_schema, load_models
from tanzuji.model.files import dump_schema
from tanzuji.rules import (
    bundled_rules,
    check,
    checked_model,
    find_rule,
    load_activity_data,
    rule_for,
)
from tanzuji.rules.entry_csv import write_entry_csv
from tanzuji.rules.files import dump_schema as dump_rule_schema
from tanzuji.rules.files import json_schema as rule_schema
from tanzuji.rules.workbook import write_template

__all__ = ["app", "main"]

app = typer.Typer(
    help="tanzuji 碳足迹: product carbon footprints (GB/T 24067-2024 / ISO 14067).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
factors_app = typer.Typer(
    help="Emission factor tables: list, search, show, import, export.", no_args_is_help=True
)
app.add_typer(factors_app, name="factors")
app.add_typer(cert_app, name="cert")

# markup is off: names, units and messages may hold brackets, e.g. "[what]"
out = Console(soft_wrap=True, markup=False, highlight=False)
err = Console(stderr=True, soft_wrap=True, markup=False, highlight=False)

FactorsOption = Annotated[
    str | None,
    typer.Option(
        "--factors",
        "-f",
        help="factor set: a bundled version, a .csv/.xlsx file or a version in the "
        "factor library (default: the latest bundled database)",
    ),
]


def library_dir() -> Path:
    """Where imported factor sets are kept: ``$TANZUJI_DATA_DIR/factors`` (default ``./var``)."""
    return Path(os.environ.get("TANZUJI_DATA_DIR", "var")) / "factors"


def open_factor_set(choice: str | None) -> FactorSet:
    """The bundled database (any of its versions), a table file, or a version imported into
    the library."""
    if choice is None:
        return bundled_factor_set()
    if choice in bundled_versions():
        return bundled_factor_set(choice)
    path = Path(choice)
    if path.suffix.lower() in (".csv", ".xlsx"):
        return load_factor_set(path)
    stored = library_dir() / f"{choice}.csv"
    if stored.exists():
        return load_factor_set(stored, version=choice)
    known = sorted(p.stem for p in library_dir().glob("*.csv"))
    raise FactorNotFound(
        f"no factor set {choice!r}: give a .csv/.xlsx file, a bundled version "
        f"({', '.join(bundled_versions())}) or one of the imported versions "
        f"({', '.join(known) or 'none yet: tanzuji factors import FILE --version V'})"
    )


@contextmanager
def _progress(label: str, total: int, *, enabled: bool) -> Iterator[Any]:
    if not enabled:
        yield None
        return
    with Progress(
        TextColumn(label),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=total)
        yield lambda done: bar.update(task, completed=done)


def _print_footprint(footprint: Footprint, top: int) -> None:
    unit = footprint.declared_unit
    out.print(f"{footprint.name_zh} / {footprint.name_en}  ({footprint.product})", style="bold")
    out.print(f"声明单位 declared unit: {unit}   系统边界 boundary: {footprint.boundary}")
    out.print(f"碳足迹 total: {footprint.total_kgco2e:,.4g} kgCO2e per {unit}", style="bold green")
    out.print(
        f"  化石 fossil {footprint.fossil_kgco2e:,.4g} · 生物源 biogenic "
        f"{footprint.biogenic_kgco2e:,.4g} · 土地利用变化 dLUC "
        f"{footprint.luc_kgco2e:,.4g} kgCO2e"
    )
    if footprint.uncertainty is not None:
        u = footprint.uncertainty
        out.print(
            f"  不确定性 uncertainty ({u.iterations} runs, seed {u.seed}): mean "
            f"{u.mean:,.4g}, median {u.median:,.4g}, 95 % interval "
            f"{u.p2_5:,.4g} – {u.p97_5:,.4g} kgCO2e"
        )
    stages = Table(title=f"阶段 Stages (kgCO2e per {unit})")
    stages.add_column("stage")
    stages.add_column("kgCO2e", justify="right")
    stages.add_column("share", justify="right")
    for stage, value in footprint.by_stage.items():
        s = Stage(stage)
        share = value / footprint.total_kgco2e if footprint.total_kgco2e else 0.0
        stages.add_row(f"{s.label_zh} {s.label_en}", f"{value:,.4g}", f"{share:.1%}")
    out.print(stages)
    gases = Table(title=f"温室气体 Gases (per {unit})")
    for column in ("flow", "kg", "kgCO2e"):
        gases.add_column(column, justify="left" if column == "flow" else "right")
    for flow, result in footprint.by_gas.items():
        gases.add_row(flow, f"{result.kg:,.4g}", f"{result.kgco2e:,.4g}")
    out.print(gases)
    spots = Table(title=f"热点 Top {top} hot spots in the supply chain (kgCO2e per {unit})")
    for column in ("product", "line", "stage", "kgCO2e", "share"):
        spots.add_column(column, justify="right" if column in ("kgCO2e", "share") else "left")
    for c in footprint.hotspots[:top]:
        stage = Stage(c.stage).label_zh if c.stage else ""
        spots.add_row(c.product, c.name, stage, f"{c.kgco2e:,.4g}", f"{c.share:.1%}")
    out.print(spots)
    if footprint.uncertainty is not None and footprint.uncertainty.contribution_to_variance:
        out.print(
            "方差贡献 Contribution to variance: "
            + ", ".join(
                f"{k} {v:.0%}"
                for k, v in list(footprint.uncertainty.contribution_to_variance.items())[:5]
            )
        )
    for line in footprint.cut_off:
        out.print(
            f"取舍 cut-off: {line.name} ({line.reason}): {line.kgco2e:,.4g} kgCO2e, "
            f"{line.share:.2%}"
        )
    out.print(
        f"数据质量 data quality rating: {footprint.data_quality_rating:.2f} (1 best – 5) · "
        f"初级数据占比 primary data share: {footprint.primary_data_share:.1%}"
    )
    p = footprint.provenance
    rule = f"rule {p.rule} · " if p.rule else ""
    out.print(
        f"{rule}factor set {p.factor_set} · GWP {p.gwp} · solver {p.solver} · "
        f"{len(p.factors)} factors",
        style="dim",
    )
    for fallback in p.fallbacks:
        out.print(f"fallback: {fallback}", style="yellow")
    for warning in footprint.warnings:
        out.print(warning, style="yellow")


@app.command()
def calc(
    source: Annotated[
        Path, typer.Argument(help="product model file, or activity data with --rule (.yaml/.json)")
    ],
    rule: Annotated[
        str | None, typer.Option(help="product rule (id or id@version) the data is entered under")
    ] = None,
    product: Annotated[
        str | None, typer.Option(help="product id (default: the file's first)")
    ] = None,
    gwp: Annotated[str, typer.Option(help="GWP set: AR6 (default) or AR5")] = "AR6",
    monte_carlo_runs: Annotated[
        int, typer.Option("--monte-carlo", min=0, help="Monte Carlo iterations (0: none)")
    ] = 0,
    seed: Annotated[int, typer.Option(help="random seed of the Monte Carlo run")] = 42,
    factors: FactorsOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON instead of tables")] = False,
    top: Annotated[int, typer.Option(min=1, help="how many hot spots to show")] = 10,
) -> None:
    """Calculate the footprint of a product model (and its whole supply chain), or of
    activity data entered under a product rule."""
    factor_set = open_factor_set(factors)
    warnings: tuple[str, ...] = ()
    rule_key = None
    if rule is not None:
        data = load_activity_data(source)
        chosen = rule_for(rule, data.rule)
        model, problems = checked_model(chosen, data, factor_set)
        models, warnings, rule_key = [model], tuple(str(p) for p in problems), chosen.key
    else:
        models = load_models(source)
    if not models:
        raise TanzujiError(f"{source}: the file has no products")
    target = product or models[0].id
    results = calculate(models, factor_set, gwp)
    footprint = replace(results.footprint(target, rule=rule_key), warnings=warnings)
    if monte_carlo_runs:
        with _progress("Monte Carlo", monte_carlo_runs, enabled=not as_json) as report:
            runs = monte_carlo(
                results, monte_carlo_runs, seed=seed, explain=target, progress=report
            )
        footprint = replace(footprint, uncertainty=runs.statistics(target))
    if as_json:
        out.print_json(json.dumps(footprint.to_dict(top=top), ensure_ascii=False, allow_nan=False))
    else:
        _print_footprint(footprint, top)


demo_app = typer.Typer(
    help="The demonstration: the green tea example, or a whole demo province in the database."
)
app.add_typer(demo_app, name="demo")


@demo_app.callback(invoke_without_command=True)
def demo(
    context: typer.Context,
    monte_carlo_runs: Annotated[int, typer.Option("--monte-carlo", min=0)] = 2000,
) -> None:
    """Without a subcommand: calculate the Guizhou green tea example (1 kg, cradle-to-gate)
    with uncertainty."""
    if context.invoked_subcommand is not None:
        return
    resource = files("tanzuji") / "examples" / "green_tea.yaml"
    with as_file(resource) as path:
        out.print(f"example: {path}", style="dim")
        calc(path, monte_carlo_runs=monte_carlo_runs)


demo_app.command("load")(demo_load)
app.add_typer(db_app, name="db")
app.add_typer(org_app, name="org")
app.add_typer(user_app, name="user")
app.add_typer(ledger_app, name="ledger")
app.command("serve")(serve)


rules_app = typer.Typer(
    help="Product rules: list, show, check activity data.", no_args_is_help=True
)
app.add_typer(rules_app, name="rules")


@rules_app.command("list")
def rules_list() -> None:
    """List the product rules that ship with tanzuji."""
    table = Table(title="产品碳足迹核算规则 Product rules")
    for column in ("rule", "名称", "name", "declared unit", "boundaries", "sector standard"):
        table.add_column(column)
    for r in bundled_rules():
        table.add_row(
            r.key,
            r.name_zh,
            r.name_en,
            r.declared_unit,
            ", ".join(r.boundaries),
            ", ".join(s.code for s in r.sector_standards) or "none (see basis)",
        )
    out.print(table)


@rules_app.command("show")
def rules_show(
    rule: Annotated[str, typer.Argument(help="rule id or id@version")],
    as_json: Annotated[bool, typer.Option("--json", help="print the rule as JSON")] = False,
) -> None:
    """Show a rule: its basis, the inputs it asks for and how they become lines."""
    chosen = find_rule(rule)
    if as_json:
        out.print_json(chosen.model_dump_json())
        return
    out.print(f"{chosen.name_zh} / {chosen.name_en}  ({chosen.key})", style="bold")
    out.print(
        f"声明单位 declared unit: {chosen.declared_unit} · 边界 boundary: "
        f"{chosen.boundary} (allowed: {', '.join(chosen.boundaries)})"
    )
    out.print(f"依据: {chosen.basis_zh}")
    out.print(f"Basis: {chosen.basis_en}")
    table = Table(title="活动数据 Inputs")
    for column in ("name", "项目", "input", "unit", "required", "primary", "plausible range"):
        table.add_column(column)
    for i in chosen.inputs:
        per = f" per {chosen.input(chosen.output).unit}" if i.per_output else ""
        span = f"{'' if i.low is None else i.low}–{'' if i.high is None else i.high}{per}"
        table.add_row(
            i.name,
            i.label_zh,
            i.label_en,
            i.unit,
            "yes" if i.required else "",
            "yes" if i.primary_required else "",
            span,
        )
    out.print(table)
    lines = Table(title="核算行 Lines")
    for column in ("id", "stage", "amount", "unit", "multiplied by"):
        lines.add_column(column)
    for line in chosen.lines:
        target = line.factor or line.activity or line.product or f"emission {line.emission}"
        lines.add_row(line.id, Stage(line.stage).label_zh, line.amount, line.unit, target)
    out.print(lines)
    if chosen.allocation is not None:
        outputs = ", ".join(f"{c.name_zh} {c.name_en} ({c.amount})" for c in chosen.co_products)
        out.print(f"副产品 co-products: {outputs}")
        bases = "; ".join(f"{k}: {v}" for k, v in chosen.allocation.basis.items())
        out.print(
            f"分配 allocation ({chosen.allocation.method}, {chosen.allocation.basis_unit}): {bases}"
        )


@rules_app.command("template")
def rules_template(
    rule: Annotated[str, typer.Argument(help="rule id or id@version")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="table to write: Excel (.xlsx) or CSV (.csv)")
    ],
) -> None:
    """Write the rule's data entry table (Chinese first, with units, ranges and help)."""
    writers = {".xlsx": write_template, ".csv": write_entry_csv}
    writer = writers.get(output.suffix.lower())
    if writer is None:
        raise TanzujiError(f"{output}: the template is a .xlsx workbook or a .csv table")
    out.print(f"wrote {writer(find_rule(rule), output)}")


@rules_app.command("check")
def rules_check(
    rule: Annotated[str, typer.Argument(help="rule id or id@version")],
    data: Annotated[
        Path, typer.Argument(help="activity data: .yaml, .json or the rule's .xlsx template")
    ],
    factors: FactorsOption = None,
) -> None:
    """List every problem of activity data under a rule (exit status 1 if any is an error)."""
    entered = load_activity_data(data)
    problems = check(rule_for(rule, entered.rule), entered, open_factor_set(factors))
    for problem in problems:
        colour = "red" if problem.severity == "error" else "yellow"
        out.print(str(problem), style=colour)
    errors = sum(p.severity == "error" for p in problems)
    out.print(f"{errors} error(s), {len(problems) - errors} warning(s)")
    if errors:
        raise typer.Exit(1)


@app.command()
def schema(
    output: Annotated[Path | None, typer.Argument(help="file to write (default: stdout)")] = None,
    of: Annotated[
        str, typer.Option("--of", help="'model' (model files) or 'rule' (rule files)")
    ] = "model",
) -> None:
    """Print or write the JSON Schema of product model files or of rule files."""
    schemas = {"model": (json_schema, dump_schema), "rule": (rule_schema, dump_rule_schema)}
    if of not in schemas:
        raise TanzujiError(f"--of takes model or rule, not {of!r}")
    generate, dump = schemas[of]
    if output is None:
        out.print_json(json.dumps(generate(), ensure_ascii=False))
    else:
        out.print(f"wrote {dump(output)}")


def _factor_table(rows: list[EmissionFactor], title: str) -> Table:
    table = Table(title=title)
    for column in (
        "id",
        "activity",
        "名称 name",
        "geo",
        "year",
        "kgCO2e (AR6)",
        "per",
        "confidence",
    ):
        table.add_column(column, justify="right" if column.startswith("kgCO2e") else "left")
    for f in rows:
        table.add_row(
            f.id,
            f.activity,
            f"{f.name_zh} / {f.name_en}",
            f.geography,
            str(f.reference_year or ""),
            f"{f.co2e():,.6g}",
            f.unit,
            f.source.confidence,
        )
    return table


@factors_app.command("list")
def factors_list(
    factors: FactorsOption = None,
    activity: Annotated[str | None, typer.Option(help="only this activity")] = None,
) -> None:
    """List the factors of a set."""
    chosen = open_factor_set(factors)
    rows = [f for f in chosen if activity is None or f.activity == activity]
    out.print(_factor_table(rows, f"{chosen.title} ({chosen.version}): {len(rows)} factors"))


@factors_app.command("search")
def factors_search(
    text: Annotated[str, typer.Argument(help="part of an id, activity or name (中文 too)")],
    factors: FactorsOption = None,
) -> None:
    """Find factors by id, activity or name."""
    chosen = open_factor_set(factors)
    rows = chosen.search(text)
    out.print(_factor_table(rows, f"{len(rows)} match(es) for {text!r} in {chosen.version}"))


@factors_app.command("show")
def factors_show(
    factor_id: Annotated[str, typer.Argument(help="factor id")],
    factors: FactorsOption = None,
) -> None:
    """Show one factor with its source, data quality and uncertainty."""
    factor = open_factor_set(factors)[factor_id]
    out.print_json(factor.model_dump_json())


@factors_app.command("gaps")
def factors_gaps(
    version: Annotated[
        str | None, typer.Option(help="bundled version (default: the latest)")
    ] = None,
) -> None:
    """The factors the rules need that no published source has given yet (never made up)."""
    gaps = factor_gaps(version) if version else factor_gaps()
    table = Table(
        Column("id", no_wrap=True), "因子 factor", "所需规则 needed by", "查找情况 searched"
    )
    for gap in gaps:
        table.add_row(
            gap.id,
            f"{gap.name_zh}\n{gap.name_en}",
            ", ".join(gap.needed_by),
            gap.searched + (f"\nnext: {gap.next_step}" if gap.next_step else ""),
        )
    out.print(table)
    out.print(f"{len(gaps)} gaps")


@factors_app.command("import")
def factors_import(
    table: Annotated[Path, typer.Argument(help=".csv or .xlsx factor table")],
    version: Annotated[str, typer.Option(help="version of the new set, e.g. GZ-2026.1")],
) -> None:
    """Check a factor table and keep it as an immutable version in the factor library."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", version):
        raise TanzujiError(
            f"version {version!r} must start with a letter or digit and hold only letters, "
            "digits, '.', '_' and '-', e.g. GZ-2026.1"
        )
    checked = load_factor_set(table, version=version)
    target = library_dir() / f"{version}.csv"
    if target.exists() or version in bundled_versions():
        raise TanzujiError(
            f"factor set {version} exists already in {library_dir()}; "
            "published versions never change: choose a new version"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    if table.suffix.lower() == ".csv":
        shutil.copyfile(table, target)
    else:
        write_factors(checked, target)
    out.print(f"imported {len(checked)} factors as {version} ({target})")


@factors_app.command("export")
def factors_export(
    output: Annotated[Path, typer.Argument(help="file to write: .csv or .xlsx")],
    factors: FactorsOption = None,
) -> None:
    """Write a factor set as CSV or Excel."""
    chosen = open_factor_set(factors)
    write_factors(chosen, output)
    out.print(f"wrote {len(chosen)} factors of {chosen.version} to {output}")


@app.callback(invoke_without_command=True)
def _version(
    version: Annotated[bool, typer.Option("--version", help="print the version")] = False,
) -> None:
    if version:
        out.print(f"tanzuji {__version__}")
        raise typer.Exit()


def main() -> None:
    """Entry point: run the app and turn tanzuji's errors into exit status 2."""
    try:
        app()
    except (TanzujiError, OSError) as exc:
        err.print(f"error: {exc}", style="bold red")
        sys.exit(2)
