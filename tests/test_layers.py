"""Imports point one way (the import-linter contracts in pyproject.toml); the check catches one that does not."""

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(where: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(where / "pyproject.toml"), "--no-cache"],
        cwd=where,
        env={"PYTHONPATH": str(where), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_code_keeps_the_arrows():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


def test_an_upward_import_or_streamlit_in_the_domain_fails_the_check(tmp_path):
    ignore = shutil.ignore_patterns("__pycache__", "locales")
    for package in ("cockpit", "views"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    areas = tmp_path / "cockpit" / "data" / "areas.py"
    areas.write_text(areas.read_text() + "\nfrom cockpit.ui import sidebar  # noqa\nimport streamlit  # noqa\n")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "cockpit.data.areas -> cockpit.ui.sidebar" in result.stdout
    assert "cockpit.data.areas -> streamlit" in result.stdout
