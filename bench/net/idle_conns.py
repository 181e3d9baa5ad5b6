"""Opens N idle TCP connections to 127.0.0.1:PORT, prints the server's RSS
growth per connection (server pid given), then closes them."""
import os, socket, sys, time

def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])

port, pid, n = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
before = rss_kib(pid)
socks = []
for _ in range(n):
    s = socket.create_connection(("127.0.0.1", port))
    socks.append(s)
time.sleep(1.0)
after = rss_kib(pid)
print(f"{(after - before) * 1024 / n:.0f}")
for s in socks:
    s.close()
