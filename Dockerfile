# The paved container image: one static (musl) binary on an empty base, run as a non-root user.
#
#   docker build -t paved .
#   docker run --rm -v "$PWD:/src:ro" paved lint
#
# The base image is pinned by digest (with its tag, for people and for Renovate/Dependabot);
# the release workflow builds it on amd64 and arm64 runners.

FROM rust:1.95-alpine@sha256:606fd313a0f49743ee2a7bd49a0914bab7deedb12791f3a846a34a4711db7ed2 AS build
# mimalloc is C: the musl headers and startup files to compile and link it.
RUN apk add --no-cache musl-dev
WORKDIR /build
COPY Cargo.toml Cargo.lock ./
# Cargo.toml declares the benchmark, so its file must exist even though it is not built.
COPY bench/source_map.rs bench/
COPY policies policies
COPY src src
# musl targets link statically by default: the binary needs nothing from the image.
RUN cargo build --release --locked \
    && install -D -m 0755 target/release/paved /out/paved

# Nothing but the binary: no shell, no package manager, nothing to patch.
FROM scratch
LABEL org.opencontainers.image.title="paved" \
      org.opencontainers.image.description="Platform standards as code: a fast linter for repositories and infrastructure, with Rego policies" \
      org.opencontainers.image.licenses="Apache-2.0"
COPY --from=build /out/paved /usr/local/bin/paved
# scratch sets no PATH, and ENTRYPOINT finds the binary through it.
ENV PATH=/usr/local/bin
# A numeric UID: nothing in scratch maps a name to it, and Kubernetes' runAsNonRoot needs a number.
USER 65532:65532
WORKDIR /src
# A CLI that runs and exits, not a service: there is nothing to probe.
HEALTHCHECK NONE
ENTRYPOINT ["paved"]
CMD ["lint", "."]
