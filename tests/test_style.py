"""ruff (pycodestyle, pyflakes, isort, bugbear, pyupgrade rules from pyproject.toml) keeps the code uniform."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_finds_nothing():
    if shutil.which("ruff") is None and not (Path(sys.executable).parent / "ruff").exists():
        pytest.skip("ruff is not installed (pip install -e '.[test]')")
    res = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout[-3000:]


def test_analysis_layer_never_imports_streamlit():
    offenders = [p.name for p in (ROOT / "analysis").glob("*.py")
                 if "import streamlit" in p.read_text(encoding="utf-8")
                 or "from streamlit" in p.read_text(encoding="utf-8")]
    assert offenders == []
