#!/usr/bin/env python3
"""Executes notebooks headlessly on the huntbook Rust kernel and checks them.

    run_notebooks.py [--write] [--expect FILE] [--label TEXT] [--warm-up] [--kernel NAME] NOTEBOOK...

- Every code cell must run without an error output and without writing to stderr (evcxr
  shows an error returned with `?` only as stderr text), unless the cell is tagged
  `raises-exception`; a cell so tagged must fail (the notebook says why it does).
- With --expect (repeatable), a JSON file {"notebook file name": ["text", ...]}: each text
  must appear in the outputs of that notebook (the key numbers it prints).
- With --write, the executed notebook (outputs and timings) replaces the file.
- With --warm-up, only the first code cell (`:dep huntbook`, which compiles the notebook
  dependencies) must succeed; a later cell that fails (say, for want of data or network) is
  reported and ignored. scripts/warm-up.sh runs this way to fill the kernel's build cache.
- --kernel names the kernel spec (default huntbook-rust, the one scripts/setup.sh installs):
  another spec over the same build directory compares kernels on the same notebooks.
- Prints, for each notebook, the time from kernel start to the first answered cell and the
  median and worst cell time, then "N passed, N failed".
Environment: HUNTBOOK_* variables pass through to the kernel (mirror, release, offline).
"""
import argparse
import json
import os
import statistics
import sys
import time
from datetime import datetime

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

KERNEL = "huntbook-rust"


def parse_time(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


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


def run(path, write, expected, label, warm_up=False, kernel=KERNEL):
    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = {"name": KERNEL, "display_name": "Rust (huntbook)", "language": "rust"}
    start = time.time()
    client = NotebookClient(
        nb,
        kernel_name=kernel,
        timeout=3600,
        allow_errors=True,
        record_timing=True,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
    )
    client.execute()
    problems = []
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
            problem = f"cell {index}: {errors[0].get('ename')}: {errors[0].get('evalue')[:2000]}"
        elif stderr and not tagged:
            problem = f"cell {index}: wrote to stderr (an error returned by `?`): {stderr[:2000]}"
        elif tagged and not errors and not stderr:
            problem = f"cell {index}: tagged raises-exception but did not fail (does its text still hold?)"
        else:
            continue
        if warm_up and index != first_code:
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
    parser.add_argument("--kernel", default=KERNEL)
    parser.add_argument("notebooks", nargs="+")
    args = parser.parse_args()
    expected = {}
    for path in args.expect:
        for name, texts in json.load(open(path)).items():
            expected.setdefault(name, []).extend(texts)
    failed = 0
    for path in args.notebooks:
        problems = run(path, args.write, expected, args.label, args.warm_up, args.kernel)
        for p in problems:
            print(f"FAIL {path}: {p}")
        failed += bool(problems)
    print(f"notebooks: {len(args.notebooks) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
