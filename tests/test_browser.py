"""A student's and an instructor's day in real JupyterLab and Notebook 7 under headless
Chromium (issue 6), and a feedback page read offline; screenshots of every step go to
reports/browser/ or $BROWSER_SCREENSHOTS (the feedback page's to the same name + -feedback)."""

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import psutil
import pytest
from conftest import copy_course

from dnncourse.authoring import examples
from dnncourse.course import Course

REPO = Course()  # this repository's course

CHROMIUM = Path("/usr/bin/chromium")
# Headless Chromium as root in a container, with nothing that reaches out to the network.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SCREENSHOTS = Path(os.environ.get("BROWSER_SCREENSHOTS") or REPO.reports / "browser")
ASSIGNMENT = "step_by_step"
STUDENT = "browser_student"
FIRST_NAME, LAST_NAME = "Ada", "Lovelace"
# Answered, then checked, in the first round; the rest are answered in the second.
FIRST_EXERCISES = ("initialize_parameters", "initialize_parameters_deep", "linear_forward")
# Waits, in milliseconds. They are upper bounds for a loaded 2-core machine (CI runs
# other tests beside this one), never a measure of speed: nothing asserts a duration.
UI_WAIT = 60_000
KERNEL_WAIT = 240_000
SERVER_START_WAIT = 120  # seconds
SERVER_STOP_WAIT = 60  # seconds
# Marks every process this test starts (servers, kernels, browser), to find leftovers.
MARKER = "DNNCOURSE_BROWSER_TEST"

pytestmark = pytest.mark.slow


# ---------------------------------------------------------------- the course and the notebook


def notebook_name():
    return REPO.notebook(REPO.release, ASSIGNMENT).name


def functions_in_order():
    """Graded function names in the order of the notebook's exercises."""
    nb = json.loads(REPO.notebook(REPO.release, ASSIGNMENT).read_text(encoding="utf-8"))
    ids = [c["metadata"].get("nbgrader", {}).get("grade_id", "") for c in nb["cells"]]
    return [i.removeprefix("solution_") for i in ids if i.startswith("solution_")]


def expected_outputs(function):
    """Values of the Expected output table after the demo cell of `function`."""
    nb = json.loads(REPO.notebook(REPO.release, ASSIGNMENT).read_text(encoding="utf-8"))
    cells = nb["cells"]
    ids = [c["metadata"].get("nbgrader", {}).get("grade_id") for c in cells]
    start = ids.index(f"demo_{function}")
    table = next("".join(c["source"]) for c in cells[start:] if c["cell_type"] == "markdown")
    assert table.startswith("**Expected output**"), (
        f"expected an Expected output table after demo_{function}, got {table[:80]!r}")
    values = re.findall(r"^\|[^|]*\|\s*`([^`]+)`\s*\|$", table, flags=re.M)
    assert values, f"no values in the Expected output table of {function}: {table!r}"
    return values


def first_line(cell_source):
    return cell_source.split("\n", 1)[0]


def demo_line(function):
    """A line that only the demo cell of `function` has (its call of the function)."""
    nb = json.loads(REPO.notebook(REPO.release, ASSIGNMENT).read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == f"demo_{function}":
            source = "".join(cell["source"])
            return next(line for line in source.split("\n") if f"{function}(" in line)
    raise AssertionError(f"no demo cell for {function}")


# ---------------------------------------------------------------- processes


def marked_processes(marker_value):
    """PIDs (other than this one) whose environment carries the marker, or whose command
    line or working directory is inside the scratch folder."""
    found = {}
    # psutil skips processes that end meanwhile and gives None for what it may not read
    for proc in psutil.process_iter(["environ", "cmdline", "cwd"]):
        if proc.pid == os.getpid():
            continue
        environ = proc.info["environ"] or {}
        cmdline = " ".join(proc.info["cmdline"] or ())
        cwd = proc.info["cwd"] or ""
        if (environ.get(MARKER) == marker_value or marker_value in cmdline
                or cwd.startswith(marker_value)):
            found[proc.pid] = cmdline[:200]
    return found


def wait_until_gone(marker_value, seconds=30):
    """Give exiting processes a moment (kernels end just after their server); return the rest."""
    deadline = time.monotonic() + seconds
    while True:
        left = marked_processes(marker_value)
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.5)


