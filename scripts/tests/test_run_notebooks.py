"""Unit tests of the notebook runner's checks (scripts/run_notebooks.py): the error line a
failed warm-up reports, the set-up cells, the one `:dep` line, and what a reader would see.
Run by the test command: python -m unittest discover -s scripts/tests"""
import json
import os
import sys
import tempfile
import unittest

import nbformat

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import run_notebooks as rn  # noqa: E402

# What evcxr showed when the Spark client's build script could not find protobuf's
# well-known types (Debian's protobuf-compiler without libprotobuf-dev).
PROTOC_FAILURE = """Compilation failed, but no parsable errors were found. STDERR:
   Compiling proc-macro2 v1.0.95
   Compiling unicode-ident v1.0.18
   Compiling apache-spark-connect-proto v4.2.0
error: failed to run custom build command for `apache-spark-connect-proto v4.2.0`

Caused by:
  process didn't exit successfully: `/tmp/target/debug/build/apache-spark-connect-proto-1/build-script-build` (exit status: 1)
  --- stderr
  Error: Custom { kind: Other, error: "protoc failed: google/protobuf/any.proto: File not found." }
warning: build failed, waiting for other jobs to finish...
   Compiling polars-core v0.55.0
"""


def cell(source, outputs=(), tags=()):
    c = nbformat.v4.new_code_cell(source)
    c.outputs = [nbformat.from_dict(o) for o in outputs]
    if tags:
        c.metadata["tags"] = list(tags)
    return c


class FirstErrorLine(unittest.TestCase):
    def test_cargo_progress_is_skipped_and_the_cause_kept(self):
        line = rn.first_error_line(PROTOC_FAILURE)
        self.assertTrue(line.startswith("error: failed to run custom build command for `apache-spark-connect-proto"), line)
        self.assertIn("google/protobuf/any.proto: File not found", line)
        self.assertNotIn("Compiling", line)

    def test_a_plain_error(self):
        self.assertEqual(rn.first_error_line("   Compiling x v1\nthe file is missing\n"), "the file is missing")


class SetupCells(unittest.TestCase):
    def test_commands_and_use_lines_only(self):
        self.assertTrue(rn.is_setup_cell(cell(':dep huntbook = { path = "../crates/huntbook" }')))
        self.assertTrue(rn.is_setup_cell(cell("use huntbook::prelude::*;\n// a comment\n")))
        self.assertFalse(rn.is_setup_cell(cell("let attack = AttackLoader::from_env()?.load()?;")))
        self.assertFalse(rn.is_setup_cell(cell("")))


class CellTimeouts(unittest.TestCase):
    def test_only_set_up_cells_may_compile_for_long(self):
        dep = cell(':dep huntbook = { path = "../crates/huntbook" }')
        self.assertEqual(rn.cell_timeout(dep), rn.SETUP_CELL_TIMEOUT)
        self.assertEqual(rn.cell_timeout(dep, warm_up=True), rn.WARM_UP_SETUP_CELL_TIMEOUT)
        self.assertEqual(rn.cell_timeout(cell("let df = read()?;\ndf"), warm_up=True), rn.CELL_TIMEOUT)
        self.assertLess(rn.CELL_TIMEOUT, rn.SETUP_CELL_TIMEOUT)
        self.assertLess(rn.SETUP_CELL_TIMEOUT, rn.WARM_UP_SETUP_CELL_TIMEOUT)


class SameDep(unittest.TestCase):
    def test_a_notebook_with_another_dep_line_is_named(self):
        with tempfile.TemporaryDirectory() as folder:
            for name, dep in [("a.ipynb", ":dep huntbook = { path = \"..\" }"),
                              ("b.ipynb", ":dep huntbook = { path = \"..\" }"),
                              ("c.ipynb", ":dep huntbook = { path = \"..\", features = [\"x\"] }")]:
                nb = nbformat.v4.new_notebook(cells=[cell(dep)])
                nbformat.write(nb, os.path.join(folder, name))
            problems = rn.check_same_dep([os.path.join(folder, "a.ipynb")])
            self.assertEqual(list(problems), [os.path.join(folder, "c.ipynb")])
            self.assertIn("same build of huntbook", problems[os.path.join(folder, "c.ipynb")])


class WhatAReaderSees(unittest.TestCase):
    def test_a_chart_shown_as_debug_text_fails(self):
        debug = {"output_type": "execute_result", "execution_count": 1, "metadata": {},
                 "data": {"text/plain": 'Chart { spec: Box(BoxSpec { boxes: [] }) }'}}
        problem = rn.display_problem(9, cell("plot.render()?", [debug]))
        self.assertIn("image/svg+xml", problem)
        problem = rn.display_problem(9, cell("plot", [debug]))
        self.assertIn("Debug text", problem)

    def test_unit_shown_fails(self):
        unit = {"output_type": "execute_result", "execution_count": 1, "metadata": {}, "data": {"text/plain": "()"}}
        self.assertIn("Debug text", rn.display_problem(8, cell("for b in x {}", [unit])))

    def test_a_chart_and_a_number_pass(self):
        svg = {"output_type": "execute_result", "execution_count": 1, "metadata": {},
               "data": {"image/svg+xml": "<svg></svg>"}}
        self.assertIsNone(rn.display_problem(9, cell("plot.render()?", [svg])))
        number = {"output_type": "execute_result", "execution_count": 1, "metadata": {}, "data": {"text/plain": "1120"}}
        self.assertIsNone(rn.display_problem(7, cell("df.height()", [number])))
        table = {"output_type": "execute_result", "execution_count": 1, "metadata": {},
                 "data": {"text/html": "<table></table>", "text/plain": "shape: (1, 2)"}}
        self.assertIsNone(rn.display_problem(7, cell("df", [table])))


if __name__ == "__main__":
    unittest.main()
