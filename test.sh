#!/usr/bin/env bash
# The one test command: builds the solution and runs every test project.
# Installs what the tests need when it is missing; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET SDK 10 is required (dotnet not found on PATH)" >&2
  exit 2
fi

# Installs Debian packages the tests need: the package lists are read once, and a package's own
# service (nginx, PostgreSQL's cluster) is kept from starting; the tests start their own.
apt_updated=0
install_debs() {
  local why=$1
  shift
  echo "test.sh: installing $* for $why"
  export DEBIAN_FRONTEND=noninteractive
  local remove_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    remove_policy=1
  fi
  if [ "$apt_updated" = 0 ]; then
    apt-get update -qq
    apt_updated=1
  fi
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  if [ "$remove_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
}

# The nginx tests (tests/Pacer.Cli.Tests/Nginx) run a real nginx with limit_req, limit_conn and the echo module's delays.
if ! command -v nginx >/dev/null 2>&1 || [ ! -e /usr/lib/nginx/modules/ngx_http_echo_module.so ]; then
  install_debs "the nginx tests" nginx-light libnginx-mod-http-echo
fi

# The server's documentation examples (tests/Pacer.Server.Tests/DocExamplesTests.cs) run with curl and jq.
if ! command -v curl >/dev/null 2>&1 || ! command -v jq >/dev/null 2>&1; then
  install_debs "the documentation examples" curl jq
fi

# The dashboard's browser tests (tests/Pacer.Server.Tests/Dashboard) drive Debian's Chromium through
# Playwright's driver, which comes with the Microsoft.Playwright package; no browser is downloaded.
if [ ! -x /usr/bin/chromium ]; then
  install_debs "the dashboard's browser tests" chromium
fi

# The PostgreSQL store's tests (tests/Pacer.Postgres.Tests) start a private server from Debian's
# postgresql binaries, with their own data folder, port and pid.
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  install_debs "the PostgreSQL store's tests" postgresql
fi

# The shared lane state's tests (tests/Pacer.Redis.Tests, and the scale-out tests) start private
# servers from Debian's redis-server, each on its own port with its own data folder and pid.
if ! command -v redis-server >/dev/null 2>&1; then
  install_debs "the Redis lane state's tests" redis-server
fi

dotnet build Pacer.slnx -c Release -warnaserror --nologo -v quiet

status=0
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for project in tests/*/*.Tests.csproj; do
  echo "== $(basename "$project" .csproj)"
  if ! dotnet test "$project" -c Release --no-build --nologo --logger "console;verbosity=minimal" | tee "$log"; then
    status=1
  fi
  # The runner's summary line: "Passed!  - Failed: 0, Passed: 454, Skipped: 0, Total: 454, ..."
  summary=$(grep -E '(Passed|Failed)!  - Failed: *[0-9]+, Passed: *[0-9]+' "$log" | tail -n 1 || true)
  if [ -z "$summary" ]; then
    echo "test.sh: $project printed no test summary" >&2
    status=1
    continue
  fi
  passed=$((passed + $(sed -E 's/.*Passed: *([0-9]+).*/\1/' <<<"$summary")))
  failed=$((failed + $(sed -E 's/.*Failed: *([0-9]+), Passed.*/\1/' <<<"$summary")))
done

echo "$passed passed, $failed failed"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then
  echo "test.sh: some tests failed" >&2
  exit 1
fi
