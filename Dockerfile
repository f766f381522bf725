# huntbook: JupyterLab with every huntbook notebook, the Rust kernel, and polars and huntbook
# already compiled into the kernel's cache, so the first cell answers in seconds.
#
#   docker build -t huntbook .
#   docker run --rm -p 8888:8888 huntbook          # then open the URL it prints
#
# Build arguments:
#   HUNTBOOK_BAKE_DATA=1  keep the latest ATT&CK release and the workshop datasets, which the
#                         notebooks download while they warm the cache, in the image for
#                         offline use (docker run -e HUNTBOOK_OFFLINE=1 ...)
#   RUST_VERSION          the Rust toolchain (default: the one huntbook is tested with)
#
# The steps are the repository's own (scripts/huntbook setup), the same ones the run and
# test commands take.

ARG RUST_VERSION=1.95

# The system: Rust, Python for Jupyter, lld (cells link faster), protoc and protobuf's
# well-known types (libprotobuf-dev: the Spark Connect client, in every notebook's build, is
# compiled with them; the same packages as scripts/huntbook names), and the jovyan user (uid
# 1000, the Jupyter and Binder convention).
FROM rust:${RUST_VERSION}-slim-bookworm AS base
# Debian's packages are pinned by the release (bookworm), not one by one.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        ca-certificates curl libprotobuf-dev lld patch protobuf-compiler python3 python3-venv \
    && rm -rf /var/lib/apt/lists/* \
    && rustup component add rust-src
ARG NB_USER=jovyan
ARG NB_UID=1000
RUN useradd --create-home --uid "${NB_UID}" --shell /bin/bash "${NB_USER}"
ENV HUNTBOOK_KERNEL_ROOT=/opt/huntbook-kernel

# The kernel (evcxr_jupyter with huntbook's patch), built apart: only the binary is kept.
FROM base AS kernel
COPY kernel/ /src/kernel/
COPY scripts/huntbook /src/scripts/
RUN /src/scripts/huntbook kernel \
    && rm -rf "${CARGO_HOME}/registry" "${CARGO_HOME}/git"

FROM base
ARG NB_USER=jovyan
COPY --from=kernel /opt/huntbook-kernel /opt/huntbook-kernel
USER ${NB_USER}
# The toolchain stays in /usr/local (read-only); crates downloaded for the cache go to $HOME.
ENV HOME=/home/${NB_USER} \
    CARGO_HOME=/home/${NB_USER}/.cargo
WORKDIR /home/${NB_USER}/huntbook
COPY --chown=${NB_USER}:${NB_USER} . .
# Python environment, JupyterLab, kernel spec, then every notebook executed once to warm the
# kernel's build cache (the first time compiles polars and huntbook: about 13 minutes on 2
# cores). Cargo's registry stays: the kernel's cargo reads the crates' manifests from it.
ARG HUNTBOOK_BAKE_DATA=0
RUN HUNTBOOK_BAKE_DATA="${HUNTBOOK_BAKE_DATA}" scripts/huntbook setup
EXPOSE 8888
CMD ["scripts/huntbook", "lab", "--ip=0.0.0.0", "--port=8888", "--no-browser"]
