import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../pipeline/project-root.ts';
import { runCli } from '../helpers/cli.ts';
import { demoStore } from '../helpers/store-fixture.ts';

// The site-dir cases an attacker's test found: `build` must refuse, with exit 1, before any work,
// every site dir whose publishing would move, overwrite or delete what it did not create.
describe('build refuses unsafe site dirs before any work', async () => {
  const dataDir = await demoStore();
  const root = mkdtempSync(path.join(tmpdir(), 'dpk-sitedir-'));
  const userFolder = path.join(root, 'www-html');
  mkdirSync(userFolder);
  writeFileSync(path.join(userFolder, 'index.html'), 'my own page');
  const foreignLink = path.join(root, 'link');
  symlinkSync(userFolder, foreignLink);
  const file = path.join(root, 'file');
  writeFileSync(file, 'x');
  const foreignReleases = path.join(root, 'taken');
  mkdirSync(`${foreignReleases}.releases`);
  writeFileSync(path.join(`${foreignReleases}.releases`, 'notes.txt'), 'mine');

  it.each([
    ['a folder with user files (/var/www/html)', userFolder, /folder with files .* --adopt/s],
    ['the data dir itself', dataDir, /data dir/],
    ['the parent of the data dir', path.dirname(dataDir), /data dir/],
    ['a folder inside the data dir', path.join(dataDir, 'site'), /data dir/],
    ['/', '/', /root of the filesystem/],
    ['the home folder', '/root', /home folder/],
    ['the project', PROJECT_ROOT, /installed project/],
    [
      'a folder inside the project’s src/',
      path.join(PROJECT_ROOT, 'src', 'site'),
      /inside the project/,
    ],
    ['a symlink this tool did not make', foreignLink, /symlink .* did not make/],
    ['a file', file, /is a file/],
    ['a releases folder holding other files', foreignReleases, /did not make \(notes\.txt\)/],
    ['an empty --site-dir', '', /--site-dir is empty/],
  ])('%s', async (_, siteDir, message) => {
    const before = readdirSync(root).sort();
    const result = await runCli(['build', '--data-dir', dataDir, '--site-dir', siteDir], {
      HOME: '/root',
    });
    expect(result.exitCode, result.stderr).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(readdirSync(root).sort()).toEqual(before);
    expect(existsSync(path.join(userFolder, 'index.html'))).toBe(true);
    expect(existsSync('/.releases')).toBe(false);
    expect(existsSync(path.join(dataDir, 'db.json'))).toBe(true);
  });

  it('with --adopt, moves the user folder aside (kept) and publishes in its place', async () => {
    const result = await runCli(
      ['build', '--data-dir', dataDir, '--site-dir', userFolder, '--adopt'],
      {},
    );
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/is kept as .*www-html\.releases\/adopted-/);
    expect(existsSync(path.join(userFolder, 'history.html'))).toBe(true);
    const adopted = readdirSync(`${userFolder}.releases`).find((e) => e.startsWith('adopted-'))!;
    expect(readdirSync(path.join(`${userFolder}.releases`, adopted))).toEqual(['index.html']);
  });
});
