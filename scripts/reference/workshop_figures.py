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


def escape(text):
    """HTML escaping as huntbook's table writes it (&, <, > and double quotes)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def td(value):
    """A cell as huntbook's HTML table writes it: cut at pandas' 50 characters, the whole text
    then in the cell's tooltip."""
    text = "null" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    if len(text) > 50:
        return f'<td title="{escape(text)}">{escape(text[:47] + "...")}</td>'
    return f"<td>{escape(text)}</td>"


def table_rows(df):
    """Each row of a small table, with its position, as huntbook's HTML table writes it."""
    rows = []
    for position, values in enumerate(df.itertuples(index=False)):
        cells = "".join(f"\n      {td(v)}" for v in values)
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
        f"{df.shape[0]} entries, data columns (total {df.shape[1]} columns)",
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


IJB = "infosec-jupyter-book/master/"
BTV = IJB + "docs/community-workshops/defcon_btv_2020/datasets/"
SYSMON = "Microsoft-Windows-Sysmon/Operational"


def read_any(mirror, relative):
    """The one JSON member of a zip: a JSON array (pd.read_json) or JSON lines."""
    with zipfile.ZipFile(f"{mirror}/{relative}") as z:
        members = [n for n in z.namelist() if n.endswith(".json") and not n.startswith("__MACOSX/")]
        data = z.read(members[0])
    return pd.read_json(io.BytesIO(data), lines=not data.lstrip().startswith(b"["))


def events(df, sysmon, event_id):
    channel = df["Channel"].str.lower()
    keep = channel.str.contains("sysmon", na=False) if sysmon else channel == "security"
    return df[keep & (df["EventID"] == event_id)]


