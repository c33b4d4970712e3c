// The baseline of every snapshot figure: the least any tool must do to list a host's containers.
import http from 'node:http';

/** One GET /containers/json?all=1 on a unix socket, body read and JSON-parsed; the entry count. */
export function rawList(socketPath: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ socketPath, path: '/containers/json?all=1' }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve((JSON.parse(body) as unknown[]).length));
      })
      .on('error', reject);
  });
}
