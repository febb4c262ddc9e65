"""A private nginx for the benchmarks (bench/adaptive-nginx.py, bench/shared-nginx.py): limit_req and
limit_conn, both refusing with 429 and Retry-After: 1, each accepted answer after a fixed delay (the
echo module). Each nginx gets its own prefix folder, port and pid, and is stopped by that pid; its
access log gives each request's arrival, end and status.
"""
import os, shutil, signal, socket, subprocess, tempfile, time

CONF = """load_module /usr/lib/nginx/modules/ngx_http_echo_module.so;
daemon off; master_process on; worker_processes 1;
pid {p}/nginx.pid; error_log {p}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  log_format pacer '$msec $request_time $status $request_uri';
  access_log {p}/access.log pacer;
  client_body_temp_path {p}/t1; proxy_temp_path {p}/t2; fastcgi_temp_path {p}/t3; uwsgi_temp_path {p}/t4; scgi_temp_path {p}/t5;
  limit_req_zone $server_name zone=rate:1m rate={rate}r/{per};
  limit_conn_zone $server_name zone=conn:1m;
  limit_req_status 429; limit_conn_status 429;
  server {{
    listen 127.0.0.1:{port}; server_name pacer;
    location / {{
      limit_req zone=rate{burst} nodelay; limit_conn conn {conc};
      error_page 429 = @refused; default_type application/json;
      echo_sleep {lat}; echo '{{"ok":true}}';
    }}
    location @refused {{ add_header Retry-After 1 always; default_type application/json; return 429 '{{"error":"too many requests"}}'; }}
  }}
}}
"""

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

class Nginx:
    """nginx keeping rate/per with a burst and conc at once; answers after lat seconds."""

    def __init__(self, rate, per, burst, conc, lat):
        self.prefix = tempfile.mkdtemp(prefix="pacer-bench-nginx-")
        self.port = free_port()
        self.per, self.burst, self.conc, self.lat = per, burst, conc, lat
        self._write(rate)
        self._process = subprocess.Popen(self._args())
        for _ in range(100):
            if self._process.poll() is not None:
                raise RuntimeError(f"nginx exited with {self._process.returncode}; see {self.prefix}/error.log")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)

    def _args(self):
        return ["nginx", "-p", self.prefix, "-c", os.path.join(self.prefix, "nginx.conf"), "-e", os.path.join(self.prefix, "error.log")]

    def _write(self, rate):
        with open(os.path.join(self.prefix, "nginx.conf"), "w") as f:
            # nginx takes no "burst=0": no burst is written as none.
            f.write(CONF.format(p=self.prefix, rate=rate, per=self.per, burst=f" burst={self.burst}" if self.burst else "",
                                conc=self.conc, lat=self.lat, port=self.port))

    def change_rate(self, rate):
        """A new rate, by a new configuration and nginx -s reload."""
        self._write(rate)
        subprocess.run(self._args() + ["-s", "reload"], check=True)

    def log(self):
        """(arrival, end, status, uri) of every request, from the access log."""
        rows = []
        with open(os.path.join(self.prefix, "access.log")) as f:
            for line in f:
                end, took, status, uri = line.split()[:4]
                rows.append((float(end) - float(took), float(end), int(status), uri))
        return rows

    def stop(self):
        self._process.send_signal(signal.SIGTERM)
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
        shutil.rmtree(self.prefix, ignore_errors=True)
