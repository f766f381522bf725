#!/usr/bin/env python3
"""Executes notebooks headlessly on the huntbook Rust kernel and checks them.

    run_notebooks.py [--write] [--expect FILE] [--label TEXT] [--warm-up [--all-cells]] [--kernel NAME] NOTEBOOK...

- Every code cell must run without an error output and without writing to stderr (evcxr
  shows an error returned with `?` only as stderr text), unless the cell is tagged
  `raises-exception`; a cell so tagged must fail (the notebook says why it does).
- With --expect (repeatable), a JSON file {"notebook file name": ["text", ...]}: each text
  must appear in the outputs of that notebook (the key numbers it prints).
- With --write, the executed notebook (outputs and timings) replaces the file.
- Every notebook of the folder must start with the same `:dep` cell, so that the kernel
  compiles huntbook (and polars) once for all of them, not once per feature set.
- What a reader sees: a cell that renders a chart (`.render()`) must show an `image/svg+xml`
  output, and no cell's result may be only Debug text (`()`, `Chart { spec: ...`, `Ok(...)`).
- With --warm-up, only each notebook's set-up cells run (the leading cells of `:` commands and
  `use` lines: the first compiles the notebook dependencies) and must succeed.
  `scripts/huntbook setup` runs it this way to fill the kernel's build cache. With --all-cells too,
  every cell runs, and a later cell that fails (say, for want of network) is reported and
  ignored (the Docker image keeps what the notebooks download).
- A failing cell is reported with its number and the first line of the error that is not
  cargo's progress (`Compiling ...`), with the cause a build script gave.
- --kernel names the kernel spec (default huntbook-rust, the one `scripts/huntbook setup` installs):
  another spec over the same build directory compares kernels on the same notebooks.
- A set-up cell may run for an hour in the warm-up (it may compile polars) and 20 minutes
  after it; any other cell for 10 minutes; then the run stops there and reports it (a hang
  costs minutes, not the whole test budget). A kernel that dies under a notebook is reported
  (RETRY, with the memory available and the kernels still running) and the notebook runs once
  more on a new kernel, where it must pass.
- Prints, for each notebook, the time from kernel start to the first answered cell and the
  median and worst cell time, then "N passed, N failed".
Environment: HUNTBOOK_* variables pass through to the kernel (mirror, release, offline).
"""
import argparse
import json
import os
import re
import statistics
import sys
import time
from datetime import datetime

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

KERNEL = "huntbook-rust"
# How long a cell may run before the run stops: in the warm-up, a notebook's set-up cells may
# compile polars and huntbook (about 16 minutes on 2 cores with a cold kernel cache); after
# it, a set-up cell compiles only when its kernel got another build slot, and any other cell
# is a hang well before its limit: a hang must not take the test command's whole budget.
WARM_UP_SETUP_CELL_TIMEOUT = 3600
SETUP_CELL_TIMEOUT = 1200
CELL_TIMEOUT = 600


