#!/bin/bash
# Regenerates scripts/rss/startup.order: the functions the release bot runs from its start through 60 s of idle
# polling (paper broker, a fake Bot API), which the release link places together (Package.swift, releaseLinking).
# The kernel maps code 64 KB around each first touch, so start-up code spread over the binary kept most of .text
# resident; together it takes a few MB. Run it after large changes to what runs at start (new services, jobs,
# dependencies): functions missing from the list still work, they only land elsewhere in .text.
# usage: scripts/rss/order.sh [BINARY]   (default .build/release/pollbot; needs valgrind: apt-get install valgrind)
set -e
BIN=$(realpath "${1:-.build/release/pollbot}"); HERE=$(dirname "$(realpath "$0")"); D=$(mktemp -d); PORT=${PORT:-18957}
command -v valgrind >/dev/null || { echo "needs valgrind: apt-get install valgrind" >&2; exit 1; }
python3 "$HERE/faketg.py" $PORT & FPID=$!
trap 'kill $FPID 2>/dev/null; rm -rf $D' EXIT
# valgrind 3.19 cannot read the DWARF 5 debug info: a copy without it keeps the symbol table, which is all it needs.
objcopy --strip-debug "$BIN" $D/pollbot
$D/pollbot keygen --out $D/master.key >/dev/null
printf '[telegram]\ntoken = "123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"\napi_url = "http://127.0.0.1:%s"\npoll_timeout = 5\n[storage]\npath = "%s/db.sqlite3"\n[security]\nkey_file = "%s/master.key"\n[broker]\nkind = "paper"\n' \
    $PORT $D $D > $D/bot.toml
valgrind --tool=callgrind --demangle=no --callgrind-out-file=$D/cg.out $D/pollbot --config $D/bot.toml 2>$D/vg.log & VPID=$!
sleep 75; kill -TERM $VPID; wait $VPID || true
nm --defined-only $D/pollbot | awk '$2 ~ /[tTwW]/ {print $3}' | sort -u > $D/symbols
python3 - $D/cg.out $D/symbols "$HERE/startup.order" <<'P'
import re, sys
names = set()
for line in open(sys.argv[1], errors='replace'):
    m = re.match(r'^c?fn=\(\d+\) (.*)$', line.rstrip('\n'))
    if m: names.add(m.group(1))
symbols = set(l.strip() for l in open(sys.argv[2]))
run = sorted(names & symbols)
open(sys.argv[3], 'w').write('\n'.join(run) + '\n')
print(f'{len(run)} functions run at start and idle -> {sys.argv[3]}')
P