class JupyterServer:
    """JupyterLab started in `root` on 127.0.0.1 with a token, stopped by its PID."""

    def __init__(self, name, root, scratch, env):
        self.name, self.root = name, Path(root)
        self.token = uuid.uuid4().hex
        state = Path(scratch) / f"jupyter-{name}"
        self.runtime = state / "runtime"
        self.log_path = state / "server.log"
        # Own settings, workspaces, config and kernels: nothing of the developer's home
        # leaks in, and a fresh layout every run.
        self.env = dict(
            env,
            JUPYTER_CONFIG_DIR=str(state / "config"),
            JUPYTER_DATA_DIR=str(state / "data"),
            JUPYTER_RUNTIME_DIR=str(self.runtime),
            JUPYTERLAB_SETTINGS_DIR=str(state / "settings"),
            JUPYTERLAB_WORKSPACES_DIR=str(state / "workspaces"),
            IPYTHONDIR=str(state / "ipython"),
        )
        # No "Jupyter news" question: the toast would cover the page and ask for the network.
        notification = state / "settings" / "@jupyterlab" / "apputils-extension"
        notification.mkdir(parents=True)
        (notification / "notification.jupyterlab-settings").write_text(
            json.dumps({"fetchNews": "false", "checkForUpdates": False}), encoding="utf-8")
        self.process = None
        self.url = None

    def start(self):
        self.runtime.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1",
                   "--port=0", f"--IdentityProvider.token={self.token}",
                   f"--ServerApp.root_dir={self.root}"]
        if os.geteuid() == 0:  # containers and CI run as root; JupyterLab asks for consent
            command.append("--allow-root")
        self.log = open(self.log_path, "w", encoding="utf-8")  # closed in stop()
        self.process = subprocess.Popen(command, cwd=self.root, env=self.env, stdout=self.log,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def wait_ready(self):
        """Wait for the server's runtime file and a successful /api/status."""
        info = self.runtime / f"jpserver-{self.process.pid}.json"
        deadline = time.monotonic() + SERVER_START_WAIT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"{self.name} JupyterLab exited with code "
                                     f"{self.process.returncode}:\n{self.log_tail()}")
            if info.exists():
                with contextlib.suppress(ValueError, OSError):
                    self.url = json.loads(info.read_text())["url"].rstrip("/")
                    status = f"{self.url}/api/status?token={self.token}"
                    with urllib.request.urlopen(status, timeout=10) as response:
                        if response.status == 200:
                            return
            time.sleep(0.25)
        raise AssertionError(f"{self.name} JupyterLab not ready after {SERVER_START_WAIT} s:\n"
                             f"{self.log_tail()}")

    def page_url(self, path):
        return f"{self.url}/{path}?token={self.token}&reset"

    def stop(self):
        """SIGTERM by PID (the server shuts its kernels down), then wait for the exit."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=SERVER_STOP_WAIT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"{self.name} JupyterLab ignored SIGTERM for "
                                 f"{SERVER_STOP_WAIT} s and was killed:\n{self.log_tail()}"
                                 ) from None
        finally:
            self.log.close()

    def log_tail(self, lines=30):
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return "(no log)"


def run(command, cwd, env):
    """Run a command line tool; fail with its output when it fails."""
    done = subprocess.run(command, cwd=cwd, env=env, text=True, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, timeout=900)
    assert done.returncode == 0, (
        f"`{' '.join(map(str, command))}` in {cwd}: expected exit code 0, "
        f"got {done.returncode}:\n{done.stdout[-3000:]}")
    return done.stdout


# ---------------------------------------------------------------- steps and screenshots


class Steps:
    """Numbered steps; each may take a screenshot, and a failing one leaves FAILED-*.png."""

    def __init__(self, folder):
        self.folder = Path(folder)
        if self.folder.exists():
            shutil.rmtree(self.folder)  # a kept folder shows this run only
        self.folder.mkdir(parents=True)
        self.number = 0
        self.page = None  # the page a failure screenshot is taken of

    def slug(self, name):
        return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")

    def shot(self, name, page=None):
        path = self.folder / f"{self.number:02d}-{self.slug(name)}.png"
        (page or self.page).screenshot(path=str(path))
        return path

    @contextlib.contextmanager
    def __call__(self, name, page=None):
        self.number += 1
        if page is not None:
            self.page = page
        start = time.monotonic()
        try:
            yield
            # For the reader of the log only; no step has a time limit.
            print(f"step {self.number} {name}: {time.monotonic() - start:.1f} s")
        except Exception as exc:
            where = self.folder / f"FAILED-{self.number:02d}-{self.slug(name)}.png"
            try:
                self.page.screenshot(path=str(where))
                shot = f"screenshot: {where}"
            except Exception as shot_error:  # a dead page must not hide the real error
                shot = f"no screenshot ({shot_error})"
            raise AssertionError(f"step {self.number} '{name}' failed: {exc}\n{shot}") from exc


# ---------------------------------------------------------------- the interface


def open_menu(page, menu, item):
    """Click a menu of the menu bar, then one of its items (as a person would)."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{menu}$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{item}$")).click()