def parse_time(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


# What cargo prints while it works, which hides the error in a failed `:dep` cell.
PROGRESS = re.compile(
    r"^\s*(Compiling|Checking|Downloaded|Downloading|Updating|Locking|Adding|Blocking|Fresh|"
    r"Finished|Running|Building|Packaging|Removing|Unpacking)\b"
)
# A result that is only Debug text: `()`, `Name { field: ...`, `Ok(...)`, `Some(...)`.
DEBUG_TEXT = re.compile(r"^\s*(\(\)\s*$|[A-Z][A-Za-z0-9_]* \{ [a-z_][a-z0-9_]*: |(Ok|Err|Some)\()")


def first_error_line(text):
    """The first line of an error that is not cargo's progress, with a build script's cause."""
    lines = [l.rstrip() for l in text.splitlines() if l.strip() and not PROGRESS.match(l)]
    if not lines:
        return text.strip()[:300]
    first = next((l for l in lines if re.search(r"\berror\b", l, re.I)), lines[0]).strip()
    # A build script's failure: cargo prints its stderr after `--- stderr`.
    if "--- stderr" in text:
        after = text.split("--- stderr", 1)[1]
        cause = next((l.strip() for l in after.splitlines() if l.strip() and not PROGRESS.match(l)), "")
        if cause:
            first = f"{first} -- {cause}"
    return first[:500]


def is_setup_cell(cell):
    """A leading cell of the notebook's set-up: `:` commands (`:dep`) and `use` lines only."""
    lines = [l.strip() for l in cell.source.splitlines() if l.strip() and not l.strip().startswith("//")]
    return bool(lines) and all(l.startswith(":") or l.startswith("use ") for l in lines)


def kernels_alive():
    """Kernel processes still running, and the build slots whose lock they hold (from /proc;
    empty where there is none): a kernel that outlived its notebook keeps its slot, and the
    next kernel then compiles its dependencies anew in another one."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc") if os.path.isdir("/proc") else []):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                argv = f.read().split(b"\0")
            if not any(a.endswith(b"huntbook-kernel") for a in argv):
                continue
            fds = os.listdir(f"/proc/{pid}/fd")
            locks = sorted({os.readlink(f"/proc/{pid}/fd/{fd}") for fd in fds} - {""})
        except OSError:
            continue
        slots = [os.path.basename(l) for l in locks if l.endswith(".lock")]
        found.append(f"pid {pid} ({', '.join(slots) or 'no slot lock'})")
    return found


def cell_timeout(cell, warm_up=False):
    """Seconds `cell` may run: set-up cells compile (longest in the warm-up), the others must
    answer sooner."""
    if not is_setup_cell(cell):
        return CELL_TIMEOUT
    return WARM_UP_SETUP_CELL_TIMEOUT if warm_up else SETUP_CELL_TIMEOUT


def memory_available_mb():
    """MemAvailable of /proc/meminfo in MB; None where there is none."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return None


def dep_cell(path):
    nb = nbformat.read(path, as_version=4)
    return next((c.source.strip() for c in nb.cells if c.cell_type == "code"), "")


def check_same_dep(paths):
    """Every notebook in the folders of `paths` starts with the same `:dep` cell."""
    problems = {}
    for folder in sorted({os.path.dirname(os.path.abspath(p)) for p in paths}):
        deps = {n: dep_cell(os.path.join(folder, n)) for n in sorted(os.listdir(folder)) if n.endswith(".ipynb")}
        if len(set(deps.values())) > 1:
            counts = {}
            for d in deps.values():
                counts[d] = counts.get(d, 0) + 1
            common = max(counts, key=counts.get)
            for name, d in deps.items():
                if d != common:
                    problems[os.path.join(folder, name)] = (
                        f"its first cell {d!r} differs from the other notebooks' {common!r}: "
                        "every notebook must ask for the same build of huntbook, or the kernel compiles it again"
                    )
    return problems


def display_problem(index, cell):
    """What a reader would see wrong: a chart that is not a picture, a result that is Debug text."""
    outputs = cell.get("outputs", [])
    if ".render()" in cell.source and not any("image/svg+xml" in o.get("data", {}) for o in outputs):
        return f"cell {index}: renders a chart but shows no image/svg+xml output"
    for o in outputs:
        data = o.get("data", {})
        if o.get("output_type") == "execute_result" and set(data) == {"text/plain"}:
            text = data["text/plain"] if isinstance(data["text/plain"], str) else "".join(data["text/plain"])
            if DEBUG_TEXT.match(text):
                return f"cell {index}: its result shows as Debug text: {text[:120]!r}"
    return None


def outputs_text(cell):
    parts = []
    for out in cell.get("outputs", []):
        if "text" in out:
            parts.append(out["text"])
        data = out.get("data", {})
        for mime in ("text/plain", "text/html"):
            if mime in data:
                parts.append(data[mime] if isinstance(data[mime], str) else "".join(data[mime]))
        if out.get("output_type") == "error":
            parts.append(out.get("ename", "") + ": " + out.get("evalue", ""))
    return "\n".join(parts)


class KernelStopped(Exception):
    """A run that stopped for another reason than a cell's time limit: the kernel died."""


def run(path, write, expected, label, warm_up=False, all_cells=False, kernel=KERNEL):
    nb = nbformat.read(path, as_version=4)
    if warm_up and not all_cells:
        first = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"), len(nb.cells))
        end = first
        while end < len(nb.cells) and (nb.cells[end].cell_type != "code" or is_setup_cell(nb.cells[end])):
            end += 1
        nb.cells = nb.cells[:end]
    nb.metadata["kernelspec"] = {"name": KERNEL, "display_name": "Rust (huntbook)", "language": "rust"}
    start = time.time()
    client = NotebookClient(
        nb,
        kernel_name=kernel,
        timeout_func=lambda cell: cell_timeout(cell, warm_up),
        allow_errors=True,
        record_timing=True,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
    )
    problems = []
    try:
        client.execute()
    except Exception as e:  # a cell timed out, or the kernel died: report it, check the rest
        message = str(e).strip().splitlines()[0] if str(e).strip() else ""
        # What the machine was like: a kernel that outlived its notebook, or memory gone.
        alive = kernels_alive()
        context = f"{memory_available_mb()} MB of memory available; kernels still running: {'; '.join(alive) or 'none'}"
        problems.append(f"the run stopped: {type(e).__name__}: {message} ({context})")
        if not isinstance(e, CellTimeoutError):
            raise KernelStopped(problems[-1]) from e
    durations = []
    first_answer = None
    first_code = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"), None)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        timing = cell.metadata.get("execution", {})
        if "iopub.execute_input" in timing and "shell.execute_reply" in timing:
            began, ended = parse_time(timing["iopub.execute_input"]), parse_time(timing["shell.execute_reply"])
            durations.append(ended - began)
            if first_answer is None:
                first_answer = ended - start
        tagged = "raises-exception" in cell.metadata.get("tags", [])
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        # evcxr reports an error returned by a cell (`?`) only as text on stderr, with an
        # "ok" reply: so a cell that writes to stderr fails, unless tagged.
        stderr = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("name") == "stderr")
        if errors and not tagged:
            error_text = errors[0].get("evalue", "") + "\n" + "\n".join(errors[0].get("traceback", []))
            problem = f"cell {index}: {errors[0].get('ename')}: {first_error_line(error_text)}"
        elif stderr and not tagged:
            problem = f"cell {index}: wrote to stderr (an error returned by `?`): {first_error_line(stderr)}"
        elif tagged and not errors and not stderr:
            problem = f"cell {index}: tagged raises-exception but did not fail (does its text still hold?)"
        else:
            problem = display_problem(index, cell)
            if problem is None:
                continue
        if warm_up and all_cells and index != first_code:
            print(f"warm-up {path}: ignored: {problem[:300]}")
        else:
            problems.append(problem)
    if warm_up:
        expected = {}
    text = "\n".join(outputs_text(c) for c in nb.cells if c.cell_type == "code")
    for needle in expected.get(os.path.basename(path), []):
        if needle not in text:
            problems.append(f"expected output not found: {needle!r}")
    name = f"{os.path.basename(path)}{' (' + label + ')' if label else ''}"
    if durations:
        print(
            f"{name}: {len(durations)} cells, first answer {first_answer:.1f} s after kernel start, "
            f"median cell {statistics.median(durations):.2f} s, worst {max(durations):.1f} s, "
            f"total {time.time() - start:.0f} s"
        )
    if write:
        nbformat.write(nb, path)
    return problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--expect", action="append", default=[])
    parser.add_argument("--label", default="")
    parser.add_argument("--warm-up", action="store_true")
    parser.add_argument("--all-cells", action="store_true")
    parser.add_argument("--kernel", default=KERNEL)
    parser.add_argument("notebooks", nargs="+")
    args = parser.parse_args()
    expected = {}
    for path in args.expect:
        for name, texts in json.load(open(path)).items():
            expected.setdefault(name, []).extend(texts)
    failed = 0
    same_dep = check_same_dep(args.notebooks)
    for path in args.notebooks:
        run_args = (path, args.write, expected, args.label, args.warm_up, args.all_cells, args.kernel)
        try:
            problems = run(*run_args)
        except KernelStopped as stopped:
            # The kernel died under the notebook (not a cell's error or time limit): said
            # here, then the notebook runs once more on a new kernel and must pass there.
            print(f"RETRY {path}: {stopped}", flush=True)
            try:
                problems = run(*run_args)
            except KernelStopped as again:
                problems = [str(again)]
        if os.path.abspath(path) in same_dep:
            problems.insert(0, same_dep[os.path.abspath(path)])
        for p in problems:
            print(f"FAIL {path}: {p}")
        failed += bool(problems)
    print(f"notebooks: {len(args.notebooks) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
