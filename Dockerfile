# DockPeek Security: the refresh loop (snapshot → scan → updates → archive → build → publish) with
# the real Trivy inside. docs/deployment.md runs it with compose.yaml: a read-only socket proxy in
# front of Docker, and nginx serving the published site.
#
#   docker build -t dockpeek-security .
#
# The base images are build arguments (the tests build local ones: nothing is pulled there).
ARG NODE_IMAGE=node:24.21.0-trixie-slim
ARG GO_IMAGE=golang:1.26-trixie
# PEM certificates the builder stages also trust, for a build behind a TLS-inspecting proxy
# (--build-arg BUILD_CA_CERTS="$(cat /usr/local/share/ca-certificates/*.crt)"). Only the builder
# stages use it: the image itself trusts what its base trusts.
ARG BUILD_CA_CERTS=

# Trivy, built from its Go module with the flags of CI's build (.ci/build-trivy.sh): the binary
# the tests run is the one the image ships.
FROM ${GO_IMAGE} AS trivy
ARG TRIVY_VERSION=0.74.0
ARG BUILD_CA_CERTS
RUN if [ -n "$BUILD_CA_CERTS" ]; then printf '%s\n' "$BUILD_CA_CERTS" >> /etc/ssl/certs/ca-certificates.crt; fi \
 && CGO_ENABLED=0 GOEXPERIMENT=jsonv2 GOBIN=/out go install \
      -ldflags "-X github.com/aquasecurity/trivy/pkg/version/app.ver=${TRIVY_VERSION}" \
      "github.com/aquasecurity/trivy/cmd/trivy@v${TRIVY_VERSION}" \
 && rm -rf /root/.cache/go-build "$(go env GOMODCACHE)" \
 && /out/trivy --version | grep -qx "Version: ${TRIVY_VERSION}"

# The production packages only (no dev dependencies), without npm's cache.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
ARG BUILD_CA_CERTS
RUN printf '%s\n' "$BUILD_CA_CERTS" > /tmp/build-ca.pem \
 && NODE_EXTRA_CA_CERTS=/tmp/build-ca.pem npm ci --omit=dev --no-audit --no-fund \
 && rm -rf /root/.npm /root/.cache /tmp/build-ca.pem

# The site renderer, compiled once here (a demo build compiles it) so the first refresh only
# renders. It is keyed by the code, the lock file and Node: an upgrade compiles its own.
FROM deps AS renderer
COPY bin bin
COPY pipeline pipeline
COPY src src
COPY demo demo
COPY tsconfig.json ./
RUN mkdir -m 0700 /cache \
 && XDG_CACHE_HOME=/cache HOME=/nonexistent NODE_DISABLE_COMPILE_CACHE=1 \
      node bin/dockpeek-security.mjs demo --days 0 --quiet --site-dir /tmp/demo/site \
 && rm -rf /tmp/demo \
 && test -n "$(ls /cache/dockpeek-security/renderers/*/)"

FROM ${NODE_IMAGE}
ARG VERSION=1.1.0
ARG SOURCE_URL=
LABEL org.opencontainers.image.title="DockPeek Security" \
      org.opencontainers.image.description="Static, offline, multi-host, dependency-aware security dashboard for Docker hosts" \
      org.opencontainers.image.source="${SOURCE_URL}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="MIT"
# tini as PID 1: signals reach node, and the trivy processes it starts are reaped.
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends tini >/dev/null \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt /var/log/dpkg.log \
 && echo 'dockpeek:x:10001:10001:DockPeek Security:/home/dockpeek:/usr/sbin/nologin' >> /etc/passwd \
 && echo 'dockpeek:x:10001:' >> /etc/group \
 && mkdir -p /data /site /cache /home/dockpeek \
 && chown 10001:10001 /data /site /cache /home/dockpeek \
 && chmod 0700 /data /cache /home/dockpeek
COPY --from=trivy /out/trivy /usr/local/bin/trivy
WORKDIR /app
COPY --from=deps /app/node_modules node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY bin bin
COPY pipeline pipeline
COPY src src
COPY --from=renderer --chown=10001:10001 /cache /cache
RUN ln -s /app/bin/dockpeek-security.mjs /usr/local/bin/dockpeek-security

# Everything written goes to the volumes (and /tmp, a tmpfs under compose): the root filesystem
# can be read-only. The Trivy DB and the renderer live in /cache, the store and feeds in /data.
ENV NODE_ENV=production \
    DOCKPEEK_DATA_DIR=/data \
    DOCKPEEK_SITE_DIR=/site/current \
    TRIVY_BIN=/usr/local/bin/trivy \
    TRIVY_CACHE_DIR=/cache/trivy \
    XDG_CACHE_HOME=/cache \
    HOME=/home/dockpeek
VOLUME ["/data", "/site", "/cache"]
USER 10001:10001

# Healthy while refresh keeps up: the last refresh at most twice --every old, no stale run lock.
# Keep --every the same as in CMD (compose.yaml sets both from DOCKPEEK_EVERY).
HEALTHCHECK --interval=1m --timeout=30s --start-period=15m --retries=3 \
  CMD ["dockpeek-security", "status", "--every", "6h"]
ENTRYPOINT ["/usr/bin/tini", "--", "dockpeek-security"]
CMD ["refresh", "--every", "6h"]
