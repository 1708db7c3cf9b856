"""``kg build --scheduler``: the same extraction on a real Dask cluster, the same graph."""

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from distributed import Client, LocalCluster

from graph.cli import main
from graph.errors import InputError
from graph.pipeline import build_outputs

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "xwlb-sample-200.jsonl"
if not SAMPLE.exists():
    SAMPLE = Path("/work/shared/corpus/xwlb-sample-200.jsonl")
OUTPUTS = ("graph.json", "graph.graphml", "graph.html")


@pytest.fixture(scope="module")
def cluster():
    with LocalCluster(processes=True, n_workers=2, threads_per_worker=1,
                      dashboard_address=None) as local:
        yield local


def test_build_on_a_cluster_equals_a_plain_build(cluster, tmp_path):
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    corpus = tmp_path / "in.jsonl"
    corpus.write_text("\n".join(lines[::5][:40]) + "\n", encoding="utf-8")
    runner = CliRunner()
    plain = runner.invoke(main, ["build", str(corpus), "-o", str(tmp_path / "plain"),
                                 "--workers", "1", "--quiet"])
    assert plain.exit_code == 0, plain.output
    result = runner.invoke(main, ["build", str(corpus), "-o", str(tmp_path / "dask"),
                                  "--scheduler", cluster.scheduler_address, "--quiet"])
    assert result.exit_code == 0, result.output
    assert f"extracted in Dask cluster at {cluster.scheduler_address}" in result.output
    assert "40 documents" in result.output
    for name in OUTPUTS:
        assert (tmp_path / "dask" / name).read_bytes() == \
            (tmp_path / "plain" / name).read_bytes(), name

    # several small chunks, so both workers take part and results come back out of order
    report = build_outputs([corpus], tmp_path / "small", scheduler=cluster.scheduler_address,
                           chunk_size=3, progress=False)
    assert report.documents == 40
    assert (tmp_path / "small" / "graph.json").read_bytes() == \
        (tmp_path / "plain" / "graph.json").read_bytes()
    with Client(cluster) as client:
        ran = client.run(lambda: "graph.pipeline" in sys.modules)
    assert list(ran.values()) == [True, True], "both workers extract"


def test_a_scheduler_and_bad_chunk_size_fail_before_connecting(tmp_path):
    with pytest.raises(InputError, match="chunk size"):
        build_outputs([tmp_path], tmp_path / "out", scheduler="tcp://127.0.0.1:1",
                      chunk_size=0)
