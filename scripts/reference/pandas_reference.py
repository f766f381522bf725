#!/usr/bin/env python3
"""How pandas reads an event file, as JSON, for huntbook's differential tests.

    pandas_reference.py schema FILE [lines|array]

Prints {"rows": N, "columns": [[name, dtype, non_null_count], ...]} for
pd.read_json(FILE, lines=True) (or, with "array", pd.read_json(FILE)), the call the workshop
notebooks make.
"""
import json
import sys

import pandas as pd


def main():
    command, path = sys.argv[1], sys.argv[2]
    form = sys.argv[3] if len(sys.argv) > 3 else "lines"
    if command != "schema":
        sys.exit(f"unknown command {command}")
    df = pd.read_json(path, lines=(form == "lines"))
    counts = df.count()
    print(json.dumps({
        "rows": len(df),
        "columns": [[str(c), str(df[c].dtype), int(counts[c])] for c in df.columns],
    }))


if __name__ == "__main__":
    main()
