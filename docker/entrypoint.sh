#!/bin/sh
# Starts the Midas process named by SERVICE; `migrate` applies every service's migrations
# (SEED_DEMO=true also seeds demo inventory into empty services) and exits.
set -eu
case "${SERVICE:-}" in
  migrate)
    exec node tools/stack/dist/migrate-all.js
    ;;
  gateway | availability | booking | pricing | notification | calendar)
    exec node "services/$SERVICE/dist/main.js"
    ;;
  *)
    echo "SERVICE must be one of gateway, availability, booking, pricing, notification, calendar or migrate (got \"${SERVICE:-}\")" >&2
    exit 64
    ;;
esac
