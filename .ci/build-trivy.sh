#!/usr/bin/env bash
# Build the real Trivy, and the DB builder its go.mod pins, from the Go module proxy: once per
# version, into a cache outside the clone. Prints the folder holding `trivy`, `trivy-dev` (the
# same without its version stamp) and `trivy-db`.
#   bash .ci/build-trivy.sh            (TRIVY_VERSION, DOCKPEEK_TOOL_CACHE override the defaults)
# A cached build is reused after one check: `trivy --version` must name the version.
set -euo pipefail

version="${TRIVY_VERSION:-0.74.0}"
cache="${DOCKPEEK_TOOL_CACHE:-/var/cache/dockpeek-tools}"
dir="$cache/trivy-$version"

if [ -x "$dir/trivy" ] && [ -x "$dir/trivy-db" ] && [ -x "$dir/trivy-dev" ] \
  && "$dir/trivy" --version 2>/dev/null | grep -qx "Version: $version"; then
  echo "build-trivy: Trivy v$version cached in $dir" >&2
  echo "$dir"
  exit 0
fi

command -v go >/dev/null || { echo "build-trivy: Go is needed (go install from the module proxy)" >&2; exit 1; }
mkdir -p "$cache"
# Only this user may write where the binaries the tests run live.
chmod 0755 "$cache"
work=$(mktemp -d "$cache/.build-XXXXXX")
trap 'rm -rf "$work"' EXIT
started=$SECONDS

echo "build-trivy: building Trivy v$version (go install, CGO_ENABLED=0, GOEXPERIMENT=jsonv2)" >&2
(cd "$work" && CGO_ENABLED=0 GOEXPERIMENT=jsonv2 GOBIN="$work/bin" go install \
  -ldflags "-X github.com/aquasecurity/trivy/pkg/version/app.ver=$version" \
  "github.com/aquasecurity/trivy/cmd/trivy@v$version")

# The same build without the version stamp, as a plain `go install` makes it ("Version: dev"):
# only the link step differs, so it comes from the build cache in seconds.
(cd "$work" && CGO_ENABLED=0 GOEXPERIMENT=jsonv2 GOBIN="$work/dev" go install \
  "github.com/aquasecurity/trivy/cmd/trivy@v$version")
mv "$work/dev/trivy" "$work/bin/trivy-dev"

# The DB builder at the exact version Trivy's go.mod requires.
gomod=$(cd "$work" && go mod download -json "github.com/aquasecurity/trivy@v$version" \
  | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')
dbver=$(awk '$1 == "github.com/aquasecurity/trivy-db" { print $2; exit }' "$gomod")
[ -n "$dbver" ] || { echo "build-trivy: no trivy-db line in $gomod" >&2; exit 1; }
echo "build-trivy: building trivy-db $dbver (pinned by Trivy v$version)" >&2
(cd "$work" && CGO_ENABLED=0 GOBIN="$work/bin" go install \
  "github.com/aquasecurity/trivy-db/cmd/trivy-db@$dbver")

echo "$dbver" > "$work/bin/trivy-db.version"
rm -rf "$dir"
mv "$work/bin" "$dir"
chmod 0755 "$dir"
echo "build-trivy: done in $((SECONDS - started)) s: $("$dir/trivy" --version | head -1)" >&2
echo "$dir"