def cell_with_line(page, line):
    """The code cell whose editor shows exactly `line` on one of its lines."""
    cells = page.locator(".jp-CodeCell").filter(
        has=page.locator(".cm-line", has_text=re.compile("^" + re.escape(line) + "$")))
    return cells.first


def outputs(cell):
    return cell.locator(".jp-OutputArea-output")


def wait_kernel_idle(page):
    """The kernel indicator of the notebook toolbar says idle (after Run All stopped)."""
    from playwright.sync_api import expect

    expect(page.locator(".jp-Notebook-ExecutionIndicator").first).to_have_attribute(
        "data-status", "idle", timeout=KERNEL_WAIT)


def wait_kernel_connected(page):
    """Wait until the page is connected to an idle kernel. The toolbar indicator alone says
    idle before any kernel is there, and Run All at that moment does nothing (or asks for a
    kernel), so first wait for what the page shows once connected: "Python 3 (ipykernel) |
    Idle" in JupyterLab's status bar; Notebook 7's kernel status fading out."""
    from playwright.sync_api import expect

    lab = page.locator("#jp-main-statusbar").get_by_text(re.compile(r"\| Idle$"))
    notebook7 = page.locator(".jp-NotebookKernelStatus-fade")
    expect(lab.or_(notebook7).first).to_be_attached(timeout=KERNEL_WAIT)
    wait_kernel_idle(page)


def run_all(page):
    open_menu(page, "Run", "Run All Cells")


def type_answer(page, function, answer):
    """Replace the exercise cell of `function` by the answer, as typed text."""
    from playwright.sync_api import expect

    cell = cell_with_line(page, f"# GRADED FUNCTION: {function}")
    cell.scroll_into_view_if_needed()
    editor = cell.locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+a")
    # insert_text types the whole answer as one input, so the editor's auto-indent and
    # bracket closing do not rewrite it (a person's paste does the same).
    page.keyboard.insert_text(answer)
    expect(cell.locator(".cm-line").first).to_have_text(first_line(answer))
    page.keyboard.press("Escape")


def expect_expected_outputs(page, function):
    """The demo cell of `function` prints every value of its Expected output table."""
    from playwright.sync_api import expect

    cell = cell_with_line(page, demo_line(function))
    for value in expected_outputs(function):
        # to_contain_text collapses whitespace, as the table shows arrays on one line
        expect(outputs(cell).first, f"output of the {function} demo").to_contain_text(
            value, timeout=KERNEL_WAIT)


def validate(page):
    """Press Validate; return the dialog's message element once it shows."""
    from playwright.sync_api import expect

    page.locator(".validate-button").first.click()
    message = page.locator("#validation-message")
    expect(message).to_be_visible(timeout=KERNEL_WAIT)
    return message


def close_dialog(page):
    from playwright.sync_api import expect

    page.locator(".jp-Dialog .jp-mod-accept").click()
    expect(page.locator(".jp-Dialog")).to_have_count(0)


# ---------------------------------------------------------------- the test


