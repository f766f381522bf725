#!/usr/bin/env python3
"""Answers reference questions with attackcti on local ATT&CK files, for huntbook's
differential tests and benchmark.

Usage:
  attackcti_reference.py by-data-components MIRROR RELEASE TERM [TERM ...]
      prints a JSON list of the STIX ids of the techniques attackcti's
      get_techniques_by_data_components returns on mitre-cti RELEASE (enterprise, mobile, ics).
  attackcti_reference.py log-sources MIRROR RELEASE STIX_ID [STIX_ID ...]
      prints a JSON object: for each technique STIX id, the sorted [data component ref, name,
      channel] triples of get_log_source_references_by_technique.
  attackcti_reference.py load-techniques MIRROR RELEASE
      loads the three domains and builds the techniques list (stix_format=False), then prints
      JSON {"seconds": ..., "techniques": N, "peak_rss_mb": ...}.
"""
import json
import os
import resource
import sys
import time


def local_paths(mirror, release):
    base = os.path.join(mirror, "mitre-cti", f"ATT&CK-v{release}")
    return {
        "enterprise": os.path.join(base, "enterprise-attack", "enterprise-attack.json"),
        "mobile": os.path.join(base, "mobile-attack", "mobile-attack.json"),
        "ics": os.path.join(base, "ics-attack", "ics-attack.json"),
    }


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    command, mirror, release = argv[0], argv[1], argv[2]
    start = time.perf_counter()
    from attackcti import attack_client

    lift = attack_client(local_paths=local_paths(mirror, release))
    if command == "by-data-components":
        techniques = lift.query.techniques.get_techniques_by_data_components(*argv[3:])
        ids = sorted({t["id"] for t in techniques})
        print(json.dumps(ids))
    elif command == "log-sources":
        detections = lift.query.detections
        answer = {}
        for technique in argv[3:]:
            refs = detections.get_log_source_references_by_technique(technique)
            answer[technique] = sorted(
                [r["x_mitre_data_component_ref"], r["name"], r["channel"]] for r in refs
            )
        print(json.dumps(answer))
    elif command == "load-techniques":
        techniques = lift.query.techniques.get_techniques(stix_format=False)
        elapsed = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({"seconds": elapsed, "techniques": len(techniques), "peak_rss_mb": peak}))
    else:
        print(f"unknown command {command!r}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
