#!/usr/bin/env bash
# Build Docker Compose v5 from its Go module (the module proxy), once per version, into a cache
# outside the clone, and install it as the docker CLI plugin, so `docker compose version` works.
# Prints the folder holding `docker-compose` as its last line.
#   bash .ci/build-compose.sh          (COMPOSE_VERSION, DOCKPEEK_TOOL_CACHE, DOCKER_CLI_PLUGINS
#                                        override the defaults)
# A cached build is reused after one check: `docker-compose version` must name the version.
# v5.6.0 is the newest release whose go.mod this machine's Go 1.26 can build.
set -euo pipefail

version="${COMPOSE_VERSION:-5.6.0}"
cache="${DOCKPEEK_TOOL_CACHE:-/var/cache/dockpeek-tools}"
plugins="${DOCKER_CLI_PLUGINS:-/usr/local/lib/docker/cli-plugins}"
dir="$cache/compose-v$version"

# One build at a time per version: a second caller waits, then finds the cache.
mkdir -p "$cache"
exec 9>"$cache/.compose-v$version.lock"
flock 9

# The plugin the docker CLI finds: a copy (not a link), swapped in with one rename.
install_plugin() {
  mkdir -p "$plugins"
  if ! cmp -s "$dir/docker-compose" "$plugins/docker-compose"; then
    cp "$dir/docker-compose" "$plugins/.docker-compose.$$"
    chmod 0755 "$plugins/.docker-compose.$$"
    mv -f "$plugins/.docker-compose.$$" "$plugins/docker-compose"
  fi
}

if [ -x "$dir/docker-compose" ] \
  && "$dir/docker-compose" version 2>/dev/null | grep -qx "Docker Compose version v$version"; then
  install_plugin
  echo "build-compose: Docker Compose v$version cached in $dir" >&2
  echo "$dir"
  exit 0
fi

command -v go >/dev/null || { echo "build-compose: Go is needed (go install from the module proxy)" >&2; exit 1; }
# Only this user may write where the binaries the tests run live.
chmod 0755 "$cache"
work=$(mktemp -d "$cache/.build-XXXXXX")
trap 'rm -rf "$work"' EXIT
started=$SECONDS

# Its go.mod has exclude directives, so `go install …@version` refuses it: build inside a copy of
# the module, as its main module (go.sum then pins every dependency), with the release's flags
# (its Makefile): -trimpath, -w, the version stamped into internal.Version.
echo "build-compose: building Docker Compose v$version (go build, CGO_ENABLED=0)" >&2
src=$(cd "$work" && go mod download -json "github.com/docker/compose/v5@v$version" \
  | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
[ -d "$src" ] || { echo "build-compose: go mod download gave no folder" >&2; exit 1; }
cp -r "$src" "$work/src"
chmod -R u+w "$work/src"
mkdir "$work/bin"
(cd "$work/src" && CGO_ENABLED=0 go build -trimpath \
  -ldflags "-w -X github.com/docker/compose/v5/internal.Version=v$version" \
  -o "$work/bin/docker-compose" ./cmd)

rm -rf "$dir"
mv "$work/bin" "$dir"
chmod 0755 "$dir"
install_plugin
echo "build-compose: done in $((SECONDS - started)) s: $("$dir/docker-compose" version)" >&2
echo "$dir"
