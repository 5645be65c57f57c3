#!/usr/bin/env bash
# Installs what the integration tests need: Debian's PostgreSQL 15 and MariaDB servers. The tests
# start their own private instances (scripts/test-servers); the packaged services stay stopped.
set -euo pipefail
if ! [ -x /usr/lib/postgresql/15/bin/initdb ] || ! [ -x /usr/sbin/mariadbd ]; then
  sudo=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y postgresql mariadb-server mariadb-client
fi