@pytest.fixture
def chromium():
    if not CHROMIUM.exists():
        pytest.fail(f"expected Debian's Chromium at {CHROMIUM}, found none: run `make test` "
                    "(debian-packages-test.txt lists it)")
    return CHROMIUM


def write_exchange_config(path, exchange, cache, lines=()):
    text = "\n".join([
        "",
        "# Written by tests/test_browser.py: an exchange inside the scratch folder.",
        f"c.Exchange.root = {str(exchange)!r}",
        f"c.Exchange.cache = {str(cache)!r}",
        *lines,
        "",
    ])
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(text)


def test_student_and_instructor_in_the_browser(tmp_path, chromium, monkeypatch):
    from playwright.sync_api import expect, sync_playwright

    scratch = tmp_path.resolve()
    expect.set_options(timeout=UI_WAIT)
    monkeypatch.setenv(MARKER, str(scratch))  # inherited by every process started below
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    exchange, cache = scratch / "exchange", scratch / "exchange-cache"

    # The instructor's course: no example submissions, so grading sees only this student's.
    course = copy_course(scratch / "course", items=("nbgrader_config.py", "catalogue", "source",
                                                   "release", "data"), examples=False)
    (course / "submitted").mkdir()
    write_exchange_config(course / "nbgrader_config.py", exchange, cache)
    # The student's home, with nbgrader's student-side settings only.
    home = scratch / "home"
    home.mkdir()
    (home / "nbgrader_config.py").write_text(
        "c = get_config()  # noqa: F821\n"
        "c.CourseDirectory.course_id = 'deep-nn'\n"
        f"c.CourseDirectory.root = {str(home)!r}\n"
        f"c.Exchange.assignment_dir = {str(home)!r}\n"
        f"c.CourseDirectory.student_id = {STUDENT!r}\n", encoding="utf-8")
    write_exchange_config(home / "nbgrader_config.py", exchange, cache)

    answers = {name.removeprefix("solution_"): text
               for name, text in examples.answer_cells(ASSIGNMENT).items()}
    functions = functions_in_order()
    assert set(FIRST_EXERCISES) < set(functions) and set(answers) == set(functions), (
        f"expected answers for the exercises {functions}, got {sorted(answers)}")
    notebook = notebook_name()

    steps = Steps(SCREENSHOTS)
    student = JupyterServer("student", home, scratch, env)
    instructor = JupyterServer("instructor", course, scratch, env)
    try:
        # The servers start while the instructor releases both assignments and enrols
        # the student.
        student.start()
        instructor.start()
        for assignment in REPO.assignment_ids:
            run([sys.executable, "-m", "nbgrader", "release_assignment", assignment],
                course, env)
        run([sys.executable, "-m", "nbgrader", "db", "student", "add", STUDENT,
             f"--first-name={FIRST_NAME}", f"--last-name={LAST_NAME}"], course, env)
        student.wait_ready()
        instructor.wait_ready()

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
            try:
                student_day(browser, steps, student, home, exchange, answers, functions,
                            notebook)
                with steps("stop the student's server"):
                    student.stop()
                instructor_day(browser, steps, instructor, course, env)
            finally:
                browser.close()
    finally:
        student.stop()
        instructor.stop()
    left = wait_until_gone(str(scratch))
    assert not left, f"expected no process left from this test, got {left}"


