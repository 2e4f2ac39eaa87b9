#!/usr/bin/env bash
# Sourced by scripts/test.sh: makes sure a Docker engine answers (starting Debian's dockerd when none runs — these
# machines have no systemd) and that the images the tests and docker-compose.yml name are on it (pulled, or built as
# local stand-ins where no registry can be reached). Sets DIT_STARTED_DOCKERD when it started the engine, and
# docker_engine_cleanup removes what the tests leave and stops an engine it started.

# Starts Debian's dockerd and waits up to 30 s for it to answer.
docker_engine_launch() {
  echo "Starting dockerd (log: /tmp/dit-dockerd.log)"
  dockerd >/tmp/dit-dockerd.log 2>&1 &
  DIT_STARTED_DOCKERD=$!
  for _ in $(seq 60); do docker info >/dev/null 2>&1 && return 0; sleep 0.5; done
  return 1
}

docker_engine_start() {
  if ! docker info >/dev/null 2>&1; then
    if ! docker_engine_launch && grep -q 'libnetwork.*reservePools\|initNetworkController' /tmp/dit-dockerd.log; then
      # A run killed mid-way can leave dockerd 20.10's network store half-written, and it then panics on every start
      # while restoring networks. The store holds only networks (ours are made per run); set it aside and start afresh.
      local store=/var/lib/docker/network/files/local-kv.db
      echo "dockerd could not restore its networks; moving $store aside and starting again" >&2
      kill "$DIT_STARTED_DOCKERD" 2>/dev/null || true
      [ -f "$store" ] && mv "$store" "$store.broken-$(date +%s)"
      docker_engine_launch || true
    fi
    if ! docker info >/dev/null 2>&1; then
      echo "dockerd did not start:" >&2; tail -20 /tmp/dit-dockerd.log >&2; return 1
    fi
  fi
  local started=$SECONDS
  bash docker/stand-ins/build.sh
  echo "Docker engine and images ready in $((SECONDS - started)) s"
}

docker_engine_cleanup() {
  local leftover
  leftover=$(docker ps -aq --filter label=dit.tests; docker ps -aq --filter name=dit-stack- 2>/dev/null)
  [ -z "$leftover" ] || docker rm -f -v $leftover >/dev/null 2>&1 || true
  docker network ls -q --filter name=dit-tests- | xargs -r docker network rm >/dev/null 2>&1 || true
  docker network ls -q --filter name=dit-stack- | xargs -r docker network rm >/dev/null 2>&1 || true
  if [ -n "${DIT_STARTED_DOCKERD:-}" ]; then
    kill "$DIT_STARTED_DOCKERD" 2>/dev/null || true
    wait "$DIT_STARTED_DOCKERD" 2>/dev/null || true
  fi
}