def sql_twin(mirror):
    """The SQL notebook's queries, in pandas (SQL joins never match null keys: dropna)."""
    apt29 = read_any(mirror, IJB + "datasets/apt29_evals_day1_manual_demo.zip")
    ps = read_any(mirror, BTV + "empire_psinject.zip")
    lines = [f"apt29: {apt29.shape[0]} events, {apt29.shape[1]} columns; psinject: {ps.shape[0]} events, {ps.shape[1]} columns"]
    s8 = ps[(ps["Channel"] == SYSMON) & (ps["EventID"] == 8)]
    lines.append(f"{len(s8)} Sysmon 8 events")
    lines.append(f"{int(s8['SourceImage'].str.contains('powershell.exe', regex=False, na=False).sum())} Sysmon 8 events from powershell.exe")
    counts = apt29.groupby(["Channel", "EventID"]).size()
    lines.append(f"{len(counts)} channel and event id pairs")
    lines.append(f"{int((counts <= 500).sum())} channel and event id pairs with at most 500 events")
    logons = events(apt29, False, 4624)
    logons = logons[logons["LogonType"] == 3][["TargetLogonId", "IpAddress"]].dropna(subset=["TargetLogonId"])
    created = events(apt29, False, 4688).dropna(subset=["TargetLogonId"])
    lines.append(f"{len(created.merge(logons, on='TargetLogonId'))} process creations in network logon sessions")
    s1 = events(ps, True, 1)[["ProcessGuid", "ParentImage"]].dropna(subset=["ProcessGuid"])
    s3 = events(ps, True, 3)
    connections = s3[["ProcessGuid", "Image"]].merge(s1, on="ProcessGuid", how="left")
    lines.append(f"{len(connections)} network connections, {int(connections['ParentImage'].notna().sum())} with a known parent")
    s13 = events(ps, True, 13)[["ProcessGuid", "TargetObject"]].dropna(subset=["ProcessGuid"])
    lines.append(f"{len(s3.dropna(subset=['ProcessGuid']).merge(s13, on='ProcessGuid'))} rows")
    frequency = s3.groupby("DestinationIp").size().to_frame("Frequency").reset_index()
    frequency = frequency[frequency["Frequency"] > 10].sort_values("Frequency", ascending=False)
    lines += table_rows(frequency)
    sysmon1 = events(apt29, True, 1)
    lengths = pd.DataFrame({"User": sysmon1["User"], "Length": sysmon1["CommandLine"].str.len()})
    lengths = lengths[lengths["Length"] < 300]
    for user, values in lengths.groupby("User", sort=False)["Length"]:
        lines.append(f"{user}: {len(values)} command lines, median {values.median():.2f}")
    s10 = events(ps, True, 10)
    lines.append(f"{s10['GrantedAccess'].nunique()} distinct access masks in {len(s10)} Sysmon 10 events")
    writes = s10[s10["GrantedAccess"].map(lambda mask: isinstance(mask, str) and int(mask, 16) & 0x20 != 0)]
    combinations = writes.drop_duplicates(["SourceImage", "TargetImage", "GrantedAccess"])
    lines.append(f"{len(combinations)} source, target and mask combinations with write access")
    s8 = events(ps, True, 8)
    injections = s10.merge(
        s8[["SourceProcessGuid", "TargetProcessGuid", "StartAddress"]],
        left_on=["SourceProcessGUID", "TargetProcessGUID"],
        right_on=["SourceProcessGuid", "TargetProcessGuid"],
    )
    lines.append(f"{len(injections)} process accesses followed by a remote thread")
    injected = s8[["TargetProcessGuid", "TargetImage"]].merge(
        s3[["ProcessGuid", "DestinationIp", "DestinationPort"]], left_on="TargetProcessGuid", right_on="ProcessGuid"
    ).drop_duplicates(["TargetImage", "DestinationIp", "DestinationPort"])
    for image, ip in zip(injected["TargetImage"], injected["DestinationIp"]):
        lines.append(f"{td(image)}\n      {td(ip)}")
    dc = read_any(mirror, BTV + "covenant_dcsync_dcerpc_drsuapi_DsGetNCChanges.zip")
    guids = "1131f6aa-9c07-11d1-f79f-00c04fc2dcd2|1131f6ad-9c07-11d1-f79f-00c04fc2dcd2|89e95b76-444d-4c62-991a-0facbeda640c"
    ops = events(dc, False, 4662)
    ops = ops[(ops["AccessMask"] == "0x100") & ops["Properties"].str.contains(guids, na=False)]
    dc_logons = events(dc, False, 4624)
    dc_logons = dc_logons[dc_logons["LogonType"] == 3][["TargetLogonId", "IpAddress"]]
    lines.append(f"{len(ops.merge(dc_logons, left_on='SubjectLogonId', right_on='TargetLogonId'))} replication requests from network logons")
    wmi = read_any(mirror, BTV + "covenant_sharpwmi_dcerpc_wmi_remotecreateinstance.zip")
    created = events(wmi, False, 4688)
    created = created[created["ParentProcessName"].str.lower().str.contains("wmiprvse.exe", regex=False, na=False)]
    wmi_logons = events(wmi, False, 4624)
    wmi_logons = wmi_logons[wmi_logons["LogonType"] == 3][["TargetLogonId", "TargetUserName", "IpAddress"]]
    lines.append(f"{len(created.merge(wmi_logons, on='TargetLogonId'))} processes created by WMI for a network logon")
    return lines


def catalogue(mirror):
    """The catalogue notebook's figures, from the metadata files themselves."""
    import glob

    import yaml

    datasets = []
    for path in sorted(glob.glob(f"{mirror}/security-datasets/master/datasets/*/_metadata/*.yaml")):
        with open(path) as f:
            datasets.append(yaml.safe_load(f))
    lines = [f"{len(datasets)} datasets in the catalogue (0 metadata files could not be read)"]

    def mappings(d):
        return d.get("attack_mappings") or []

    dumping = [d for d in datasets if any(str(m.get("technique", "")).upper() == "T1003" for m in mappings(d))]
    lines.append(f"{len(dumping)} datasets for T1003 and its sub-techniques")
    per_tactic = {}
    for d in datasets:
        for tactic in {t for m in mappings(d) for t in (m.get("tactics") or [])}:
            per_tactic[tactic] = per_tactic.get(tactic, 0) + 1
    lines += [f"<td>{t}</td>\n      <td>{n}</td>" for t, n in sorted(per_tactic.items())]
    dcsync = read(mirror, "security-datasets/master/datasets/atomic/windows/credential_access/host/covenant_dcsync_dcerpc_drsuapi_DsGetNCChanges.zip")
    pairs = dcsync.groupby(["Channel", "EventID"]).size()
    lines.append(f"{dcsync.shape[0]} events, {dcsync.shape[1]} columns, {len(pairs)} kinds of events (channel and event id)")
    return lines + info_rows(dcsync)


