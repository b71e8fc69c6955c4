#!/bin/bash
# image-test.sh IMAGE.tar: the image as an operator runs it (podman), checked from outside: it
# starts with a token, /health answers 200, an echo job completes, and on SIGTERM a running job
# still completes while /health answers 503 draining, then the container exits 0.
# PODMAN_RUNTIME picks the OCI runtime (runc where crun cannot run: cgroups v1 and v2 mixed).
# The container gets the caller's own limit on open files and 4096 processes (podman's defaults
# are higher, and raising a limit needs CAP_SYS_RESOURCE, which a CI container may not have).
set -euo pipefail
tar=$1
jar=target/warmpool.jar
name=warmpool-image-test-$$
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
token=$(openssl rand -hex 24)
podman=(podman ${PODMAN_RUNTIME:+--runtime "$PODMAN_RUNTIME"})
log=$(mktemp)

cleanup() {
  "${podman[@]}" rm -f "$name" >/dev/null 2>&1 || true
  rm -f "$log"
}
trap cleanup EXIT
fail() {
  echo "image-test: FAILED: $*"
  echo "--- container log"; "${podman[@]}" logs "$name" 2>&1 | tail -30
  exit 1
}
# polls a condition until a deadline: the container's own pace decides, not a fixed sleep
await() {
  local what=$1 seconds=$2; shift 2
  for _ in $(seq 1 $((seconds * 5))); do "$@" && return 0; sleep 0.2; done
  fail "$what not within $seconds s"
}
health() { curl -s "127.0.0.1:$port/health"; }

image=$("${podman[@]}" load -q -i "$tar" | sed -n 's/^Loaded image[^:]*: //p' | tail -1)
echo "image-test: $image on 127.0.0.1:$port"
# load.source jobs: the machine's CPU, busy with other builds, must not turn the worker full
"${podman[@]}" run -d --name "$name" -p "127.0.0.1:$port:8080" \
  --ulimit "nofile=$(ulimit -Sn):$(ulimit -Hn)" --ulimit nproc=4096:4096 \
  -e WARMPOOL_WEB_TOKEN="$token" -e WARMPOOL_LOAD_SOURCE=jobs "$image" >/dev/null

await "/health answering available" 60 sh -c "curl -s 127.0.0.1:$port/health | grep -q '\"available\"'"
[ "$("${podman[@]}" exec "$name" id -u)" != 0 ] || fail "the worker runs as root"
java -jar "$jar" submit --url "ws://127.0.0.1:$port/ws" --token "$token" '{"op":"echo","value":"from the image"}' > "$log" 2>&1 \
  || fail "the echo job did not complete: $(cat "$log")"
grep -q '"completed".*"from the image"' "$log" || fail "no completed event: $(cat "$log")"
echo "image-test: an echo job completed"

# a job that runs through the SIGTERM: the drain lets it finish
java -jar "$jar" submit --url "ws://127.0.0.1:$port/ws" --token "$token" '{"op":"sleep","ms":3000}' > "$log" 2>&1 &
job=$!
await "the sleep job to start" 30 grep -q '"started"' "$log"
"${podman[@]}" kill --signal TERM "$name" >/dev/null
await "/health answering draining" 10 sh -c "curl -s 127.0.0.1:$port/health | grep -q '\"draining\"'"
wait "$job" || fail "the job running at SIGTERM did not complete: $(cat "$log")"
echo "image-test: SIGTERM drained: the running job completed"
status=$("${podman[@]}" wait "$name")
[ "$status" = 0 ] || fail "the container exited $status after SIGTERM"
"${podman[@]}" logs "$name" 2>&1 | grep -q 'class-data archive of the Java children made' || fail "no class-data archive made"
echo "image-test: exited 0 after the drain; ok"
