"""Opens N idle TCP connections to 127.0.0.1:PORT, prints the server's RSS
growth per connection (server pid given), then closes them. With a fourth
argument "request", each connection first sends one GET / and reads the
whole response (keep-alive), so what is measured is a connection idle
between requests."""
import socket, sys, time

def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])

port, pid, n = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
after_request = len(sys.argv) > 4 and sys.argv[4] == "request"
before = rss_kib(pid)
socks = []
for _ in range(n):
    s = socket.create_connection(("127.0.0.1", port))
    if after_request:
        s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    socks.append(s)
if after_request:
    for s in socks:
        got = b""
        while b"</html>" not in got:
            chunk = s.recv(65536)
            if not chunk:
                break
            got += chunk
time.sleep(1.0)
after = rss_kib(pid)
print(f"{(after - before) * 1024 / n:.0f}")
for s in socks:
    s.close()