def student_day(browser, steps, server, home, exchange, answers, functions, notebook):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(UI_WAIT)
    page = context.new_page()
    inbound = exchange / "deep-nn" / "inbound"

    with steps("open JupyterLab and the Assignment List", page):
        page.goto(server.page_url("lab"))
        expect(page.locator("#jp-main-dock-panel")).to_be_visible()
        open_menu(page, "Nbgrader", "Assignment List")
        released = page.locator("#released_assignments_list > .list_item")
        for assignment in REPO.assignment_ids:
            expect(released.filter(has_text=assignment)).to_have_count(1)
        # One nested row per submission, under one row per assignment.
        submissions = page.locator("#submitted_assignments_list .nested_list_item")
        before = submissions.count()
        steps.shot("assignment list")

    with steps("fetch Step by Step"):
        released.filter(has_text=ASSIGNMENT).get_by_role("button", name="Fetch").click()
        fetched = page.locator("#fetched_assignments_list > .list_item").filter(
            has_text=ASSIGNMENT)
        expect(fetched).to_have_count(1)
        assert (home / ASSIGNMENT / notebook).exists(), (
            f"expected the fetched notebook at {home / ASSIGNMENT / notebook}, found none")
        steps.shot("fetched")

    with steps("open the notebook and Run All"):
        page.goto(server.page_url(f"lab/tree/{ASSIGNMENT}/{notebook}"))
        expect(page.locator(".jp-Notebook")).to_be_visible()
        wait_kernel_connected(page)
        run_all(page)
        first = cell_with_line(page, demo_line(functions[0]))
        expect(outputs(first).first).to_contain_text(
            "'NoneType' object has no attribute", timeout=KERNEL_WAIT)
        wait_kernel_idle(page)
        # Run All stopped at that error; the test cell below names the placeholder.
        test_cell = cell_with_line(page, f"tests.{functions[0]}_test({functions[0]})")
        test_cell.locator(".cm-content").click()
        page.keyboard.press("Control+Enter")
        expect(outputs(test_cell).first).to_contain_text(
            f"{functions[0]}: still uses a None placeholder", timeout=KERNEL_WAIT)
        wait_kernel_idle(page)
        steps.shot("placeholder failures")

    with steps(f"answer {', '.join(FIRST_EXERCISES)} and Run All"):
        for function in FIRST_EXERCISES:
            type_answer(page, function, answers[function])
        run_all(page)
        for function in FIRST_EXERCISES:
            expect_expected_outputs(page, function)
        after = functions[len(FIRST_EXERCISES)]
        expect(outputs(cell_with_line(page, demo_line(after))).first).to_contain_text(
            "'NoneType' object has no attribute", timeout=KERNEL_WAIT)
        wait_kernel_idle(page)
        outputs(cell_with_line(page, demo_line(FIRST_EXERCISES[-1]))).first \
            .scroll_into_view_if_needed()
        steps.shot("first answers with outputs")

    with steps("Validate lists the unfinished exercises"):
        message = validate(page)
        expect(message).to_have_class(re.compile("validation-failed"))
        text = message.text_content()
        # Each failed cell is listed with its source, whose docstring names the function.
        failed = re.findall(r"The following cell failed:\"\"\"Autograded \(\d+ points\): (\w+) ",
                            text)
        unfinished = functions[len(FIRST_EXERCISES):]
        assert sorted(failed) == sorted(2 * unfinished), (
            f"expected the visible and the hidden test cell of each unfinished function "
            f"{unfinished} in the dialog, got {failed}")
        # The message wraps its lines; read it as one.
        assert "Fill in the code between ### START CODE HERE ###" in " ".join(text.split()), (
            f"expected the placeholder hint in the dialog, got {text[:2000]}")
        steps.shot("validate failures")
        close_dialog(page)

    with steps("answer the other exercises, Run All"):
        for function in functions[len(FIRST_EXERCISES):]:
            type_answer(page, function, answers[function])
        run_all(page)
        expect_expected_outputs(page, functions[-1])
        wait_kernel_idle(page)
        expect(page.locator(".jp-OutputArea-output", has_text="Traceback")).to_have_count(0)
        for function in functions:
            expect_expected_outputs(page, function)

    with steps("Validate says Success"):
        message = validate(page)
        expect(message).to_have_class(re.compile("validation-success"))
        expect(message).to_contain_text("Success! Your notebook passes all the tests.")
        cell_with_line(page, demo_line(functions[-1])).scroll_into_view_if_needed()
        steps.shot("validate success")
        close_dialog(page)
        saved = json.loads((home / ASSIGNMENT / notebook).read_text(encoding="utf-8"))
        typed = {c["metadata"]["nbgrader"]["grade_id"].removeprefix("solution_"):
                 "".join(c["source"]) for c in saved["cells"]
                 if c["metadata"].get("nbgrader", {}).get("solution")}
        wrong = sorted(f for f in functions if typed.get(f) != answers[f])
        assert not wrong, f"expected the saved notebook to hold the typed answers; differ: {wrong}"

    with steps("submit from the Assignment List"):
        inbound_before = set(inbound.iterdir()) if inbound.exists() else set()
        page.goto(server.page_url("lab"))
        open_menu(page, "Nbgrader", "Assignment List")
        expect(page.locator("#fetched_assignments_list > .list_item").filter(
            has_text=ASSIGNMENT)).to_have_count(1)
        page.locator("#fetched_assignments_list > .list_item").filter(
            has_text=ASSIGNMENT).get_by_role("button", name="Submit").click()
        expect(submissions).to_have_count(before + 1)
        expect(page.locator("#submitted_assignments_list > .list_item")).to_contain_text(
            ASSIGNMENT)
        new = set(inbound.iterdir()) - inbound_before
        assert len(new) == 1 and new.pop().name.startswith(f"{STUDENT}+{ASSIGNMENT}+"), (
            f"expected one new {STUDENT}+{ASSIGNMENT}+... folder in {inbound}, "
            f"got {sorted(p.name for p in set(inbound.iterdir()) - inbound_before)}")
        steps.shot("submitted")

    classic = context.new_page()
    with steps("Notebook 7: open, Run All, Validate", classic):
        classic.goto(server.page_url(f"notebooks/{ASSIGNMENT}/{notebook}"))
        expect(classic.locator(".jp-Notebook")).to_be_visible()
        wait_kernel_connected(classic)
        run_all(classic)
        expect_expected_outputs(classic, functions[-1])
        wait_kernel_idle(classic)
        expect(classic.locator(".jp-OutputArea-output", has_text="Traceback")).to_have_count(0)
        message = validate(classic)
        expect(message).to_contain_text("Success! Your notebook passes all the tests.")
        steps.shot("notebook 7 validate success")
        close_dialog(classic)
    context.close()


