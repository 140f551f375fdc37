# A private containerd for scripts (demo, bench-ctr): config, root, state, sockets and log all
# under one directory, no CRI. Sourced after common.sh.
#   containerd_start DIR NAMESPACE   starts it and waits until ctr gets an answer
#   ctr_ ARGS...                     ctr against it, in NAMESPACE
#   containerd_stop                  deletes tasks and containers left, stops it, unmounts below DIR
CONTAINERD_PID=""
CONTAINERD_DIR=""
CONTAINERD_NAMESPACE=""

ctr_() { ctr --address "$CONTAINERD_DIR/containerd.sock" --namespace "$CONTAINERD_NAMESPACE" "$@"; }

containerd_start() {
    CONTAINERD_DIR=$1 CONTAINERD_NAMESPACE=$2
    mkdir -p "$CONTAINERD_DIR"
    cat > "$CONTAINERD_DIR/config.toml" <<TOML
version = 2
root = "$CONTAINERD_DIR/root"
state = "$CONTAINERD_DIR/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$CONTAINERD_DIR/containerd.sock"
[ttrpc]
  address = "$CONTAINERD_DIR/containerd.sock.ttrpc"
TOML
    containerd --config "$CONTAINERD_DIR/config.toml" >"$CONTAINERD_DIR/containerd.log" 2>&1 &
    CONTAINERD_PID=$!
    for _ in $(seq 100); do
        [ -S "$CONTAINERD_DIR/containerd.sock" ] && ctr_ version >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    die "containerd did not start: $(tail -5 "$CONTAINERD_DIR/containerd.log")"
}

containerd_stop() {
    [ -n "$CONTAINERD_PID" ] || return 0
    local id
    for id in $(ctr_ task ls -q 2>/dev/null); do ctr_ task delete --force "$id" >/dev/null 2>&1 || true; done
    for id in $(ctr_ container ls -q 2>/dev/null); do ctr_ container delete "$id" >/dev/null 2>&1 || true; done
    kill "$CONTAINERD_PID" 2>/dev/null && wait "$CONTAINERD_PID" 2>/dev/null || true
    CONTAINERD_PID=""
    umount -R "$CONTAINERD_DIR" 2>/dev/null || true
}
