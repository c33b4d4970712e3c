// A tiny HTTP upstream for nginx to proxy, generating hostile feed bodies on the fly so that
// nothing large is ever stored: an endless body (up to 3 GiB, written only as fast as it is
// read), a body that stalls after its first line, and one cut off before its Content-Length.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MADE_UP_COMMENT } from './epss-files.ts';

export const ENDLESS_BYTES = 3 * 1024 ** 3;

export interface FeedUpstream {
  port: number;
  /** Bytes written by the endless routes so far (they stop when the client goes away). */
  sent(): number;
  close(): Promise<void>;
}

/** A block of made-up EPSS rows, repeated to make the endless CSV. */
function epssBlock(): Buffer {
  let text = '';
  for (let i = 0; i < 2048; i++) text += `CVE-2024-${String(10_000 + i)},0.00043,0.12345\n`;
  return Buffer.from(text);
}

/** A block of KEV entries (made up), repeated inside an endless `vulnerabilities` array. */
function kevBlock(): Buffer {
  const entry = JSON.stringify({
    cveID: 'CVE-2024-0001',
    vendorProject: 'Made-up',
    product: 'Endless',
    vulnerabilityName: 'made-up entry of an endless test body',
    dateAdded: '2025-01-01',
    shortDescription: 'x',
    requiredAction: 'x',
    dueDate: '2025-01-22',
  });
  return Buffer.from(`${entry},`.repeat(256));
}

export async function startFeedUpstream(): Promise<FeedUpstream> {
  let sent = 0;
  const blocks = { epss: epssBlock(), kev: kevBlock() };
  const endless = (res: http.ServerResponse, head: string, block: Buffer) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.write(head);
    // Write only when the socket drains: the generator holds one block, whatever the client does.
    const pump = () => {
      while (!res.destroyed && sent < ENDLESS_BYTES) {
        sent += block.length;
        if (!res.write(block)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  };
  const server = http.createServer((req, res) => {
    if (req.url === '/endless-epss')
      return endless(res, `${MADE_UP_COMMENT}\ncve,epss,percentile\n`, blocks.epss);
    if (req.url === '/endless-kev')
      return endless(
        res,
        '{"catalogVersion":"x","dateReleased":"2025-01-01T00:00:00Z","count":1,"vulnerabilities":[',
        blocks.kev,
      );
    if (req.url === '/stall') {
      res.writeHead(200, { 'content-type': 'text/csv' });
      return void res.write(`${MADE_UP_COMMENT}\n`);
    }
    if (req.url === '/cut') {
      res.writeHead(200, { 'content-length': String(1 << 20) });
      res.write(Buffer.alloc(100 * 1024, 0x20));
      return void setImmediate(() => res.socket?.destroy());
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    sent: () => sent,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
