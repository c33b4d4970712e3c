import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** A throw-away CA made with the openssl CLI, and what it signs. */
export interface TestCa {
  dir: string;
  cert: string;
  key: string;
}

const openssl = (args: string[], cwd: string) =>
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });

/** A new CA (P-256, valid two days) in `dir`. */
export function createCa(dir: string, name: string): TestCa {
  mkdirSync(dir, { recursive: true });
  openssl(
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'].concat([
      '-keyout',
      'ca-key.pem',
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      `/CN=${name}`,
    ]),
    dir,
  );
  // What `openssl ca` needs to sign with chosen dates (OpenSSL 3.0's x509 -req has only -days).
  mkdirSync(path.join(dir, 'issued'), { recursive: true });
  writeFileSync(path.join(dir, 'index.txt'), '');
  writeFileSync(path.join(dir, 'serial'), '1000\n');
  writeFileSync(
    path.join(dir, 'ca.cnf'),
    `[ca]\ndefault_ca = test\n[test]\ndir = ${dir}\ndatabase = $dir/index.txt\nnew_certs_dir = $dir/issued\n` +
      `serial = $dir/serial\ndefault_md = sha256\npolicy = any\nunique_subject = no\n` +
      `[any]\ncommonName = supplied\n` +
      `[server]\nsubjectAltName = IP:127.0.0.1,DNS:localhost\nextendedKeyUsage = serverAuth\n` +
      `[client]\nextendedKeyUsage = clientAuth\n`,
  );
  return { dir, cert: path.join(dir, 'ca.pem'), key: path.join(dir, 'ca-key.pem') };
}

/**
 * A key and a certificate signed by `ca` into `out` as <name>-key.pem and <name>-cert.pem.
 * Dates are openssl's YYYYMMDDHHMMSSZ; the default is valid from now for a day.
 */
export function issue(
  ca: TestCa,
  out: string,
  name: string,
  kind: 'server' | 'client',
  dates?: { start: string; end: string },
): { cert: string; key: string } {
  mkdirSync(out, { recursive: true });
  const key = path.join(out, `${name}-key.pem`);
  const cert = path.join(out, `${name}-cert.pem`);
  const csr = path.join(out, `${name}.csr`);
  openssl(
    ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'].concat([
      '-keyout',
      key,
      '-out',
      csr,
      '-subj',
      `/CN=dpk-${name}`,
    ]),
    out,
  );
  openssl(
    ['ca', '-batch', '-notext', '-config', path.join(ca.dir, 'ca.cnf'), '-cert', ca.cert]
      .concat(['-keyfile', ca.key, '-in', csr, '-out', cert, '-extensions', kind])
      .concat(dates ? ['-startdate', dates.start, '-enddate', dates.end] : ['-days', '1']),
    out,
  );
  return { cert, key };
}

/** A DOCKER_CERT_PATH folder: ca.pem (the CA we trust) and our client cert.pem and key.pem. */
export function certPath(
  dir: string,
  trusted: TestCa,
  client: { cert: string; key: string },
): string {
  mkdirSync(dir, { recursive: true });
  copyFileSync(trusted.cert, path.join(dir, 'ca.pem'));
  copyFileSync(client.cert, path.join(dir, 'cert.pem'));
  copyFileSync(client.key, path.join(dir, 'key.pem'));
  return dir;
}
