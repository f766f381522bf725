#!/usr/bin/env python3
"""Checks the launch files that no Docker engine here can build (the test command runs it).

    check_launch.py REPO2DOCKER

- Every local source a `COPY` of the Dockerfile names exists and is not left out of the build
  context by .dockerignore.
- The Dockerfile and binder/postBuild both set up through `scripts/huntbook setup`, the steps
  the run and test commands take, so the test command proves the steps the images take.
- repo2docker (given as its executable), asked for the Dockerfile it would build from this
  repository (`--no-build --debug`: no engine needed), installs binder/apt.txt and runs
  binder/postBuild as the notebook user: it read binder/ as intended.
"""
import fnmatch
import os
import re
import subprocess
import sys


def dockerignored(path, patterns):
    return any(fnmatch.fnmatch(path, p) or path.startswith(p.rstrip("/") + "/") for p in patterns)


def main():
    repo2docker = sys.argv[1]
    problems = []
    dockerfile = open("Dockerfile").read()
    patterns = [line.strip() for line in open(".dockerignore") if line.strip() and not line.startswith("#")]
    for line in dockerfile.splitlines():
        words = line.split()
        if not words or words[0] != "COPY" or any(w.startswith("--from") for w in words):
            continue
        for source in [w for w in words[1:-1] if not w.startswith("--")]:
            source = source.rstrip("/") or "."
            if source == ".":
                continue
            if not os.path.exists(source):
                problems.append(f"Dockerfile: COPY {source}: no such file in the repository")
            elif dockerignored(source, patterns):
                problems.append(f"Dockerfile: COPY {source}: left out of the build context by .dockerignore")
    if not re.search(r"^RUN .*scripts/huntbook setup", dockerfile, re.M):
        problems.append("Dockerfile: does not run scripts/huntbook setup")
    if not os.path.exists("binder/postBuild"):
        problems.append("binder/postBuild: missing")
    elif "scripts/huntbook setup" not in open("binder/postBuild").read():
        problems.append("binder/postBuild: does not run scripts/huntbook setup")
    generated = subprocess.run(
        [repo2docker, "--no-build", "--debug", "--user-id", "1000", "--user-name", "jovyan", "."],
        capture_output=True, text=True,
    )
    text = generated.stdout + generated.stderr
    apt = " ".join(open("binder/apt.txt").read().split())
    if generated.returncode != 0:
        problems.append(f"repo2docker failed ({generated.returncode}): {text[-2000:]}")
    else:
        if f"--no-install-recommends {apt}" not in text:
            problems.append(f"repo2docker: the image it would build does not install binder/apt.txt ({apt})")
        at = text.find("RUN ./binder/postBuild")
        if at < 0:
            problems.append("repo2docker: the image it would build does not run binder/postBuild")
        elif re.findall(r"^USER (.*)$", text[:at], re.M)[-1:] != ["${NB_USER}"]:
            problems.append("repo2docker: binder/postBuild would not run as the notebook user")
    for p in problems:
        print(f"FAIL {p}")
    print(f"launch files: {'ok' if not problems else str(len(problems)) + ' problems'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
