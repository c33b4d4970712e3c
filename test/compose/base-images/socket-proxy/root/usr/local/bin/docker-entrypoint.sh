#!/bin/sh
# Normalise every switch to 0 or 1 (1, true, yes, on -> 1; anything else -> 0) so haproxy's
# `env(X) -m bool` reads exactly what the user meant, pick the listening address, run haproxy.
set -eu

for name in AUTH BUILD COMMIT CONFIGS CONTAINERS DISTRIBUTION EVENTS EXEC GRPC IMAGES INFO \
  NETWORKS NODES PING PLUGINS POST SECRETS SERVICES SESSION SWARM SYSTEM TASKS VERSION VOLUMES \
  ALLOW_RESTARTS ALLOW_START ALLOW_STOP; do
  eval "value=\${$name:-0}"
  case "$(printf '%s' "$value" | tr '[:upper:]' '[:lower:]')" in
    1 | true | yes | on) export "$name=1" ;;
    *) export "$name=0" ;;
  esac
done

# Both stacks where the container has IPv6, IPv4 alone where it has not.
case "$(printf '%s' "${DISABLE_IPV6:-0}" | tr '[:upper:]' '[:lower:]')" in
  1 | true | yes | on) ipv6=0 ;;
  *) if [ -s /proc/net/if_inet6 ]; then ipv6=1; else ipv6=0; fi ;;
esac
if [ "$ipv6" = 1 ]; then DSP_BIND=":::2375"; else DSP_BIND="0.0.0.0:2375"; fi
export DSP_BIND

if [ "${1#-}" != "$1" ]; then set -- haproxy "$@"; fi
if [ "$1" = haproxy ]; then
  shift
  # Master-worker in the foreground, the config above.
  set -- haproxy -W -db -f /etc/haproxy/haproxy.cfg "$@"
fi
exec "$@"
