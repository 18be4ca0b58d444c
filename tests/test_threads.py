"""BLAS threads: every place that runs notebooks side by side caps numpy's BLAS at
dnncourse.limits.BLAS_THREADS (the suite, its kernels, grading kernels, the hub's servers)."""

import os
import re
from pathlib import Path

import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook
from traitlets.config import Config

from dnncourse import limits
from dnncourse.course import Course

REPO = Course()  # this repository's course

# What a kernel reports: its BLAS variables and nbgrader's execution mode.
REPORT = ("import os\n"
          f"for name in {(*limits.BLAS_VARIABLES, 'NBGRADER_EXECUTION')!r}:\n"
          "    print(name, os.environ.get(name))")


def _report(nb):
    printed = "".join(o.get("text", "") for o in nb.cells[0].outputs
                      if o.output_type == "stream")
    return dict(line.split(" ", 1) for line in printed.splitlines())


def _expected(mode="None"):
    return {**limits.blas_environment(), "NBGRADER_EXECUTION": mode}


def test_the_suite_runs_with_the_blas_limit():
    for name, value in limits.blas_environment().items():
        assert os.environ.get(name) == value, (
            f"expected {name}={value} in the test process (tests/conftest.py sets it), "
            f"got {os.environ.get(name)!r}")


def test_a_notebook_the_suite_runs_sees_the_blas_limit(tmp_path):
    nb = new_notebook(cells=[new_code_cell(REPORT)])
    NotebookClient(nb, timeout=60, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert _report(nb) == _expected(), f"the suite's kernel saw {_report(nb)}"


@pytest.mark.parametrize("sandbox", [True, False], ids=["sandboxed", "plain"])
def test_a_grading_kernel_gets_the_blas_limit_whatever_the_grader_has(tmp_path, monkeypatch,
                                                                       sandbox):
    from dnncourse.kernel.execution import RobustExecute

    # A grader started from a shell that asks for 8 threads, during nbgrader's autograde.
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "8")
    monkeypatch.setenv("OMP_NUM_THREADS", "8")
    monkeypatch.delenv("MKL_NUM_THREADS", raising=False)
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    folder = tmp_path / "submission"
    folder.mkdir()
    folder.chmod(0o755)  # the sandboxed kernel runs as nobody
    nb = new_notebook(cells=[new_code_cell(REPORT)])
    RobustExecute(timeout=60, sandbox=sandbox).preprocess(
        nb, {"metadata": {"path": str(folder)}})
    assert _report(nb) == _expected("autograde"), (
        f"the {'sandboxed' if sandbox else 'plain'} grading kernel saw {_report(nb)}")


def _hub_config(monkeypatch, **variables):
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    path = REPO.root / "deploy" / "jupyterhub_config.py"
    config = Config()
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"),
         {"get_config": lambda: config, "__file__": str(path), "__name__": "hub_config"})
    return config


def test_hub_servers_and_the_formgrader_get_one_blas_thread_by_default(monkeypatch):
    monkeypatch.delenv("DNNCOURSE_BLAS_THREADS", raising=False)
    config = _hub_config(monkeypatch)
    wanted = limits.blas_environment()
    spawner = config.Spawner.environment
    assert {k: spawner.get(k) for k in wanted} == wanted, (
        f"expected every student's server to start with {wanted}, got {spawner}")
    service = config.JupyterHub.services[0]["environment"]
    assert {k: service.get(k) for k in wanted} == wanted, (
        f"expected the formgrader service to start with {wanted}, got {service}")
    assert limits.BLAS_THREADS == 1


def test_hub_blas_threads_can_be_set_for_a_site(monkeypatch):
    config = _hub_config(monkeypatch, DNNCOURSE_BLAS_THREADS="2")
    wanted = limits.blas_environment(2)
    spawner = config.Spawner.environment
    assert {k: spawner.get(k) for k in wanted} == wanted, spawner


# A thread count written next to one of the variables: NAME=2, "NAME": "2", ("NAME", "2").
NAMES = "|".join(limits.BLAS_VARIABLES)
WRITTEN = re.compile(rf"({NAMES})[\"']?\]?\s*[=:,]\s*[\"']?\d")


def test_no_file_writes_the_thread_count_itself():
    """The number lives in dnncourse/limits.py; everything else calls blas_environment()."""
    written = []
    for path in [*REPO.root.glob("dnncourse/**/*.py"), *REPO.root.glob("deploy/*"),
                 *REPO.root.glob("tests/*.py"), REPO.root / "nbgrader_config.py",
                 REPO.root / "Makefile"]:
        if path.name == "limits.py" or path == Path(__file__) or not path.is_file():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if WRITTEN.search(line):
                written.append(f"{path.relative_to(REPO.root)}:{number}: {line.strip()}")
    assert not written, f"BLAS thread counts written outside dnncourse/limits.py: {written}"
