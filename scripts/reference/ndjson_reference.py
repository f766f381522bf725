#!/usr/bin/env python3
"""One timed read of a JSON-lines file, by pandas or by polars, for huntbook's benchmark.

    ndjson_reference.py pandas|polars FILE

Prints {"seconds": s, "rows": n, "columns": n, "peak_rss_mb": m}: the time of the read alone
(imports excluded) and the peak resident memory of the whole process, imports included (as
huntbook's figure includes its own start-up). pandas: pd.read_json(FILE, lines=True), the
workshop's call; polars: pl.read_ndjson(FILE), polars' own NDJSON reader.
"""
import json
import resource
import sys
import time


def main():
    engine, path = sys.argv[1], sys.argv[2]
    if engine == "pandas":
        import pandas as pd

        start = time.perf_counter()
        df = pd.read_json(path, lines=True)
        seconds = time.perf_counter() - start
        rows, columns = df.shape
    elif engine == "polars":
        import polars as pl

        start = time.perf_counter()
        df = pl.read_ndjson(path, infer_schema_length=None)
        seconds = time.perf_counter() - start
        rows, columns = df.shape
    else:
        sys.exit(f"unknown engine {engine}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "rows": rows, "columns": columns, "peak_rss_mb": peak}))


if __name__ == "__main__":
    main()
