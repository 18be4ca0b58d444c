"""Autograding that survives bad submissions: restored cells, a kernel that is brought back.

nbgrader_config.py puts these classes in place of nbgrader's own in `nbgrader autograde`:

- `DropDuplicateIds` (sanitizing): a cell whose nbgrader id occurs again later loses its
  nbgrader metadata and runs as an ordinary cell. nbgrader's DeduplicateIds leaves an
  empty `nbgrader` dict instead, which fails the metadata check ("old version of the
  nbgrader metadata format") and so the whole submission.
- `RestoreCells` (sanitizing): nbgrader's OverwriteCells, plus: a known cell gets the
  instructor's flags back (grade, solution, locked, points; nbgrader stops with
  "Inconsistent checksums" when a student unticks `grade`); a cell with an id the
  gradebook does not know becomes an ordinary cell (nbgrader only drops the id and then
  fails the metadata check); deleted grade cells are put back after the nearest earlier
  cell that is still there (nbgrader's `add_missing_cells` looks for that cell among grade
  and solution cells only and stops with a KeyError when it is a locked demo cell).
- `RobustExecute` (executing): nbgrader's Execute, plus: when the kernel dies in a cell
  (os._exit, a crash) or stays busy after the time-limit interrupt (the code swallows
  KeyboardInterrupt), the cell gets an error output (so a test cell scores 0), the kernel
  is restarted, the earlier non-test cells that ran without error (imports, definitions,
  demos) are run again silently, and grading goes on with the next cell. nbclient would
  raise DeadKernelError or CellTimeoutError, and nbgrader would grade nothing at all.
  The kernel runs in the sandbox of dnncourse/kernel/sandbox.py (as nobody, offline, seeing
  only its notebook's folder, the data and the Python environment, without the course
  package, with a memory limit, so a huge allocation raises MemoryError in the student's
  code). Nothing the kernel's tests say decides a grade: the grader does, outside it
  (dnncourse/grader/preprocessor.py).
"""

import asyncio
import resource
from queue import Empty
from time import monotonic

from jupyter_core.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import ensure_async
from nbformat import NotebookNode
from nbgrader import utils
from nbgrader.api import MissingEntry
from nbgrader.nbgraderformat import SCHEMA_VERSION
from nbgrader.preprocessors import DeduplicateIds, Execute, OverwriteCells
from traitlets import Bool, Float, Integer

from dnncourse import limits
from dnncourse.kernel.sandbox import SandboxedKernelManager

DIED = ("DeadKernelError",
        "The Python kernel stopped while this cell ran (os._exit, a crash or no memory left).")
STUCK = ("CellTimeoutError",
         "The cell did not finish within the time limit and ignored the interrupt.")
GOING_ON = (" The kernel was restarted, the earlier cells that had run without error were run"
            " again, and grading went on with the next cell.")


def _nbgrader_id(cell):
    meta = cell.metadata.get("nbgrader")
    return meta.get("grade_id") if isinstance(meta, dict) else None


class DropDuplicateIds(DeduplicateIds):
    """Keep the last cell of each nbgrader id; earlier copies become ordinary cells."""

    def preprocess_cell(self, cell, resources, cell_index):
        grade_id = _nbgrader_id(cell)
        if grade_id is None:
            return cell, resources  # RestoreCells drops nbgrader metadata without an id
        if grade_id in self.grade_ids:
            self.log.warning("Cell with id '%s' exists multiple times: this copy is graded "
                             "as an ordinary cell", grade_id)
            del cell.metadata["nbgrader"]
        else:
            self.grade_ids.add(grade_id)
        return cell, resources


class RestoreCells(OverwriteCells):
    """OverwriteCells that also restores the flags of known cells, drops unknown nbgrader
    cells, and puts deleted grade cells back (see the module docstring)."""

    add_missing_cells = Bool(True, help=OverwriteCells.add_missing_cells.help).tag(config=True)

    def _find(self, finder, grade_id):
        try:
            return finder(grade_id, self.notebook_id, self.assignment_id)
        except MissingEntry:
            return None

    def preprocess_cell(self, cell, resources, cell_index):
        if "nbgrader" not in cell.metadata:
            return cell, resources
        grade_id = _nbgrader_id(cell)
        source = self._find(self.gradebook.find_source_cell, grade_id) if grade_id else None
        if source is None:
            self.log.warning("Cell '%s' is not in the gradebook: graded as an ordinary cell",
                             grade_id)
            del cell.metadata["nbgrader"]
            return cell, resources
        grade = self._find(self.gradebook.find_grade_cell, grade_id)
        meta = cell.metadata["nbgrader"]
        wanted = {
            "grade": grade is not None,
            "solution": self._find(self.gradebook.find_solution_cell, grade_id) is not None,
            "task": self._find(self.gradebook.find_task_cell, grade_id) is not None,
            "locked": source.locked,
            "schema_version": SCHEMA_VERSION,
        }
        for key, value in wanted.items():
            if meta.get(key, False) != value:
                self.report_change(grade_id, key, value, meta.get(key))
                meta[key] = value
        if grade is not None and "points" not in meta:
            meta["points"] = float(grade.max_score)  # the base class checks the value
        return super().preprocess_cell(cell, resources, cell_index)

    def add_missing_grade_cells(self, nb, resources):
        source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        order = [cell.name for cell in source_nb.source_cells]
        solutions = {cell.name for cell in source_nb.solution_cells}
        for grade_cell in source_nb.grade_cells:
            present = {_nbgrader_id(cell): index for index, cell in enumerate(nb.cells)}
            if grade_cell.name in present:
                continue
            self.log.warning("Missing grade cell %s encountered, adding to notebook",
                             grade_cell.name)
            source = source_nb.source_cells[order.index(grade_cell.name)]
            restored = self.missing_cell_transform(source, grade_cell.max_score,
                                                   is_solution=grade_cell.name in solutions)
            earlier = [present[name] for name in order[:order.index(grade_cell.name)]
                       if name in present]
            nb.cells.insert(max(earlier) + 1 if earlier else len(nb.cells), restored)
        return nb, resources


