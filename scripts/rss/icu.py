# Resident bytes of ICU in a running static pollbot: its data blob (icudt*_dat) and its code (symbols of the
# versioned icu_NN namespace or with the _NN suffix), counted page by page through /proc/PID/pagemap.
# usage: python3 scripts/rss/icu.py PID BINARY
import sys, struct, subprocess, re
pid, binpath = sys.argv[1], sys.argv[2]
ranges = {'ICU data (icudt)': [], 'ICU code': []}
for line in subprocess.run(['nm', '-S', binpath], capture_output=True, text=True).stdout.splitlines():
    parts = line.split()
    if len(parts) != 4: continue
    address, size, name = int(parts[0], 16), int(parts[1], 16), parts[3]
    if re.match(r'icudt\d+_dat$', name): ranges['ICU data (icudt)'].append((address, size))
    elif re.search(r'icu_\d\d|_\d\d$', name) and parts[2] in 'tTrR': ranges['ICU code'].append((address, size))
maps = []
for line in open(f'/proc/{pid}/maps'):
    parts = line.split()
    if len(parts) >= 6 and parts[5] == binpath:
        a, b = [int(x, 16) for x in parts[0].split('-')]
        maps.append((a, b, int(parts[2], 16)))
base = min(a - off for a, b, off in maps)
pagemap = open(f'/proc/{pid}/pagemap', 'rb')
def resident(page):
    pagemap.seek(page // 4096 * 8)
    return struct.unpack('<Q', pagemap.read(8))[0] >> 63 & 1
for label, spans in ranges.items():
    pages = set()
    for address, size in spans:
        pages.update(range((base + address) // 4096 * 4096, base + address + size, 4096))
    total = sum(4096 for page in pages if resident(page))
    print(f'{total / 1048576:7.2f} MB resident of {len(pages) * 4096 / 1048576:6.1f} MB  {label} ({len(spans)} symbols)')
