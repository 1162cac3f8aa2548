"""Builds the tiny model package (tiny reference zone -> every model step) for the TypeScript tests.

The TypeScript side proves that onnxruntime-node reproduces Python onnxruntime on the same inputs
(``parity-vectors.json``), and tests the service against a real package produced by the real steps.
Usage: ``python make_tiny_package.py OUT_DIR`` -> OUT_DIR/package/.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tiny_reference import write_processed, write_reference

from evaluate.evaluate import main as evaluate_main
from export.export_model import main as export_main
from knowledge_base.build_knowledge_base import main as kb_main
from train.train import main as train_main


def build(out: Path) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        reference, processed = write_reference(base / "reference"), write_processed(base / "processed")
        kb, model, evaluation = base / "kb", base / "model", base / "evaluation"
        kb_main(["--reference-dir", str(reference), "--kb-dir", str(kb)])
        train_main(
            ["--processed-dir", str(processed), "--kb-dir", str(kb), "--model-dir", str(model), "--seed", "7"]
        )
        evaluate_main(
            [
                "--processed-dir",
                str(processed),
                "--kb-dir",
                str(kb),
                "--model-dir",
                str(model),
                "--evaluation-dir",
                str(evaluation),
            ]
        )
        package = out / "package"
        if package.exists():
            shutil.rmtree(package)
        export_main(
            [
                "--model-dir",
                str(model),
                "--kb-dir",
                str(kb),
                "--evaluation-dir",
                str(evaluation),
                "--package-dir",
                str(package),
                "--model-version",
                "tiny-1",
            ]
        )
    return package


if __name__ == "__main__":
    print(build(Path(sys.argv[1])))
