#!/usr/bin/env bash
# The test command: installs what the tests need on a fresh Debian machine (as root), then runs
# every test. Tests start their own throwaway PostgreSQL cluster and RabbitMQ node from these
# binaries; set DIT_POSTGRES or RABBITMQ_URL to use servers of your own instead.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
/usr/bin/python3 -c "import icalendar, dateutil" 2>/dev/null || missing+=(python3-icalendar python3-dateutil)
/usr/bin/python3 -c "import aiosmtpd" 2>/dev/null || missing+=(python3-aiosmtpd)
[ -x /usr/bin/chromium ] || missing+=(chromium)
# Validates docker-compose.yml (no Docker engine needed); brings python3-yaml, which the test reads its output with.
command -v docker-compose >/dev/null || missing+=(docker-compose)

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
(cd tests/Dit.Testing/parsers && npm ci --no-audit --no-fund --loglevel=error)

# The projects run in parallel and their output interleaves: the failures are listed again at the end.
results="$PWD/TestResults"
rm -rf "$results"
status=0
dotnet test Dit.Scheduling.sln --logger "console;verbosity=normal" --logger trx --results-directory "$results" "$@" || status=$?
/usr/bin/python3 scripts/failed-tests.py "$results" || true
exit $status
