import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTINGS, describeRange } from '../../pipeline/config/settings.ts';
import { runCli } from '../helpers/cli.ts';

// Bad configuration is refused up front: exit 1, an error naming the variable or flag and the
// allowed range, and nothing written (the data dir and site dir are never created).
describe('bad configuration', () => {
  const cases: Array<[string, string[], Record<string, string>, RegExp]> = [
    [
      'TRIVY_SCAN_TIMEOUT=0',
      ['scan'],
      { TRIVY_SCAN_TIMEOUT: '0' },
      /^error: TRIVY_SCAN_TIMEOUT="0" is out of range/m,
    ],
    ['--scan-timeout 0', ['scan', '--scan-timeout', '0'], {}, /--scan-timeout="0" is out of range/],
    [
      'TRIVY_SCAN_TIMEOUT=25h',
      ['scan'],
      { TRIVY_SCAN_TIMEOUT: '25h' },
      /TRIVY_SCAN_TIMEOUT="25h" is out of range/,
    ],
    [
      'DOCKPEEK_DOCKER_TIMEOUT=0',
      ['snapshot'],
      { DOCKPEEK_DOCKER_TIMEOUT: '0' },
      /DOCKPEEK_DOCKER_TIMEOUT="0" is out of range/,
    ],
    [
      '--connect-timeout 0s',
      ['snapshot', '--connect-timeout', '0s'],
      {},
      /--connect-timeout="0s" is out of range/,
    ],
    [
      '--connect-timeout soon',
      ['snapshot', '--connect-timeout', 'soon'],
      {},
      /--connect-timeout="soon" is not a duration/,
    ],
    [
      '--every 25d (past Node’s timer limit)',
      ['refresh', '--every', '25d'],
      {},
      /--every="25d" is out of range/,
    ],
    ['--every 10s', ['refresh', '--every', '10s'], {}, /--every="10s" is out of range/],
    ['--wait 30d', ['build', '--wait', '30d'], {}, /--wait="30d" is out of range/],
    [
      'TRIVY_SCAN_WORKERS=0',
      ['scan'],
      { TRIVY_SCAN_WORKERS: '0' },
      /TRIVY_SCAN_WORKERS="0" is out of range/,
    ],
    ['--workers 2.5', ['scan', '--workers', '2.5'], {}, /--workers="2.5" is not a whole number/],
    [
      'DOCKPEEK_TRIVY_MAX_OUTPUT=lots',
      ['scan'],
      { DOCKPEEK_TRIVY_MAX_OUTPUT: 'lots' },
      /DOCKPEEK_TRIVY_MAX_OUTPUT="lots" is not a size/,
    ],
    [
      'DOCKPEEK_TRIVY_MAX_OUTPUT=10',
      ['scan'],
      { DOCKPEEK_TRIVY_MAX_OUTPUT: '10' },
      /DOCKPEEK_TRIVY_MAX_OUTPUT="10" is out of range/,
    ],
    [
      'DOCKPEEK_UPDATE_TTL=-1h',
      ['updates'],
      { DOCKPEEK_UPDATE_TTL: '-1h' },
      /DOCKPEEK_UPDATE_TTL="-1h" is not a duration/,
    ],
    [
      'DOCKPEEK_STALE_AFTER=0',
      ['build'],
      { DOCKPEEK_STALE_AFTER: '0' },
      /DOCKPEEK_STALE_AFTER="0" is out of range/,
    ],
    [
      'DOCKPEEK_INSPECT=maybe',
      ['snapshot'],
      { DOCKPEEK_INSPECT: 'maybe' },
      /DOCKPEEK_INSPECT="maybe" is not a yes\/no value/,
    ],
    [
      'DOCKPEEK_UPDATES=sometimes',
      ['refresh'],
      { DOCKPEEK_UPDATES: 'sometimes' },
      /DOCKPEEK_UPDATES="sometimes" is not a yes\/no value/,
    ],
    [
      'DOCKPEEK_RETENTION=0',
      ['refresh'],
      { DOCKPEEK_RETENTION: '0' },
      /DOCKPEEK_RETENTION="0" is out of range/,
    ],
    [
      'DOCKPEEK_RETENTION=1h,1000000d',
      ['refresh'],
      { DOCKPEEK_RETENTION: '1h,1000000d' },
      /DOCKPEEK_RETENTION="1h,1000000d" is out of range/,
    ],
    [
      'TRIVY_SERVER=scanner:4954',
      ['scan'],
      { TRIVY_SERVER: 'scanner:4954' },
      /TRIVY_SERVER="scanner:4954" is not an http\(s\) URL/,
    ],
    [
      'DOCKER_HOST_NAME with a space',
      ['snapshot'],
      { DOCKER_HOST_NAME: 'my host' },
      /DOCKER_HOST_NAME="my host" is not an allowed host name/,
    ],
    [
      'DOCKER_HOST_2_NAME with markup',
      ['snapshot'],
      { DOCKER_HOST_2_URL: 'tcp://a:1', DOCKER_HOST_2_NAME: '<b>' },
      /DOCKER_HOST_2_NAME="<b>" is not an allowed host name/,
    ],
    ['an empty --data-dir', ['snapshot', '--data-dir', ''], {}, /--data-dir is empty/],
    ['an empty --site-dir', ['refresh', '--site-dir', ''], {}, /--site-dir is empty/],
  ];

  const cacheHome = mkdtempSync(path.join(tmpdir(), 'dpk-config-cache-'));

  it.each(cases)('%s', async (_, args, env, message) => {
    const root = mkdtempSync(path.join(tmpdir(), 'dpk-config-'));
    const result = await runCli(args, {
      DOCKPEEK_DATA_DIR: path.join(root, 'data'),
      DOCKPEEK_SITE_DIR: path.join(root, 'site'),
      DOCKER_HOST: `unix://${path.join(root, 'no.sock')}`,
      HOME: root,
      // The one thing any run may write is Node's compile cache, in the user's cache folder.
      XDG_CACHE_HOME: cacheHome,
      ...env,
    });
    expect(result.exitCode, result.stderr).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/\[config_invalid\]/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(root)).toEqual([]);
    expect(existsSync(path.join(root, 'data'))).toBe(false);
  });

  it('names the allowed range in every out-of-range error', async () => {
    const result = await runCli(['scan', '--scan-timeout', '0'], {
      DOCKPEEK_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'dpk-config-')),
    });
    expect(result.stderr).toContain(describeRange(SETTINGS.scanTimeout));
    expect(describeRange(SETTINGS.scanTimeout)).toBe('a duration from 1s to 1d');
  });
});
