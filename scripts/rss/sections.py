# Which sections of the binary are resident: read /proc/PID/maps for the binary and mincore-like via /proc/PID/pagemap.
import sys, struct, subprocess, re
pid, binpath = sys.argv[1], sys.argv[2]
# section table: name, vaddr, size
secs = []
for line in subprocess.run(['readelf', '-SW', binpath], capture_output=True, text=True).stdout.splitlines():
    m = re.match(r'\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)', line)
    if m and int(m.group(2), 16):
        secs.append((m.group(1), int(m.group(2), 16), int(m.group(3), 16)))
base = None
maps = []
for line in open(f'/proc/{pid}/maps'):
    parts = line.split()
    if len(parts) >= 6 and parts[5] == binpath:
        a, b = [int(x, 16) for x in parts[0].split('-')]
        off = int(parts[2], 16)
        maps.append((a, b, off))
base = min(a - off for a, b, off in maps)
pm = open(f'/proc/{pid}/pagemap', 'rb')
res = {}
for a, b, off in maps:
    for page in range(a, b, 4096):
        pm.seek(page // 4096 * 8); e = struct.unpack('<Q', pm.read(8))[0]
        if e >> 63 & 1:
            v = page - base
            name = next((n for n, s, z in secs if s <= v < s + z), '?')
            res[name] = res.get(name, 0) + 4096
for n, v in sorted(res.items(), key=lambda x: -x[1])[:10]: print(f'{v/1048576:7.1f} MB {n}')
