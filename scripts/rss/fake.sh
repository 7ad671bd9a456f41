# Sourced by measure.sh and order.sh: the fake Bot API on a port of its own.
# start_fake PORT: refuses a port already bound (the fake would die on it while the bot polled the other listener),
# starts faketg.py in the background (its pid in FPID) and waits until it accepts connections.
start_fake() {
    python3 -c 'import socket, sys; s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", int(sys.argv[1])))' "$1" 2>/dev/null \
        || { echo "port $1 is in use: free it or set PORT" >&2; exit 1; }
    python3 "$(dirname "${BASH_SOURCE[0]}")/faketg.py" "$1" & FPID=$!
    for _ in $(seq 50); do
        kill -0 "$FPID" 2>/dev/null || { echo "the fake Bot API did not start on port $1" >&2; exit 1; }
        python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' "$1" 2>/dev/null && return
        sleep 0.1
    done
    echo "the fake Bot API did not answer on port $1" >&2; exit 1
}
