# Sourced by measure.sh and order.sh, after they set D (a work directory) and PORT: what both need around the bot.
#
# Every exit path (an error, Ctrl-C, TERM) stops the processes whose pids are in FPID (the fake), BPID (the bot),
# VPID (valgrind) and SPID (a sleep), and removes $D: a bot left behind would keep its binary busy.
FPID=; BPID=; VPID=; SPID=
cleanup() {
    for pid in "$VPID" "$BPID" "$FPID" "$SPID"; do
        if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
    done
    wait 2>/dev/null || true
    rm -rf "$D"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# bot_config BIN: a master key and bot.toml in $D for a paper-broker bot polling the fake on $PORT.
bot_config() {
    "$1" keygen --out "$D/master.key" >/dev/null
    printf '[telegram]\ntoken = "123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"\napi_url = "http://127.0.0.1:%s"\npoll_timeout = 5\n[storage]\npath = "%s/db.sqlite3"\n[security]\nkey_file = "%s/master.key"\n[broker]\nkind = "paper"\n' \
        "$PORT" "$D" "$D" > "$D/bot.toml"
}

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
