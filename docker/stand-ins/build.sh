#!/usr/bin/env bash
# Makes sure the images that docker-compose.yml, docker/Dockerfile and the test fixtures name are on this Docker
# engine: each missing one is pulled, and where no registry can be reached (as on our build machines) a local
# stand-in is built from Debian's packages under the same name. A stand-in is rebuilt when its files change.
set -euo pipefail
cd "$(dirname "$0")"

have() { docker image inspect "$1" >/dev/null 2>&1; }
label() { docker image inspect -f '{{ index .Config.Labels "dit.stand-in" }}' "$1" 2>/dev/null || true; }
digest() { cat "$@" | sha256sum | cut -c1-16; }

# ensure TAG DIGEST BUILD-ARGUMENTS...: keeps a real image or an up-to-date stand-in, else pulls, else builds.
ensure() {
  local tag=$1 sum=$2; shift 2
  local current; current=$(label "$tag")
  if have "$tag" && { [ -z "$current" ] || [ "$current" = "$sum" ]; }; then return; fi
  if [ -z "$current" ] && docker pull -q "$tag" >/dev/null 2>&1; then echo "pulled $tag"; return; fi
  local started=$SECONDS output
  # Quiet unless it fails (the classic builder's deprecation notice would otherwise fill the log).
  if ! output=$(docker build -q --network host --label "dit.stand-in=$sum" -t "$tag" "$@" 2>&1); then
    echo "$output" >&2
    return 1
  fi
  echo "built stand-in $tag ($((SECONDS - started)) s)"
}

base=dit-stand-in/debian:bookworm
if ! have "$base"; then
  started=$SECONDS
  root=$(mktemp -d)
  debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >/dev/null
  tar -C "$root" -c . | docker import - "$base" >/dev/null
  rm -rf "$root"
  echo "built $base with debootstrap ($((SECONDS - started)) s)"
fi

ensure rabbitmq:3.13-management "$(digest rabbitmq/*)" rabbitmq
ensure postgres:15 "$(digest postgres/*)" postgres
ensure axllent/mailpit "$(digest mailpit/*)" mailpit

sdk_sum=$(digest dotnet/Dockerfile <(dotnet --version))
if [ "$(label mcr.microsoft.com/dotnet/sdk:10.0)" != "$sdk_sum" ] || [ "$(label mcr.microsoft.com/dotnet/aspnet:10.0)" != "$sdk_sum" ]; then
  # The .NET images hold this machine's SDK: the build context is a copy of it and of the extra CA certificates.
  context=$(mktemp -d)
  trap 'rm -rf "$context"' EXIT
  cp -a "$(dirname "$(readlink -f "$(command -v dotnet)")")" "$context/dotnet"
  mkdir "$context/ca"
  cp /usr/local/share/ca-certificates/*.crt "$context/ca/" 2>/dev/null || true
  ensure mcr.microsoft.com/dotnet/aspnet:10.0 "$sdk_sum" --target aspnet -f dotnet/Dockerfile "$context"
  ensure mcr.microsoft.com/dotnet/sdk:10.0 "$sdk_sum" --target sdk -f dotnet/Dockerfile "$context"
fi
