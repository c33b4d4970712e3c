import net from 'node:net';
import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { allowedHead, startLocalDockerSocket } from '../../pipeline/docker/local-socket.ts';
import type { Transport } from '../../pipeline/docker/transport.ts';

/** A transport whose streams answer every request written to them with a fixed 200. */
function echoTransport(seen: string[]): Transport {
  return {
    hostHeader: 'docker',
    close() {},
    async open() {
      const socket: Duplex = new Duplex({
        read() {},
        write(chunk: Buffer, _encoding, done) {
          seen.push(chunk.toString('latin1').split('\r\n')[0]!);
          socket.push('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
          done();
        },
      });
      return { socket };
    },
  };
}

function request(url: string, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(new URL(url).pathname);
    let answer = '';
    socket.on('data', (d) => (answer += String(d)));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
    socket.write(text);
    setTimeout(() => socket.end(), 300);
  });
}

describe('the local Docker socket of an ssh host', () => {
  it('passes GET and HEAD without a body, refuses the rest', () => {
    expect(allowedHead('GET /v1.41/images/x/json HTTP/1.1\r\nHost: docker')).toBe('GET');
    expect(allowedHead('HEAD /_ping HTTP/1.1\r\nHost: docker')).toBe('HEAD');
    expect(allowedHead('POST /containers/create HTTP/1.1\r\nHost: docker')).toBeUndefined();
    expect(allowedHead('DELETE /images/x HTTP/1.1')).toBeUndefined();
    expect(allowedHead('GET /x HTTP/1.1\r\nContent-Length: 5')).toBeUndefined();
    expect(allowedHead('GET /x HTTP/1.1\r\nTransfer-Encoding: chunked')).toBeUndefined();
    expect(allowedHead('GET /containers/x/attach HTTP/1.1\r\nUpgrade: tcp')).toBeUndefined();
    expect(allowedHead('GET /x HTTP/1.1\r\nContent-Length: 0')).toBe('GET');
  });

  it('forwards reads to the host and answers anything else 403 itself', async () => {
    const seen: string[] = [];
    const local = await startLocalDockerSocket(echoTransport(seen), new AbortController().signal);
    try {
      expect(await request(local.url, 'GET /_ping HTTP/1.1\r\nHost: docker\r\n\r\n')).toContain(
        '200 OK',
      );
      const refused = await request(
        local.url,
        'POST /containers/create HTTP/1.1\r\nHost: docker\r\nContent-Length: 2\r\n\r\n{}',
      );
      expect(refused).toMatch(/^HTTP\/1\.1 403 Forbidden/);
      expect(refused).toContain('DockPeek passes only GET and HEAD requests to this host');
      expect(seen).toEqual(['GET /_ping HTTP/1.1']);
    } finally {
      await local.close();
    }
  });
});
