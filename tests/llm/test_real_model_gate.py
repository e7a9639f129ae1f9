"""Where the real-model tests cannot run: skipped on a developer's machine, failed in CI."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from support import REPO


@pytest.mark.parametrize("ci", ["true", ""])
def test_missing_llama_cpp_fails_in_ci_and_skips_elsewhere(tmp_path, ci):
    shim = tmp_path / "shim" / "llama_cpp"
    shim.mkdir(parents=True)
    (shim / "__init__.py").write_text("raise ImportError('not installed (test shim)')\n")
    env = dict(os.environ, CI=ci, QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=os.pathsep.join([str(shim.parent), os.environ.get("PYTHONPATH", "")]))
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rsf",
         "tests/llm/test_real_model.py::test_json_schema_constrained_output"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    out = result.stdout
    if ci:
        assert result.returncode == 1, out
        assert "CI is meant to install the llm-test extra" in out and "llama-cpp-python" in out
    else:
        assert result.returncode == 0, out
        assert "1 skipped" in out and "llm-test" in out
