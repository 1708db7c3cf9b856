"""The verbs that make files: build, merge, export, render, evaluate."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..files import DEFAULT_GRAPH, DEFAULT_OUT

@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--out", type=click.Path(path_type=Path), default=DEFAULT_OUT,
              show_default=True, help="Folder for graph.json, graph.graphml and graph.html.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("-w", "--workers", type=click.IntRange(min=1),
              help="Extraction processes [default: the number of cores].")
@click.option("--scheduler", metavar="ADDRESS",
              help="Extract on a Dask cluster, e.g. tcp://host:8786 (needs kg-zh[dask]).")
@click.option("--strict", is_flag=True,
              help="Stop at the first input that cannot be read (default: skip it, exit 3).")
@click.option("--extractor", "extractor_name", default="rules", show_default=True,
              metavar="NAME", help="A registered extractor (`kg extractors` lists them).")
@click.option("--lexicon", type=click.Path(path_type=Path), metavar="FILE",
              help="Your own names, aliases and stop-words, applied to every document.")
def build(paths, out, quiet, workers, scheduler, strict, extractor_name, lexicon):
    """Extract a graph from PATHS (files, folders or - for stdin; default: seeds/).

    Folders are walked recursively for .txt, .md, .jsonl and .jsonl.gz files; standard
    input holds one text or JSON lines (id, text, optional title, date, url). Inputs
    that cannot be read are skipped with a reason and the exit code is 3.
    """
    from ..extract import get_extractor
    from ..pipeline import build_outputs

    extractor = get_extractor(extractor_name)
    if lexicon is not None:
        from ..user_lexicon import WithLexicon, read_lexicon

        extractor = WithLexicon(extractor, read_lexicon(lexicon))
    report = build_outputs(list(paths) or [Path("seeds")], out,
                           extractor=extractor, progress=not quiet,
                           workers=workers, scheduler=scheduler, strict=strict)
    click.echo(report.summary())
    if report.skipped_count:
        sys.exit(3)


@click.command()
def extractors():
    """List the registered extractors (for kg build --extractor NAME)."""
    from ..extract import DEFAULT_EXTRACTOR, available_extractors

    for name in available_extractors():
        click.echo(f"{name} (default)" if name == DEFAULT_EXTRACTOR else name)


@click.command()
@click.argument("graph_files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--out", type=click.Path(path_type=Path), required=True,
              help="Folder for the merged graph.json, graph.graphml and graph.html.")
def merge(graph_files, out):
    """Merge GRAPH_FILES built from disjoint sets of documents into one graph.

    Give the shards in the order of their documents: the result is then the graph
    one build over all of them gives.
    """
    from ..pipeline import merge_outputs

    click.echo(merge_outputs(graph_files, out).summary())


@click.command()
@click.argument("graph_file", default=str(DEFAULT_GRAPH), type=click.Path(path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(["graphml", "json", "neo4j-csv"]),
              default="graphml", show_default=True)
@click.option("-o", "--out", type=click.Path(path_type=Path), required=True,
              help="Output file (a folder for neo4j-csv).")
def export(graph_file, fmt, out):
    """Export GRAPH_FILE in another format."""
    from ..export import graphml, neo4j_csv
    from ..files import check_output, load_graph, save_graph

    check_output(out, folder=fmt == "neo4j-csv")
    graph = load_graph(graph_file)
    if fmt == "graphml":
        graphml.write_graphml(graph, out)
    elif fmt == "json":
        save_graph(graph, out)
    else:
        neo4j_csv.write_neo4j_csv(graph, out)
        click.echo(f"import into a stopped Neo4j 5 with: sh {out / 'import.sh'}")
    click.echo(f"wrote {out}")


@click.command()
@click.argument("graph_file", default=str(DEFAULT_GRAPH), type=click.Path(path_type=Path))
@click.option("-o", "--out", type=click.Path(path_type=Path), default=DEFAULT_OUT / "graph.html",
              show_default=True)
@click.option("--focus", help="Only the neighbourhood of this entity (any name or alias).")
@click.option("--depth", default=2, show_default=True, help="Hops around --focus.")
@click.option("--types", help="Comma-separated entity types to keep, e.g. Person,Institution.")
@click.option("--top", type=int, help="Keep the N most important entities.")
def render(graph_file, out, focus, depth, types, top):
    """Write the interactive HTML page for GRAPH_FILE."""
    from ..files import check_output, load_graph
    from ..render import render_html

    check_output(out, folder=False)
    graph = load_graph(graph_file)
    kinds = [t.strip() for t in types.split(",")] if types else None
    report = render_html(graph, out, focus=focus, depth=depth, types=kinds, top=top)
    click.echo(f"wrote {out}: {report}")


@click.command()
@click.argument("graph_file", default=str(DEFAULT_GRAPH), type=click.Path(path_type=Path))
@click.option("--gold", type=click.Path(path_type=Path), required=True, multiple=True,
              help="A gold file in the format of shared/gold/seeds.json; repeat for several.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--errors", is_flag=True, help="Also list every missed and every false item.")
def evaluate(graph_file, gold, as_json, errors):
    """Score GRAPH_FILE against a gold annotation."""
    from ..files import load_graph
    from ..evaluate import evaluate_graph, format_scores, read_gold

    scores = evaluate_graph(load_graph(graph_file), read_gold(*gold))
    click.echo(json.dumps(scores, ensure_ascii=False, indent=1) if as_json
               else format_scores(scores, errors))
