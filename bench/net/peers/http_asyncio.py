"""HTTP/1.1 keep-alive server with CPython's asyncio streams, serving the
same page as examples/webserver for GET / (the page is read from argv[2])."""
import asyncio
import sys

PAGE = open(sys.argv[2], "rb").read()
RESPONSE = (b"HTTP/1.1 200 OK\r\nServer: asyncio\r\nContent-Type: text/html; charset=utf-8\r\n"
            b"Content-Length: %d\r\nConnection: keep-alive\r\n\r\n" % len(PAGE)) + PAGE


async def client(reader, writer):
    try:
        while True:
            line = await reader.readline()
            if not line:
                break
            while (h := await reader.readline()) not in (b"\r\n", b"\n", b""):
                pass
            writer.write(RESPONSE)
            await writer.drain()
    except ConnectionError:
        pass
    writer.close()


async def main(port):
    server = await asyncio.start_server(client, "127.0.0.1", port, backlog=1024)
    async with server:
        await server.serve_forever()


asyncio.run(main(int(sys.argv[1])))
