"""Every limit of grading in one place: time, memory, CPU, files, processes and BLAS threads.

nbgrader_config.py, the sandbox (dnncourse/kernel/sandbox.py), the trusted grader and the
grading job read them from here; tests/test_docs.py checks that the table of
docs/grading.md shows these values.
"""

# Seconds one notebook cell may run (validating or autograding), and one call of a graded
# function when the grader runs it outside the kernel: a function that passes in the
# notebook within the limit passes in the grader within the limit.
CELL_SECONDS = 30
# Seconds a whole submission may take to grade; a stuck grading process is stopped.
SUBMISSION_SECONDS = 900
# Seconds the grading job waits for its workers to prepare (copy and release the course)
# and say which course they grade with, before it stops with that reason.
WORKER_START_SECONDS = 600
# Bytes of data memory (RLIMIT_DATA: heap and private mappings, numpy arrays included) of a
# sandboxed process. Measured when grading the correct notebooks (Linux, Python 3.11,
# numpy with OpenBLAS, 2 cores): the kernel's VmData is 0.13 GB after start, 0.24 GB at the
# end of Step by Step and 0.36 GB at the end of the application. Its address space (what
# RLIMIT_AS would limit) is already 0.9 to 1.1 GB, mostly thread stacks and malloc arenas,
# and grows with the number of cores, so RLIMIT_AS would need a machine-dependent value.
# 2 GiB leaves five times what the notebooks need and makes a 3 GB array fail with
# MemoryError.
MEMORY_BYTES = 2 * 2**30
# Seconds of CPU a sandboxed process may use; the wall-clock limits above are shorter.
CPU_SECONDS = 900
# Bytes per file a sandboxed process may write, and the size of its private /tmp.
FILE_BYTES = 64 * 2**20
TMP_BYTES = 256 * 2**20
# Open files of a sandboxed process.
OPEN_FILES = 256
# Processes of the sandbox user; set only when sandboxes run as the real `nobody`.
PROCESSES = 1024
# BLAS threads per process wherever notebooks run side by side (grading kernels, the
# grader's processes, the test suite, a hub's student servers): the matrices are small and
# every core already runs a notebook. Measured on a busy 2-core machine, default threads
# made 50 training iterations of the application 7 times slower (20.5 s against 2.9 s).
BLAS_THREADS = 1
BLAS_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def blas_environment(threads=BLAS_THREADS):
    """Return the environment variables that cap numpy's BLAS at `threads` threads."""
    return dict.fromkeys(BLAS_VARIABLES, str(threads))


def table():
    """Return the limits as (what, value) rows, as docs/grading.md's table shows them."""
    return [
        ("one cell, or one call of a graded function", f"{CELL_SECONDS} s"),
        ("one submission in all", f"{SUBMISSION_SECONDS // 60} min"),
        ("data memory of a sandboxed process", f"{MEMORY_BYTES // 2**30} GiB"),
        ("CPU time of a sandboxed process", f"{CPU_SECONDS // 60} min"),
        ("size of one written file", f"{FILE_BYTES // 2**20} MiB"),
        ("private /tmp", f"{TMP_BYTES // 2**20} MiB"),
        ("open files", f"{OPEN_FILES}"),
        ("processes (sandbox user, when grading as root)", f"{PROCESSES}"),
        ("BLAS threads per process", f"{BLAS_THREADS}"),
    ]
