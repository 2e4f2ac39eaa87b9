#!/usr/bin/env bash
# The test command: installs what the tests need on a fresh Debian machine (as root), starts a Docker
# engine when none runs, then runs every test. The fixtures start throwaway PostgreSQL and RabbitMQ
# containers through Testcontainers, and one test runs docker-compose.yml itself. Set DIT_POSTGRES or
# RABBITMQ_URL to use servers of your own instead, or DIT_TEST_SERVERS=local to start them from
# Debian's binaries without Docker.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
/usr/bin/python3 -c "import icalendar, dateutil" 2>/dev/null || missing+=(python3-icalendar python3-dateutil)
/usr/bin/python3 -c "import aiosmtpd" 2>/dev/null || missing+=(python3-aiosmtpd)
[ -x /usr/bin/chromium ] || missing+=(chromium)
# Runs docker-compose.yml; brings python3-yaml, which the test reads its normalised form with.
command -v docker-compose >/dev/null || missing+=(docker-compose)
command -v dockerd >/dev/null || docker info >/dev/null 2>&1 || missing+=(docker.io)
command -v debootstrap >/dev/null || missing+=(debootstrap)
# The suite is checked with the machine's date moved years ahead: faketime -f +3y bash scripts/test.sh
command -v faketime >/dev/null || missing+=(faketime)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing: ${missing[*]}. Run this script as root once, or install them with apt-get." >&2
    exit 1
  fi
  echo "Installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Mozilla's ical.js, one of the two independent parsers the invite tests use.
(cd harness/Dit.Testing/parsers && npm ci --no-audit --no-fund --loglevel=error)

source scripts/docker-engine.sh
trap docker_engine_cleanup EXIT
docker_engine_start

# The projects run in parallel and their output interleaves: the failures are listed again at the end.
results="$PWD/TestResults"
rm -rf "$results"
status=0
dotnet test Dit.Scheduling.sln --logger "console;verbosity=normal" --logger trx --results-directory "$results" "$@" || status=$?
/usr/bin/python3 scripts/failed-tests.py "$results" || true
exit $status