def instructor_day(browser, steps, server, course, env):
    from playwright.sync_api import expect

    release = json.loads(REPO.notebook(REPO.release, ASSIGNMENT).read_text("utf-8"))
    grades = {c["metadata"]["nbgrader"]["grade_id"]: c["metadata"]["nbgrader"]["points"]
              for c in release["cells"] if c["metadata"].get("nbgrader", {}).get("grade")}
    total = sum(grades.values())

    with steps("collect and grade with the main grading command"):
        run([sys.executable, "-m", "nbgrader", "collect", ASSIGNMENT], course, env)
        folder = course / "submitted" / STUDENT / ASSIGNMENT
        assert (folder / notebook_name()).exists(), (
            f"expected the collected notebook in {folder}, found "
            f"{sorted(p.name for p in folder.parent.rglob('*'))}")
        printed = run([sys.executable, "-m", "dnncourse.grade", "--course-dir", str(course),
                       "--jobs", "1"], REPO.root, env)
        row = next((line for line in printed.splitlines() if line.startswith(STUDENT)), "")
        assert row.endswith("100/100"), (
            f"expected {STUDENT} at 100/100 in the grading table, got {row!r}:\n{printed}")

    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(UI_WAIT)
    page = context.new_page()
    with steps("formgrader shows the graded submission", page):
        page.goto(server.page_url("lab"))
        expect(page.locator("#jp-main-dock-panel")).to_be_visible()
        open_menu(page, "Nbgrader", "Formgrader")
        frame = page.frame_locator("iframe").first
        assignment_row = frame.locator("tr", has_text=ASSIGNMENT)
        # The number of submissions links to the assignment's submissions.
        assignment_row.get_by_role("link", name="1", exact=True).click()
        row = frame.locator("tr", has_text=STUDENT)
        expect(row).to_have_count(1)
        expect(row.locator(".score")).to_have_text(f"{total:g} / {total:g}")
        steps.shot("formgrader submission")

    with steps("open the grading view"):
        row.get_by_role("link", name=f"{LAST_NAME}, {FIRST_NAME}").click()
        frame.get_by_role("link", name=Path(notebook_name()).stem).click()
        expect(frame.locator(".panel-title")).to_contain_text("Submission 1 / 1")
        # The autograded score shows as the placeholder of each score box (a value typed
        # there would be the instructor's manual override).
        for grade_id, points in grades.items():
            expect(frame.locator(f"input.score#{grade_id}")).to_have_attribute(
                "placeholder", f"{points:g}")
        frame.locator("input.score").first.scroll_into_view_if_needed()
        steps.shot("formgrader grading view")
    context.close()


