"""Shared fixtures: the tiny reference zone, and the model steps run once on it (KB -> train -> evaluate -> export)."""

from __future__ import annotations

import pytest
from tiny_reference import write_processed, write_reference


@pytest.fixture(scope="session")
def tiny_zones(tmp_path_factory):
    base = tmp_path_factory.mktemp("zones")
    return write_reference(base / "reference"), write_processed(base / "processed")


@pytest.fixture(scope="session")
def tiny_run(tiny_zones, tmp_path_factory):
    """Runs every model step's main() in order, the way the local runner does, and returns the output dirs."""
    from evaluate.evaluate import main as evaluate_main
    from export.export_model import main as export_main
    from knowledge_base.build_knowledge_base import main as kb_main
    from train.train import main as train_main

    reference, processed = tiny_zones
    out = tmp_path_factory.mktemp("run")
    dirs = {name: out / name for name in ("kb", "model", "evaluation", "package")}
    assert kb_main(["--reference-dir", str(reference), "--kb-dir", str(dirs["kb"])]) == 0
    assert (
        train_main(
            [
                "--processed-dir",
                str(processed),
                "--kb-dir",
                str(dirs["kb"]),
                "--model-dir",
                str(dirs["model"]),
                "--seed",
                "7",
            ]
        )
        == 0
    )
    assert (
        evaluate_main(
            [
                "--processed-dir",
                str(processed),
                "--kb-dir",
                str(dirs["kb"]),
                "--model-dir",
                str(dirs["model"]),
                "--evaluation-dir",
                str(dirs["evaluation"]),
                "--thresholds",
                '{"commonTop1": 0.5}',
            ]
        )
        == 0
    )
    assert (
        export_main(
            [
                "--model-dir",
                str(dirs["model"]),
                "--kb-dir",
                str(dirs["kb"]),
                "--evaluation-dir",
                str(dirs["evaluation"]),
                "--package-dir",
                str(dirs["package"]),
                "--model-version",
                "test-1",
            ]
        )
        == 0
    )
    return {"reference": reference, "processed": processed, **dirs}