class RobustExecute(Execute):
    """nbgrader's Execute that restarts a dead or stuck kernel and carries on grading."""

    memory_limit = Integer(
        limits.MEMORY_BYTES, allow_none=True,
        help="Bytes of memory (RLIMIT_DATA) the kernel may use; None for no limit.",
    ).tag(config=True)

    sandbox = Bool(
        True, help="Run kernels in the bubblewrap sandbox (dnncourse/kernel/sandbox.py).",
    ).tag(config=True)

    probe_timeout = Float(
        5.0, help="Seconds a kernel has to answer an empty request after a timed-out cell.",
    ).tag(config=True)

    def reset_execution_trackers(self):
        super().reset_execution_trackers()
        self._replay = []  # sources of the cells to run again after a restart
        self._timed_out = False

    def create_kernel_manager(self):
        if not self.sandbox:
            return super().create_kernel_manager()
        # Always the course's Python kernel, whatever kernel the notebook's metadata names.
        self.kernel_name = "python3"
        self.km = SandboxedKernelManager(
            kernel_name=self.kernel_name, config=self.config,
            memory_limit=self.memory_limit or limits.MEMORY_BYTES)
        return self.km

    # nbclient's synchronous entry points wrap the base class coroutines; rewrap ours.
    async def async_start_new_kernel(self, **kwargs):
        await super().async_start_new_kernel(**kwargs)
        if not self.sandbox:
            self._limit_memory()

    start_new_kernel = run_sync(async_start_new_kernel)

    def _limit_memory(self):
        if not self.memory_limit or not hasattr(resource, "prlimit"):
            return
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        if process is None:
            self.log.warning("Cannot limit the kernel's memory: no local kernel process")
            return
        limit = (self.memory_limit, self.memory_limit)
        resource.prlimit(process.pid, resource.RLIMIT_DATA, limit)

    async def _async_handle_timeout(self, timeout, cell=None):
        self._timed_out = True
        return await super()._async_handle_timeout(timeout, cell)

    async def async_execute_cell(self, cell, cell_index, execution_count=None,
                                 store_history=True):
        self._timed_out = False
        tasks_before = asyncio.all_tasks()
        try:
            cell = await super().async_execute_cell(cell, cell_index, execution_count,
                                                    store_history)
        except DeadKernelError:
            await self._cancel_tasks(tasks_before)
            await self._recover(cell, cell_index, *DIED)
            return cell
        except CellTimeoutError:
            # nbclient gives up on the cell's output after the interrupt (or on slow output)
            await self._cancel_tasks(tasks_before)
            if await self._kernel_answers():
                self._add_error(cell, "CellTimeoutError",
                                "The output of this cell did not arrive in time.")
            else:
                await self._recover(cell, cell_index, *STUCK)
            return cell
        if (cell.cell_type == "code" and cell.source.strip() and not utils.is_grade(cell)
                and not any(o.output_type == "error" for o in cell.outputs)):
            self._replay.append(cell.source)
        return cell

    execute_cell = run_sync(async_execute_cell)

    async def _cancel_tasks(self, keep):
        """Cancel the polling tasks nbclient left running for the failed cell."""
        left = [task for task in asyncio.all_tasks() - keep
                if task is not asyncio.current_task() and not task.done()]
        for task in left:
            task.cancel()
        await asyncio.gather(*left, return_exceptions=True)

    async def _kernel_answers(self):
        """Return whether the kernel runs an empty request within probe_timeout seconds."""
        if not await ensure_async(self.km.is_alive()):
            return False
        msg_id = await ensure_async(self.kc.execute("", silent=True, store_history=False))
        deadline = monotonic() + self.probe_timeout
        while (remaining := deadline - monotonic()) > 0:
            try:
                msg = await ensure_async(self.kc.shell_channel.get_msg(timeout=remaining))
            except Empty:
                return False
            if msg["parent_header"].get("msg_id") == msg_id:
                return True
        return False

    @staticmethod
    def _add_error(cell, ename, evalue):
        cell.outputs.append(NotebookNode(output_type="error", ename=ename, evalue=evalue,
                                         traceback=[f"{ename}: {evalue}"]))

    async def _recover(self, cell, cell_index, ename, evalue):
        """Mark the cell as failed, restart the kernel and replay the cells run so far."""
        self.log.warning("Cell %d: %s Restarting the kernel and going on.", cell_index, evalue)
        self._add_error(cell, ename, evalue + GOING_ON)
        await self._restart_kernel()
        for source in self._replay:
            msg_id = await ensure_async(self.kc.execute(source, silent=True,
                                                        store_history=False))
            reply = await self.async_wait_for_reply(msg_id)
            if reply is None or reply["content"]["status"] != "ok":
                self.log.warning("A cell run again after the restart failed:\n%s", source)

    async def _restart_kernel(self):
        if self.kc is not None:
            await ensure_async(self.kc.stop_channels())
            self.kc = None
        try:
            await ensure_async(self.km.shutdown_kernel(now=True))
        except RuntimeError as exc:  # already gone
            self.log.debug("Shutting down the old kernel: %s", exc)
        self.km = self.create_kernel_manager()
        await self.async_start_new_kernel()
        await self.async_start_new_kernel_client()
