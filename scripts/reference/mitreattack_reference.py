#!/usr/bin/env python3
"""Answers reference questions with mitreattack-python 6.3.1, for huntbook's differential
tests of Navigator layers.

Usage:
  mitreattack_reference.py read-layer FILE
      loads FILE with mitreattack's Layer class and prints JSON {"name", "domain", "version",
      "techniques": sorted [technique id, tactic or null, score or null]}.
  mitreattack_reference.py usage-layer BUNDLE MATCH OUT
      writes to OUT the layer UsageLayerGenerator makes for MATCH (a group, software or
      mitigation id) from the enterprise bundle BUNDLE.
  mitreattack_reference.py changes OLD_DIR NEW_DIR
      runs diff_stix (DiffStix) on the enterprise-attack.json of two releases and prints JSON
      {type: {section: [STIX ids]}}, the ids its --json-file lists per category.
  mitreattack_reference.py bench-layer BUNDLE GROUP SVG
      times, in seconds, UsageLayerGenerator loading the enterprise bundle BUNDLE ("load"),
      its layer for GROUP ("layer", the median of 5), ToSvg loading the bundle again
      ("svg_load") and drawing that layer on the matrix into SVG ("svg"); prints JSON with
      those, the layer's scored techniques ("techniques") and "peak_rss_mb".
  mitreattack_reference.py bench-changes OLD_DIR NEW_DIR
      times diff_stix on the enterprise-attack.json of two releases, loading included;
      prints JSON {"seconds", "changes" (objects over every category), "peak_rss_mb"}.
"""
import contextlib
import json
import resource
import statistics
import sys
import time


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv):
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    command = argv[0]
    if command == "read-layer":
        from mitreattack.navlayers.core.layer import Layer

        layer = Layer()
        # mitreattack prints notices (an upgraded version, ...) on stdout: keep it for JSON.
        with contextlib.redirect_stdout(sys.stderr):
            layer.from_file(argv[1])
        raw = layer.to_dict()
        techniques = sorted(
            ([t["techniqueID"], t.get("tactic"), t.get("score")] for t in raw.get("techniques", [])),
            key=lambda t: (t[0], t[1] or ""),
        )
        print(json.dumps({
            "name": raw.get("name"),
            "domain": raw.get("domain"),
            "version": raw.get("versions", {}).get("layer"),
            "techniques": techniques,
        }))
    elif command == "usage-layer":
        from mitreattack.navlayers import UsageLayerGenerator

        bundle, match, out = argv[1], argv[2], argv[3]
        with contextlib.redirect_stdout(sys.stderr):
            generator = UsageLayerGenerator(source="local", domain="enterprise", resource=bundle)
            generator.generate_layer(match=match).to_file(out)
    elif command == "changes":
        from mitreattack.diffStix.changelog_helper import DiffStix

        with contextlib.redirect_stdout(sys.stderr):
            diff = DiffStix(domains=["enterprise-attack"], old=argv[1], new=argv[2])
        changes = diff.data["changes"]
        print(json.dumps({
            category: {
                section: sorted(o["id"] for o in objects)
                for section, objects in by_domain["enterprise-attack"].items()
            }
            for category, by_domain in changes.items()
        }))
    elif command == "bench-layer":
        from mitreattack.navlayers import SVGConfig, ToSvg, UsageLayerGenerator

        bundle, match, out = argv[1], argv[2], argv[3]
        with contextlib.redirect_stdout(sys.stderr):
            start = time.perf_counter()
            generator = UsageLayerGenerator(source="local", domain="enterprise", resource=bundle)
            load = time.perf_counter() - start
            times = []
            for _ in range(5):
                start = time.perf_counter()
                layer = generator.generate_layer(match=match)
                times.append(time.perf_counter() - start)
            scored = sum(1 for t in layer.layer.techniques if t.score)
            # The generator leaves the versions out; ToSvg needs them for its header.
            layer.layer.versions = {"attack": "18", "layer": "4.5", "navigator": "5.1.0"}
            start = time.perf_counter()
            exporter = ToSvg(domain="enterprise", source="local", resource=bundle, config=SVGConfig())
            svg_load = time.perf_counter() - start
            start = time.perf_counter()
            exporter.to_svg(layer, filepath=out)
            svg = time.perf_counter() - start
        print(json.dumps({
            "load": load,
            "layer": statistics.median(times),
            "svg_load": svg_load,
            "svg": svg,
            "techniques": scored,
            "peak_rss_mb": peak_rss_mb(),
        }))
    elif command == "bench-changes":
        from mitreattack.diffStix.changelog_helper import DiffStix

        with contextlib.redirect_stdout(sys.stderr):
            start = time.perf_counter()
            diff = DiffStix(domains=["enterprise-attack"], old=argv[1], new=argv[2])
            seconds = time.perf_counter() - start
        changes = sum(
            len(objects)
            for by_domain in diff.data["changes"].values()
            for objects in by_domain["enterprise-attack"].values()
        )
        print(json.dumps({"seconds": seconds, "changes": changes, "peak_rss_mb": peak_rss_mb()}))
    else:
        print(f"unknown command {command!r}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
