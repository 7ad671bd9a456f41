import json, time, sys
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
class H(BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_POST(self): self.do_GET()
    def do_GET(self):
        method = self.path.rsplit('/', 1)[-1].split('?')[0]
        n = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(n) if n else b''
        if method == 'getMe':
            r = {"id": 123456, "is_bot": True, "first_name": "Rss", "username": "rss_bot"}
        elif method == 'getUpdates':
            try: t = json.loads(body or b'{}').get('timeout', 0)
            except Exception: t = 0
            time.sleep(min(t, 5)); r = []
        else:
            r = True
        data = json.dumps({"ok": True, "result": r}).encode()
        self.send_response(200); self.send_header('Content-Type', 'application/json'); self.send_header('Content-Length', str(len(data))); self.end_headers(); self.wfile.write(data)
ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()