def latest_attack(mirror):
    """The newest mitre-cti release of the mirror (what the notebooks load as "latest")."""
    import glob
    import os

    def version(path):
        return tuple(int(p) for p in os.path.basename(path).removeprefix("ATT&CK-v").split("."))

    return max(glob.glob(f"{mirror}/mitre-cti/ATT&CK-v*"), key=version).rsplit("-v", 1)[1]


def attack_detections(mirror):
    """Notebook 01's detections section, with attackcti on the latest release."""
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from attackcti_reference import local_paths
    from attackcti import attack_client

    lift = attack_client(local_paths=local_paths(mirror, latest_attack(mirror)))
    detections = lift.query.detections
    technique = lift.query.get_object_by_attack_id("attack-pattern", "T1003.001")[0]
    refs = detections.get_log_source_references_by_technique(technique["id"])
    analytics = detections.get_analytics_by_technique(technique["id"])
    strategies = detections.get_detection_strategies_by_technique(technique["id"])
    by_component = lift.query.techniques.get_techniques_by_data_components("Process Creation")
    return [
        f"T1003.001 ({technique['name']}): log sources {len(refs)}, analytics {len(analytics)},"
        f" detection strategies {len(strategies)}",
        f"{len({t['id'] for t in by_component})} active techniques have a detection that reads Process Creation",
    ]


def coverage(mirror):
    """Notebook 10's figures from the latest enterprise bundle and the metadata files, with
    plain JSON and YAML (no huntbook, no ATT&CK library)."""
    import glob

    import yaml

    release = latest_attack(mirror)
    with open(f"{mirror}/mitre-cti/ATT&CK-v{release}/enterprise-attack/enterprise-attack.json") as f:
        objects = json.load(f)["objects"]
    active = lambda o: not o.get("revoked") and not o.get("x_mitre_deprecated")
    by_id = {o["id"]: o for o in objects}
    rels = [o for o in objects if o["type"] == "relationship" and active(o)]
    group = next(o for o in objects if o["type"] == "intrusion-set" and o["name"] == "APT29")
    sources = {group["id"]} | {
        r["source_ref"] for r in rels
        if r["relationship_type"] == "attributed-to" and r["target_ref"] == group["id"]
        and r["source_ref"].startswith("campaign--")
    }
    techniques = {
        r["target_ref"] for r in rels
        if r["relationship_type"] == "uses" and r["source_ref"] in sources
        and r["target_ref"] in by_id and by_id[r["target_ref"]]["type"] == "attack-pattern"
        and active(by_id[r["target_ref"]])
    }

    def attack_id(o):
        return next(r["external_id"] for r in o["external_references"] if r.get("source_name") == "mitre-attack")

    ids = {attack_id(by_id[t]) for t in techniques}
    mappings = []
    for path in glob.glob(f"{mirror}/security-datasets/master/datasets/*/_metadata/*.yaml"):
        with open(path) as f:
            d = yaml.safe_load(f)
        mappings.append([(str(m.get("technique", "")).strip().upper(), m.get("sub-technique")) for m in (d.get("attack_mappings") or [])])

    def maps(dataset, tid):
        for technique, sub in dataset:
            full = f"{technique}.{str(sub).zfill(3)}" if sub else technique
            if full == tid or ("." not in tid and technique == tid):
                return True
        return False

    with_data = sum(1 for t in ids if any(maps(d, t) for d in mappings))
    detected = set()
    for r in rels:
        if r["relationship_type"] == "detects" and r["target_ref"] in techniques:
            strategy = by_id.get(r["source_ref"], {})
            for a in strategy.get("x_mitre_analytic_refs", []):
                for ref in by_id.get(a, {}).get("x_mitre_log_source_references", []):
                    if ref.get("x_mitre_data_component_ref") in by_id:
                        detected.add(r["target_ref"])
    return [
        f"{len(ids)} techniques used by APT29 and its campaigns, written to apt29.json",
        f"{with_data} of APT29's {len(ids)} techniques have at least one Security-Dataset",
        f"{len(detected)} of APT29's {len(ids)} techniques are detected through at least one data component",
    ]


