#!/usr/bin/env python3
"""The key figures of the workshop notebooks, computed with pandas on the same files.

    workshop_figures.py MIRROR OUT.json

Runs each workshop step the way the original pandas notebooks do (pd.read_json(lines=True),
str.contains(case=False, na=False), groupby().size(), dropna(axis=1, how='all'), merge, ...)
on the archives of the offline mirror MIRROR, and writes, for each huntbook notebook, the
texts its outputs must contain ({"notebook.ipynb": ["text", ...]}, the format of
run_notebooks.py --expect). Nothing here is stored: the expected figures come from pandas
at test time.
"""
import html
import io
import json
import sys
import zipfile

import pandas as pd

SD = "security-datasets/master/datasets/atomic/windows/lateral_movement/host/"
PSREMOTING = SD + "covenant_psremoting_command.zip"
DLL_HIJACK = SD + "empire_shell_dcerpc_smb_service_dll_hijack.zip"
PSEXEC = SD + "empire_psexec_dcerpc_tcp_svcctl.zip"


def read(mirror, relative):
    """pd.read_json(lines=True) on the one JSON member of a zip, as the workshop reads it."""
    with zipfile.ZipFile(f"{mirror}/{relative}") as z:
        members = [n for n in z.namelist() if n.endswith(".json") and not n.startswith("__MACOSX/")]
        return pd.read_json(io.BytesIO(z.read(members[0])), lines=True)


def cell(value):
    """A cell as huntbook's HTML table writes it (pandas' 50-character limit)."""
    text = "null" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    if len(text) > 50:
        text = text[:47] + "..."
    return html.escape(text, quote=True)


def table_rows(df):
    """Each row of a small table, with its position, as huntbook's HTML table writes it."""
    rows = []
    for position, values in enumerate(df.itertuples(index=False)):
        cells = "".join(f"\n      <td>{cell(v)}</td>" for v in values)
        rows.append(f"<th>{position}</th>{cells}")
    return rows


def footer(df):
    return f"{df.shape[0]} rows × {df.shape[1]} columns"


def info_rows(df):
    counts = df.count()
    dtypes = df.dtypes.astype(str).value_counts().sort_index()
    rows = [
        f'<th>{i}</th>\n      <td style="text-align: left;">{html.escape(str(c), quote=True)}</td>'
        f"\n      <td>{int(counts[c])} non-null</td>\n      <td>{df[c].dtype}</td>"
        for i, c in enumerate(df.columns)
    ]
    rows.append("dtypes: " + ", ".join(f"{d}({n})" for d, n in dtypes.items()))
    return rows


def dataframe(mirror):
    df = read(mirror, PSREMOTING)
    return [footer(df)] + info_rows(df)


def filtering(mirror):
    df = read(mirror, PSREMOTING)
    image = df["Image"].str.contains("wsmprovhost.exe", case=False, na=False)
    parent = df["ParentImage"].str.contains("wsmprovhost.exe", case=False, na=False)
    both = df[image | parent]
    size = both.groupby("EventID").size()
    frequency = size.to_frame(name="Frequencia").reset_index()
    ordered = frequency.sort_values("Frequencia", ascending=False)
    return (
        [
            f"{int(image.sum())} events: Image contains wsmprovhost.exe",
            f"{len(both)} events: Image or ParentImage contains wsmprovhost.exe",
        ]
        + table_rows(frequency)
        + table_rows(ordered)
    )


def transforming(mirror):
    df = read(mirror, DLL_HIJACK)
    sysmon = df[(df["EventID"] == 1) & df["Channel"].str.contains("sysmon", case=False, na=False)]
    selected = sysmon[["@timestamp", "Image", "CommandLine"]].copy()
    selected["Command_Length"] = selected["CommandLine"].str.len()
    lengths = selected["Command_Length"]
    return [
        footer(df),
        footer(selected),
        f"Command_Length: min {lengths.min():.0f}, max {lengths.max():.0f}, mean {lengths.mean():.2f}",
    ] + table_rows(selected.head(5))


def correlating(mirror):
    df = read(mirror, PSEXEC)
    security = df["Channel"].str.lower() == "security"
    s4697 = df[security & (df["EventID"] == 4697)].dropna(axis=1, how="all")
    s4624 = df[security & (df["EventID"] == 4624)].dropna(axis=1, how="all")
    joined = pd.merge(
        s4697, s4624[s4624["LogonType"] == 3], left_on="SubjectLogonId", right_on="TargetLogonId", how="inner"
    )[["ServiceName", "ServiceFileName", "IpAddress"]]
    return [
        f"Security4697: {s4697.shape[0]} events, {s4697.shape[1]} columns",
        f"Security4624: {s4624.shape[0]} events, {s4624.shape[1]} columns",
        footer(joined),
    ] + table_rows(joined)


def visualizing(mirror):
    df = read(mirror, DLL_HIJACK)
    sysmon = df[(df["EventID"] == 1) & df["Channel"].str.contains("sysmon", case=False, na=False)]
    users = sysmon[["User"]].copy()
    users["Command_Length"] = sysmon["CommandLine"].str.len()
    users = users[users["Command_Length"] < 300]
    lines = []
    for user, lengths in users.groupby("User", sort=False)["Command_Length"]:
        q1, median, q3 = lengths.quantile([0.25, 0.5, 0.75])
        lines.append(
            f"{user}: {len(lengths)} command lines, median {median:.2f}, quartiles {q1:.2f} to {q3:.2f}"
        )
    return lines


def main():
    mirror, out = sys.argv[1], sys.argv[2]
    figures = {
        "03_workshop_dataframe.ipynb": dataframe(mirror),
        "04_workshop_filtering.ipynb": filtering(mirror),
        "05_workshop_transforming.ipynb": transforming(mirror),
        "06_workshop_correlating.ipynb": correlating(mirror),
        "07_workshop_visualizing.ipynb": visualizing(mirror),
    }
    with open(out, "w") as f:
        json.dump(figures, f, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
