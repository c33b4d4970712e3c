import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import path from 'node:path';
import type { HostFailure, Result } from './host-failure.ts';

/** What a TLS host needs from DOCKER_CERT_PATH, laid out as for `docker --tlsverify`. */
export interface TlsMaterial {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

/** Read ca.pem, cert.pem and key.pem, and check our own certificate's dates before using it. */
export function readTlsMaterial(dir: string, now = new Date()): Result<TlsMaterial> {
  const files: Partial<TlsMaterial> = {};
  for (const name of ['ca', 'cert', 'key'] as const) {
    const file = path.join(dir, `${name}.pem`);
    try {
      files[name] = readFileSync(file);
    } catch (error) {
      // Only the code: a message could someday carry more than the path.
      const code = (error as { code?: string }).code ?? 'unreadable';
      return failed({
        code: 'tls_error',
        message: `cannot read TLS certificates in ${dir}: ${file} (${code}); the folder must hold ca.pem, cert.pem and key.pem (as for \`docker --tlsverify\`)`,
      });
    }
  }
  const certFile = path.join(dir, 'cert.pem');
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(files.cert!);
  } catch {
    return failed({ code: 'tls_error', message: `${certFile} is not a PEM certificate` });
  }
  if (now.getTime() > Date.parse(cert.validTo)) {
    return failed({
      code: 'tls_expired',
      message: `our client certificate ${certFile} expired on ${cert.validTo}: make a new one signed by the daemon's CA`,
    });
  }
  if (now.getTime() < Date.parse(cert.validFrom)) {
    return failed({
      code: 'tls_expired',
      message: `our client certificate ${certFile} is not valid before ${cert.validFrom}: check this machine's clock`,
    });
  }
  return { ok: true, value: files as TlsMaterial };
}

function failed(failure: HostFailure): Result<TlsMaterial> {
  return { ok: false, failure };
}