def release_changes(mirror):
    """Notebook 11's counts, from mitreattack-python's diff_stix (run in its own environment,
    HUNTBOOK_MITREATTACK_PYTHON, through mitreattack_reference.py)."""
    import os
    import subprocess

    python = os.environ.get("HUNTBOOK_MITREATTACK_PYTHON")
    if not python:
        raise SystemExit("HUNTBOOK_MITREATTACK_PYTHON is not set (a Python with mitreattack-python)")
    latest = latest_attack(mirror)
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "mitreattack_reference.py")

    def diff(old):
        out = subprocess.run(
            [python, script, "changes",
             f"{mirror}/mitre-cti/ATT&CK-v{old}/enterprise-attack",
             f"{mirror}/mitre-cti/ATT&CK-v{latest}/enterprise-attack"],
            check=True, capture_output=True, text=True,
        ).stdout
        return json.loads(out)

    def summary(changes, family):
        sections = changes.get(family.replace(" ", ""), {})
        n = lambda *kinds: sum(len(sections.get(k, [])) for k in kinds)
        return (
            f"{family}: {n('additions')} added, {n('revocations')} revoked, {n('deprecations')} deprecated, "
            f"{n('deletions')} deleted, {n('major_version_changes', 'minor_version_changes', 'other_version_changes')} "
            f"with a new version, {n('patches')} patched"
        )

    from_15 = diff("15.1")
    lines = [summary(from_15, f) for f in [
        "techniques", "software", "groups", "campaigns", "mitigations", "data sources",
        "data components", "detection strategies", "analytics"]]
    from_9 = diff("9.0")
    lines += [f"9.0 -> {latest}: {summary(from_9, f)}" for f in [
        "techniques", "software", "groups", "mitigations", "data sources"]]
    return lines


def sigma_hunt(mirror):
    """Notebook 12's inputs, counted without huntbook: SigmaHQ's Windows rule files, the APT29
    demo's events (pandas, as notebook 08 reads them) and the event logs of the EVTX folder it
    hunts (files that start with the EVTX signature)."""
    import os

    rules = os.path.join(mirror, "sigma/master/rules/windows")
    rule_files = sum(
        1 for _, _, names in os.walk(rules) for n in names if n.endswith((".yml", ".yaml"))
    )
    apt29 = read_any(mirror, IJB + "datasets/apt29_evals_day1_manual_demo.zip")
    folder = os.path.join(mirror, "evtx-attack-samples/master/Lateral Movement")
    logs = 0
    for root, _, names in os.walk(folder):
        for n in names:
            with open(os.path.join(root, n), "rb") as f:
                logs += f.read(8) == b"ElfFile\0"
    return [
        f"{rule_files} Sigma rule files under rules/windows",
        f"{apt29.shape[0]} events, {apt29.shape[1]} columns",
        f"events from {logs} files",
    ]


def main():
    mirror, out = sys.argv[1], sys.argv[2]
    figures = {
        "01_explore_attack_data_sources.ipynb": attack_detections(mirror),
        "03_workshop_dataframe.ipynb": dataframe(mirror),
        "04_workshop_filtering.ipynb": filtering(mirror),
        "05_workshop_transforming.ipynb": transforming(mirror),
        "06_workshop_correlating.ipynb": correlating(mirror),
        "07_workshop_visualizing.ipynb": visualizing(mirror),
        "08_sql_apt29.ipynb": sql_twin(mirror),
        "09_security_datasets_catalogue.ipynb": catalogue(mirror),
        "10_coverage_apt29.ipynb": coverage(mirror),
        "11_release_changes.ipynb": release_changes(mirror),
        "12_hunting_with_sigma.ipynb": sigma_hunt(mirror),
    }
    with open(out, "w") as f:
        json.dump(figures, f, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
