# Resident bytes of the shared libraries that only cairo brings (X11, xcb, pixman, fontconfig, freetype, png...) in a
# running pollbot: what loading cairo lazily (dlopen at the first chart) could save at idle.
# usage: python3 scripts/rss/libs.py PID
import sys, re, subprocess
pid = sys.argv[1]
def needed(lib):
    out = subprocess.run(['ldd', lib], capture_output=True, text=True).stdout
    return {line.split()[0] for line in out.splitlines() if '=>' in line}
cairo = needed('/usr/lib/x86_64-linux-gnu/libcairo.so.2') - needed('/usr/lib/x86_64-linux-gnu/libcurl.so.4') - {'libm.so.6', 'libc.so.6'}
cairo.add('libcairo.so.2')
total, rows, current = 0, {}, None
for line in open(f'/proc/{pid}/smaps'):
    if re.match(r'^[0-9a-f]+-[0-9a-f]+ ', line):
        parts = line.split(); current = parts[5].rsplit('/', 1)[-1] if len(parts) > 5 else None
    elif line.startswith('Rss:') and current and any(current.startswith(name) for name in cairo):
        kb = int(line.split()[1]); rows[current] = rows.get(current, 0) + kb; total += kb
for name, kb in sorted(rows.items(), key=lambda row: -row[1]): print(f'{kb / 1024:6.2f} MB  {name}')
print(f'{total / 1024:6.2f} MB  cairo and the libraries only it needs')