# ---------------------------------------------------------------- the feedback page


LOCAL = ("file:", "data:")  # what an offline page may load


def open_offline(browser, page_file, viewport):
    """Open `page_file` in a new context of `browser` that lets through only file: and
    data: requests; return (the page, every URL it requested)."""
    context = browser.new_context(viewport=viewport)
    requested = []
    context.route("**/*", lambda route: (
        requested.append(route.request.url),
        route.continue_() if route.request.url.startswith(LOCAL) else route.abort()))
    page = context.new_page()
    page.goto(page_file.as_uri())
    page.wait_for_load_state("load")
    return page, requested


def assert_offline(requested):
    elsewhere = [url for url in requested if not url.startswith(LOCAL)]
    assert not elsewhere, f"expected no request beyond the file, got {elsewhere}"


def test_feedback_page_renders_offline(tmp_path, chromium):
    """A feedback page with failures, as a student opens it with no network: functions named
    in the summary, formulas drawn, pictures and long messages within the page."""
    from playwright.sync_api import expect, sync_playwright

    course = copy_course(tmp_path / "course", items=("nbgrader_config.py", "catalogue",
                                                     "source", "release", "data"),
                         examples=False)
    submitted = course / "submitted" / "typical_mistakes" / ASSIGNMENT
    shutil.copytree(REPO.examples / "typical_mistakes" / ASSIGNMENT, submitted)
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    run([sys.executable, "-m", "dnncourse.grade", "--course-dir", str(course), "--jobs", "1"],
        REPO.root, env)
    page_file = course / "feedback" / "typical_mistakes" / ASSIGNMENT / (
        Path(notebook_name()).stem + ".html")
    assert page_file.exists(), f"expected the feedback page {page_file}, found none"
    shots = Path(f"{SCREENSHOTS}-feedback")
    shutil.rmtree(shots, ignore_errors=True)
    shots.mkdir(parents=True)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            # Narrower than a laptop screen, so that a long line has to wrap.
            page, requested = open_offline(browser, page_file, {"width": 900, "height": 1000})
            page.screenshot(path=str(shots / "01-summary.png"))
            page.screenshot(path=str(shots / "02-whole-page.png"), full_page=True)
            assert_offline(requested)

            # The summary names each graded function, once per test cell, in order.
            rows = page.locator("#summary tbody tr")
            functions = functions_in_order()
            expect(rows).to_have_count(2 * len(functions))
            named = [text.strip() for text in page.locator("#summary tbody tr td:first-child")
                     .all_inner_texts()]
            assert named == [f for f in functions for _ in range(2)], named
            assert "Test cell" not in page.locator("#summary").inner_text()
            lost = page.locator("#summary tr.lost td:first-child").all_inner_texts()
            assert "linear_backward" in lost and "compute_cost" in lost, lost

            # Formulas are drawn (MathML with a size), and no raw $...$ is left.
            formulas = page.locator("math")
            assert formulas.count() > 50, f"expected many formulas, got {formulas.count()}"
            sizes = page.evaluate("""() => Array.from(document.querySelectorAll('math'))
                .map(m => m.getBoundingClientRect()).map(r => [r.width, r.height])""")
            assert all(w > 0 and h > 0 for w, h in sizes), "a formula is not drawn"
            text = page.locator("body").inner_text()
            raw = re.findall(r"\$[^$\n]{1,80}\$", text)
            assert not raw, f"expected no raw LaTeX on the page, got {raw[:5]}"
            assert page.locator("code.unrendered-math").count() == 0

            # Nothing is wider than the page: pictures are scaled, lines wrap.
            width = page.evaluate("document.documentElement.clientWidth")
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            images = page.evaluate("""() => Array.from(document.images)
                .map(i => [i.getBoundingClientRect().right, i.naturalWidth, i.complete])""")
            assert len(images) >= 3 and all(done and natural > 0 for _, natural, done in images)
            assert all(right <= width for right, _, _ in images), (width, images)
            assert any(natural > width for _, natural, _ in images), (
                "expected a diagram wider than the page, scaled down to it")

            failure = page.locator("div.cell", has=page.locator(
                "div.nbgrader_cell", has_text="Grade cell: test_linear_backward_visible")
            ).locator(".output_error pre, .output_text pre").first
            expect(failure).to_contain_text("linear_backward: dW has wrong values")
            message = failure.text_content().strip()
            assert "\n" not in message, f"expected the message whole, got it cut: {message!r}"
            failure.scroll_into_view_if_needed()
            page.screenshot(path=str(shots / "03-long-message.png"))
            box = failure.bounding_box()
            line = page.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)",
                                 failure.element_handle())
            assert box["x"] + box["width"] <= width, f"the message runs off the page: {box}"
            assert box["height"] > 2 * line, f"expected the long message wrapped, got {box}"
            assert failure.evaluate("e => e.scrollWidth <= e.clientWidth"), "it scrolls instead"
        finally:
            browser.close()


