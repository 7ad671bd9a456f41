#!/bin/bash
# Idle footprint of a pollbot binary (paper broker, a fake Bot API that answers every long poll with nothing):
# smaps_rollup, RSS by mapping and the binary's resident bytes by ELF section, 12 s after start (the bot releases its
# start-up pages about 4 s after start, once it has caught up with the fake's empty queue).
# usage: scripts/rss/measure.sh BINARY [USERS]   USERS > 0 seeds that many users, each with a paper account, first.
set -e
BIN=$(realpath "$1"); USERS=${2:-0}; HERE=$(dirname "$(realpath "$0")"); D=$(mktemp -d); PORT=${PORT:-18931}
. "$HERE/fake.sh"
start_fake "$PORT"
bot_config "$BIN"
if [ "$USERS" -gt 0 ]; then
    # A first start creates the schema; the users and their paper books go in while the bot is stopped.
    "$BIN" --config "$D/bot.toml" 2>>"$D/log" & BPID=$!; sleep 4; kill "$BPID"; wait "$BPID" 2>/dev/null || true; BPID=
    sqlite3 "$D/db.sqlite3" <<S
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $USERS)
INSERT INTO users(user_id, username, first_name, first_seen, last_active)
    SELECT 100000 + i, 'user' || i, 'User ' || i, 1764300000, 1764300000 FROM n;
INSERT INTO chats(chat_id, active, updated_at) SELECT user_id, 1, 1764300000 FROM users;
INSERT INTO paper_accounts(user_id, cash, session, next_order_number, analyze, seeded_after_close)
    SELECT user_id, 1000000, 0, 1, 0, 0 FROM users;
S
fi
"$BIN" --config "$D/bot.toml" 2>>"$D/log" & BPID=$!
sleep 12
echo "== $BIN, $USERS seeded users"; grep -E "^(Rss|Pss|Private|Shared|Anonymous)" "/proc/$BPID/smaps_rollup"
grep -E "^VmHWM" "/proc/$BPID/status"
python3 - "$BPID" "$BIN" <<'P'
import sys, re
pid, binpath = sys.argv[1], sys.argv[2]; cur = None; agg = {}
for line in open(f'/proc/{pid}/smaps'):
    if re.match(r'^[0-9a-f]+-[0-9a-f]+ ', line):
        parts = line.split(); cur = parts[5] if len(parts) > 5 else '[anon]'
    elif line.startswith('Rss:'):
        kb = int(line.split()[1])
        k = 'binary' if cur == binpath else ('heap/anon' if cur in ('[anon]', '[heap]') else ('stack' if 'stack' in cur else cur))
        agg[k] = agg.get(k, 0) + kb
for k, v in sorted(agg.items(), key=lambda x: -x[1])[:16]: print(f'{v/1024:7.1f} MB  {k}')
P
echo "-- binary by section"; python3 "$HERE/sections.py" "$BPID" "$BIN"
echo "-- ICU"; python3 "$HERE/icu.py" "$BPID" "$BIN"
echo "-- cairo"; python3 "$HERE/libs.py" "$BPID"
kill "$BPID"; wait "$BPID" 2>/dev/null || true; BPID=
