import asyncio

import aiohttp
import httpx


async def fetch():
    async with aiohttp.ClientSession() as session:
        await session.get("http://search.acme.internal:9200/_search")  # want: egress tcp search.acme.internal 9200
    async with httpx.AsyncClient() as client:
        await client.get("https://hooks.acme.io/x")  # want: egress tcp hooks.acme.io 443
    reader, writer = await asyncio.open_connection("queue.acme.internal", 5672)  # want: egress tcp queue.acme.internal 5672
    server = await asyncio.start_server(None, host="127.0.0.1", port=9999)  # want: ingress tcp 127.0.0.1 9999
    return reader, writer, server