# ---------------------------------------------------------------- the class report

CLASS_REPORT_HEADINGS = ["Score distribution", "Graded functions", "Mistakes",
                         "Submissions that could not be graded", "Late submissions",
                         "Time per submission"]


def test_class_report_renders_offline(tmp_path_factory, chromium):
    """The class report of the class made from the catalogued mistakes (class_of_mistakes.py),
    opened with no network: its headings, its figures drawn, each planted mistake's count.
    With CLASS_REPORT_SCREENSHOT set, its mistakes section is saved there as a PNG (the
    README's picture: docs/images/class_report.png)."""
    from class_of_mistakes import graded_class
    from playwright.sync_api import expect, sync_playwright

    course, made = graded_class(tmp_path_factory)
    page_file = course.reports / "class_report.html"
    shots = Path(f"{SCREENSHOTS}-class-report")
    shutil.rmtree(shots, ignore_errors=True)
    shots.mkdir(parents=True)
    expected = {key: len(students) + len(made["examples"].get(key, []))
                for key, students in made["planted"].items()}

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            page, requested = open_offline(browser, page_file, {"width": 1100, "height": 1400})
            page.screenshot(path=str(shots / "01-top.png"))
            page.screenshot(path=str(shots / "02-whole-page.png"), full_page=True)
            assert_offline(requested)

            expect(page.locator("h1")).to_have_text("Class report")
            assert page.locator("h2").all_inner_texts() == CLASS_REPORT_HEADINGS

            # Two assignments: scores, functions and mistakes each; and this run's times.
            images = page.evaluate("""() => Array.from(document.images).map(i => [
                i.complete, i.naturalWidth, i.getBoundingClientRect().width,
                i.getBoundingClientRect().height])""")
            assert len(images) == 7, f"expected 7 figures, got {len(images)}"
            assert all(done and natural > 0 and w > 0 and h > 0
                       for done, natural, w, h in images), images

            # Each planted mistake: named, with its count of students.
            for key, count in expected.items():
                row = page.locator("tr.named", has=page.locator(
                    "td:nth-child(2)", has_text=re.compile(f"^{key}$")))
                expect(row).to_have_count(1)
                expect(row.locator("td:nth-child(4)")).to_have_text(str(count))
            functions = page.locator("#functions tr", has=page.locator(
                "td:first-child", has_text=re.compile("^linear_backward$")))
            expect(functions.locator("td:nth-child(2)")).to_have_text("35")
            expect(page.locator("#ungraded tbody tr")).to_have_count(1)
            expect(page.locator("#ungraded")).to_contain_text("student31")
            expect(page.locator("#late tbody tr")).to_have_count(3)

            width = page.evaluate("document.documentElement.clientWidth")
            assert page.evaluate("document.documentElement.scrollWidth") <= width

            page.evaluate("document.getElementById('mistakes').scrollIntoView()")
            page.screenshot(path=str(shots / "03-mistakes.png"))
            target = os.environ.get("CLASS_REPORT_SCREENSHOT")
            if target:
                Path(target).parent.mkdir(parents=True, exist_ok=True)
                page.set_viewport_size({"width": 1100, "height": 1250})
                page.evaluate("document.getElementById('mistakes').scrollIntoView()")
                page.screenshot(path=target)
        finally:
            browser.close()
