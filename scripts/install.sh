#!/bin/sh
# Installs pollbot (run by `make install`): the binary, the systemd unit, an example config (never over an existing
# one), the docs; as root with no DESTDIR also the pollbot system user and /var/lib/pollbot. Never creates a key.
# Environment: PREFIX (default /usr/local), DESTDIR (staging root, default none), BINARY (default .build/release/pollbot).
set -eu
PREFIX="${PREFIX:-/usr/local}"
DESTDIR="${DESTDIR:-}"
BINARY="${BINARY:-.build/release/pollbot}"
cd "$(dirname "$0")/.."

if [ ! -x "$BINARY" ]; then
	echo "install: $BINARY is not an executable; run make build first, or pass BINARY=path" >&2
	exit 1
fi
system=no
if [ "$(id -u)" -eq 0 ] && [ -z "$DESTDIR" ]; then system=yes; fi

install -d "$DESTDIR$PREFIX/bin"
install -m 0755 "$BINARY" "$DESTDIR$PREFIX/bin/pollbot"
echo "installed $DESTDIR$PREFIX/bin/pollbot"

# The unit names the binary where it was installed.
install -d "$DESTDIR/etc/systemd/system"
unit=$(mktemp)
trap 'rm -f "$unit"' EXIT
sed "s|/usr/local/bin/pollbot|$PREFIX/bin/pollbot|g" etc/pollbot.service > "$unit"
install -m 0644 "$unit" "$DESTDIR/etc/systemd/system/pollbot.service"
echo "installed $DESTDIR/etc/systemd/system/pollbot.service"

if [ "$system" = yes ]; then
	if ! getent passwd pollbot >/dev/null; then
		useradd --system --home /var/lib/pollbot --shell /usr/sbin/nologin pollbot
		echo "created the system user pollbot"
	fi
	install -d -m 0750 -o pollbot -g pollbot /var/lib/pollbot
fi

# The config holds the token: readable by root and the bot's group only; an operator's edits are never replaced.
install -d -m 0750 "$DESTDIR/etc/pollbot"
config="$DESTDIR/etc/pollbot/bot.toml"
if [ -e "$config" ]; then
	echo "kept $config (an existing config is never overwritten; the new example is etc/bot.example.toml)"
else
	install -m 0640 etc/bot.example.toml "$config"
	echo "installed $config from etc/bot.example.toml"
fi
if [ "$system" = yes ]; then chown root:pollbot "$DESTDIR/etc/pollbot" "$config"; fi

docs="$DESTDIR$PREFIX/share/doc/pollbot"
install -d "$docs"
for doc in README.md RUNBOOK.md ARCHITECTURE.md BENCHMARKS.md; do
	if [ -f "$doc" ]; then install -m 0644 "$doc" "$docs/$doc"; fi
done
echo "installed the docs in $docs"

cat <<NEXT

Next steps:
  1. Make the master key (root-owned; systemd hands the service a private copy):
       $PREFIX/bin/pollbot keygen --out /etc/pollbot/master.key
     and uncomment LoadCredential=master-key:/etc/pollbot/master.key in /etc/systemd/system/pollbot.service
     (or chown pollbot /etc/pollbot/master.key instead).
  2. Edit /etc/pollbot/bot.toml: the token from @BotFather (or token_file plus LoadCredential=telegram-token:FILE),
     [broker] host, [security] admins.
  3. Check it: $PREFIX/bin/pollbot doctor --config /etc/pollbot/bot.toml
  4. Start it: systemctl daemon-reload && systemctl enable --now pollbot
NEXT
