#!/bin/bash
# Regenerates scripts/rss/startup.order: the functions the release bot runs from its start through 60 s of idle
# polling (paper broker, a fake Bot API), which the release link places together (Package.swift, releaseLinking).
# The kernel maps code 64 KB around each first touch, so start-up code spread over the binary kept most of .text
# resident; together it takes a few MB. Run it after large changes to what runs at start (new services, jobs,
# dependencies): functions missing from the list still work, they only land elsewhere in .text.
# usage: scripts/rss/order.sh [BINARY]   (default .build/release/pollbot; needs valgrind: apt-get install valgrind;
#        PORT for the fake, 18957 by default; ORDER_SECONDS of profile, 75 by default)
# The order file is replaced only when the bot ran the whole time against this script's own fake: a profile of a
# bot that failed to start, or that talked to whatever else held the port, would order the wrong code silently.
set -euo pipefail
command -v valgrind >/dev/null || { echo "needs valgrind: apt-get install valgrind" >&2; exit 1; }
BIN=$(realpath -e "${1:-.build/release/pollbot}") \
    || { echo "no binary at ${1:-.build/release/pollbot}: swift build -c release --static-swift-stdlib first" >&2; exit 1; }
HERE=$(dirname "$(realpath "$0")"); PORT=${PORT:-18957}
D=$(mktemp -d)
. "$HERE/fake.sh"
start_fake "$PORT"
# valgrind 3.19 cannot read the DWARF 5 debug info: a copy without it keeps the symbol table, which is all it needs.
objcopy --strip-debug "$BIN" "$D/pollbot"
bot_config "$D/pollbot"
valgrind --tool=callgrind --demangle=no --callgrind-out-file="$D/cg.out" "$D/pollbot" --config "$D/bot.toml" 2>"$D/vg.log" & VPID=$!
# In the background so a signal ends the wait at once, not after 75 s. The first dump closes the start-up part.
sleep "${STARTUP_SECONDS:-30}" & SPID=$!; wait "$SPID"; SPID=
callgrind_control --dump=startup "$VPID" >/dev/null
sleep "$(( ${ORDER_SECONDS:-75} - ${STARTUP_SECONDS:-30} ))" & SPID=$!; wait "$SPID"; SPID=
if ! kill -0 "$VPID" 2>/dev/null || ! kill -0 "$FPID" 2>/dev/null; then
    echo "the bot or the fake stopped before the profile was complete; startup.order left as it was:" >&2
    tail -n 20 "$D/vg.log" >&2; exit 1
fi
callgrind_control --dump=idle "$VPID" >/dev/null
kill -TERM "$VPID"; wait "$VPID" || true; VPID=
nm --defined-only "$D/pollbot" | awk '$2 ~ /[tTwW]/ {print $3}' | sort -u > "$D/symbols"
python3 - "$D/cg.out.1" "$D/cg.out.2" "$D/symbols" "$D/startup.order" <<'P'
import re, sys
def functions(path):
    names = set()
    for line in open(path, errors='replace'):
        m = re.match(r'^c?fn=\(\d+\) (.*)$', line.rstrip('\n'))
        if m: names.add(m.group(1))
    return names
symbols = set(l.strip() for l in open(sys.argv[3]))
startup, idle = functions(sys.argv[1]) & symbols, functions(sys.argv[2]) & symbols
if not startup or not idle: sys.exit('no function of the binary in a part of the profile; startup.order left as it was')
# Idle code first and together: once start-up is over its pages are released, and idle touches only this block.
run = sorted(idle) + sorted(startup - idle)
open(sys.argv[4], 'w').write('\n'.join(run) + '\n')
print(f'{len(idle)} functions run while idle, then {len(startup - idle)} more run only at start')
P
mv "$D/startup.order" "$HERE/startup.order"
echo "-> $HERE/startup.order"
