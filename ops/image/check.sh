#!/usr/bin/env bash
# `npm run image:check`: builds docker/Dockerfile with podman and runs it as the Helm chart runs
# it, on a machine with no registry and no Docker daemon (CI runs it as root).
#
# 1. Installs podman, buildah, runc and mmdebstrap from Debian when missing, and points podman at
#    a private containers.conf: runc (crun cannot run on a cgroup v1/v2 hybrid) and a nofile limit
#    no higher than the machine's hard limit (podman's default is refused without CAP_SYS_RESOURCE).
# 2. Makes a stand-in for the Dockerfile's node:20-bookworm-slim base with mmdebstrap: a Debian
#    bookworm minbase with this machine's Node.js and npm, and user/group node (1000), imported
#    as localhost/midas-node-base. The build overrides NODE_IMAGE with it; the Dockerfile keeps
#    the upstream image pinned by digest. (This proves the Dockerfile and the application, not the
#    upstream base image.)
# 3. Builds with --no-cache (buildah's cache ignores a changed ARG behind ENV, which once left
#    SERVICE empty) and prints the image size.
# 4. Runs SERVICE=migrate, then every service, with host networking on free ports, its own
#    database and MIDAS_NAMESPACE, as uid 1000 with a read-only root filesystem, a tmpfs /tmp, no
#    capabilities and no-new-privileges; prints each container's /readyz, then stops them
#    (SIGTERM) and checks that each exits 0.
# 5. Removes the containers, images, database, Redis keys and RabbitMQ names it made.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
START=$(date +%s)
say() { printf '[%4d s] %s\n' "$(($(date +%s) - START))" "$*"; }

WORK="$(mktemp -d /tmp/midas-image.XXXXXX)"
TAG="midas-image-check-$$"
IMAGE="localhost/midas:$TAG"
BASE="localhost/midas-node-base:$TAG"
NS="imgcheck$$x$(date +%s)-"
DB="midas_imgcheck_$$_$(date +%s)"
PGURL_BASE="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/midas}"
DATABASE="${PGURL_BASE%/*}/$DB"
CONTAINERS=()
FAILED=0

cleanup() {
  set +e
  for c in "${CONTAINERS[@]}"; do podman rm -f -t 2 "$c" >/dev/null 2>&1; done
  podman rmi -f "$IMAGE" "$BASE" >/dev/null 2>&1
  podman image prune -f >/dev/null 2>&1
  psql "${PGURL_BASE%/*}/postgres" -qc "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null 2>&1
  node -e '
    const t = require("@midas/testing");
    Promise.all([t.clearRedisNamespace(process.argv[1]), t.clearBrokerNamespace(process.argv[1])]).catch(() => {});
  ' "$NS"
  rm -rf "$WORK"
}
trap cleanup EXIT

