#!/usr/bin/env python3
"""One timed read of a folder of Windows event logs (.evtx) into a pandas frame, the Python
way, for huntbook's EVTX benchmark.

    evtx_reference.py pyevtx-rs|python-evtx FOLDER

pyevtx-rs (PyPI `evtx`, the evtx crate's Python binding): every record as JSON, parsed with
json.loads, then pandas.json_normalize. python-evtx (PyPI `python-evtx`, pure Python): every
record's XML, its System and EventData fields read with ElementTree into dicts, then
pandas.DataFrame. Files are read in sorted order, recursively; a record either library
cannot read is counted in "failed" and skipped.

Prints {"seconds": s, "rows": n, "columns": n, "failed": n, "peak_rss_mb": m}: the time of
the reads and the frame (imports excluded), the peak resident memory of the whole process.
"""
import json
import os
import resource
import sys
import time


def files_of(folder):
    out = []
    for root, _, names in os.walk(folder):
        out.extend(os.path.join(root, n) for n in names if n.lower().endswith(".evtx"))
    return sorted(out)


def with_pyevtx_rs(files):
    import pandas as pd
    from evtx import PyEvtxParser

    records, failed = [], 0
    for path in files:
        try:
            for record in PyEvtxParser(path).records_json():
                records.append(json.loads(record["data"]))
        except Exception:  # noqa: BLE001 - a damaged file: count it, keep the others
            failed += 1
    return pd.json_normalize(records), failed


def with_python_evtx(files):
    import xml.etree.ElementTree as ET

    import pandas as pd
    from Evtx.Evtx import Evtx

    ns = "{http://schemas.microsoft.com/win/2004/08/events/event}"
    rows, failed = [], 0
    for path in files:
        try:
            with Evtx(path) as log:
                for record in log.records():
                    try:
                        root = ET.fromstring(record.xml())
                    except Exception:  # noqa: BLE001
                        failed += 1
                        continue
                    row = {}
                    system = root.find(f"{ns}System")
                    for field in system if system is not None else []:
                        name = field.tag.replace(ns, "")
                        row[name] = field.text
                        for key, value in field.attrib.items():
                            row[f"{name}.{key}"] = value
                    data = root.find(f"{ns}EventData")
                    for i, item in enumerate(data if data is not None else []):
                        row[item.attrib.get("Name", f"param{i + 1}")] = item.text
                    rows.append(row)
        except Exception:  # noqa: BLE001
            failed += 1
    return pd.DataFrame(rows), failed


def main():
    engine, folder = sys.argv[1], sys.argv[2]
    files = files_of(folder)
    read = {"pyevtx-rs": with_pyevtx_rs, "python-evtx": with_python_evtx}.get(engine)
    if read is None:
        sys.exit(f"unknown engine {engine}")
    start = time.perf_counter()
    df, failed = read(files)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows, columns = df.shape
    print(json.dumps({"seconds": seconds, "rows": rows, "columns": columns, "failed": failed,
                      "peak_rss_mb": peak}))


if __name__ == "__main__":
    main()