# ------------------------------------------------------------------ 1. tools and settings
need=()
for tool in podman buildah runc mmdebstrap; do command -v "$tool" >/dev/null || need+=("$tool"); done
if ((${#need[@]})); then
  say "installing ${need[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update -qq
  apt-get -o DPkg::Lock::Timeout=300 install -y -qq podman buildah runc mmdebstrap >/dev/null
fi
NOFILE="$(ulimit -Hn)"
[ "$NOFILE" = unlimited ] && NOFILE=1048576
cat >"$WORK/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=$NOFILE:$NOFILE", "nproc=32768:32768"]
[engine]
runtime = "runc"
CONF
export CONTAINERS_CONF="$WORK/containers.conf"

# ------------------------------------------------------------------ 2. the base image
say "making the base image (mmdebstrap bookworm minbase + Node.js $(node --version))"
NODE_BIN="$(readlink -f "$(command -v node)")"
NPM_DIR="$(npm root -g)/npm"
MIRROR="$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)"
MIRROR="${MIRROR:-http://deb.debian.org/debian}"
mmdebstrap --quiet --variant=minbase --include=ca-certificates,libstdc++6 \
  --customize-hook="copy-in $NODE_BIN /usr/local/bin" \
  --customize-hook="mkdir -p \"\$1/usr/local/lib/node_modules\"" \
  --customize-hook="copy-in $NPM_DIR /usr/local/lib/node_modules" \
  --customize-hook="ln -sf ../lib/node_modules/npm/bin/npm-cli.js \"\$1/usr/local/bin/npm\"" \
  --customize-hook="ln -sf ../lib/node_modules/npm/bin/npx-cli.js \"\$1/usr/local/bin/npx\"" \
  --customize-hook="chroot \"\$1\" groupadd --gid 1000 node" \
  --customize-hook="chroot \"\$1\" useradd --uid 1000 --gid node --shell /bin/sh --create-home node" \
  --customize-hook="rm -rf \"\$1/var/lib/apt/lists\"/* \"\$1/var/cache/apt\"/*" \
  bookworm "$WORK/rootfs.tar" "$MIRROR" 
podman import --quiet \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["node"]' "$WORK/rootfs.tar" "$BASE" >/dev/null
rm -f "$WORK/rootfs.tar"
say "base image $BASE: $(podman image inspect --format '{{.Size}}' "$BASE" | awk '{printf "%.0f MB", $1/1e6}')"

# ------------------------------------------------------------------ 3. the build
# npm inside the build trusts the machine's CA bundle (outbound HTTPS goes through a proxy); it is
# mounted read-only for the build and never lands in a layer.
printf 'cafile=/etc/ssl/certs/ca-certificates.crt\n' >"$WORK/npmrc"
say "building docker/Dockerfile (podman build --no-cache)"
podman build --quiet --no-cache --pull=never --network host \
  --ignorefile docker/Dockerfile.dockerignore \
  -v /etc/ssl/certs/ca-certificates.crt:/etc/ssl/certs/ca-certificates.crt:ro \
  -v "$WORK/npmrc:/usr/local/etc/npmrc:ro" \
  --build-arg "NODE_IMAGE=$BASE" \
  -f docker/Dockerfile -t "$IMAGE" . >/dev/null
SIZE="$(podman image inspect --format '{{.Size}}' "$IMAGE")"
say "image $IMAGE: $(awk -v s="$SIZE" 'BEGIN { printf "%.0f MB", s/1e6 }') ($SIZE bytes)"
podman run --rm --entrypoint sh "$IMAGE" -c '
  for p in typescript googleapis; do [ -e "node_modules/$p" ] && echo "shipped: node_modules/$p"; done
  find libs services tools -name "*.ts" -not -name "*.d.ts" -not -path "*/node_modules/*" | head -3
  find . -name .turbo -not -path "./node_modules/*" | head -3
  du -sh node_modules | sed "s/^/node_modules: /"' | tee "$WORK/contents"
if grep -q -e '^shipped' -e '\.ts$' -e '\.turbo' "$WORK/contents"; then
  say "FAIL: the runtime image carries build-only files (above)"
  FAILED=1
fi

# ------------------------------------------------------------------ 4. run it as the chart does
psql "${PGURL_BASE%/*}/postgres" -qc "CREATE DATABASE \"$DB\"" >/dev/null
declare -A PORT
SERVICES=(availability pricing booking notification calendar gateway)
for s in "${SERVICES[@]}"; do
  PORT[$s]="$(node -e '
    const s = require("net").createServer().listen(0, "127.0.0.1", () => {
      const p = s.address().port; s.close(() => console.log(p));
    });')"
done
ENV_ARGS=(-e NODE_ENV=production -e "DATABASE_URL=$DATABASE" -e "MIDAS_NAMESPACE=$NS"
  -e "REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}" -e "AMQP_URL=${AMQP_URL:-amqp://guest:guest@127.0.0.1:5672}"
  -e "JWT_SECRET=image-check-signing-key-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  -e "WEBHOOK_SECRET_KEY=image-check-webhook-key-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  -e ALLOW_LOCAL_PAYMENTS=true -e LOG_LEVEL=warn -e MIDAS_SKIP_MIGRATIONS=true)
for s in "${SERVICES[@]}"; do ENV_ARGS+=(-e "${s^^}_PORT=${PORT[$s]}"); done
RUN_ARGS=(--network host --user 1000:1000 --read-only --tmpfs /tmp:rw,size=64m --cap-drop ALL
  --security-opt no-new-privileges)

say "SERVICE=migrate"
if podman run --rm "${RUN_ARGS[@]}" "${ENV_ARGS[@]}" -e SERVICE=migrate "$IMAGE"; then
  say "migrate: exit 0"
else
  say "FAIL: migrate exited $?"
  FAILED=1
fi

for s in "${SERVICES[@]}"; do
  name="$TAG-$s"
  CONTAINERS+=("$name")
  podman run -d --name "$name" "${RUN_ARGS[@]}" "${ENV_ARGS[@]}" -e "SERVICE=$s" "$IMAGE" >/dev/null
done
for s in "${SERVICES[@]}"; do
  path=/readyz
  [ "$s" = gateway ] && path=/readyz/self
  code=000
  for _ in $(seq 1 180); do
    code="$(curl -s -o "$WORK/ready-$s" -w '%{http_code}' "http://127.0.0.1:${PORT[$s]}$path" || true)"
    [ "$code" = 200 ] && break
    [ "$(podman inspect --format '{{.State.Running}}' "$TAG-$s")" = true ] || break
    sleep 1
  done
  say "$s $path: $code $(head -c 200 "$WORK/ready-$s" 2>/dev/null)"
  if [ "$code" != 200 ]; then
    FAILED=1
    podman logs --tail 20 "$TAG-$s" 2>&1 | sed "s/^/  $s| /"
  fi
done
code="$(curl -s -o "$WORK/ready-all" -w '%{http_code}' "http://127.0.0.1:${PORT[gateway]}/readyz" || true)"
say "gateway /readyz (every service): $code $(head -c 300 "$WORK/ready-all")"
[ "$code" = 200 ] || FAILED=1

for s in "${SERVICES[@]}"; do
  podman stop -t 15 "$TAG-$s" >/dev/null
  status="$(podman inspect --format '{{.State.ExitCode}}' "$TAG-$s")"
  say "$s stopped by SIGTERM: exit $status"
  [ "$status" = 0 ] || FAILED=1
done

say "image size $(awk -v s="$SIZE" 'BEGIN { printf "%.0f MB", s/1e6 }'); $([ "$FAILED" = 0 ] && echo passed || echo FAILED) in $(($(date +%s) - START)) s"
exit "$FAILED"
