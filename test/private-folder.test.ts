import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPrivateFolder, isTrustedPath } from '../pipeline/private-folder.mjs';

const IS_ROOT = process.geteuid?.() === 0;
const NOBODY = IS_ROOT ? Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' })) : -1;

/** What is checked, whether it is trusted, and how to make it in a folder of ours (0700). */
type Case = [string, boolean, (root: string) => string];

const cases: Case[] = [
  ['the system temp folder (sticky, root)', true, () => tmpdir()],
  ['a folder of ours', true, (root) => root],
  ['a missing folder in one of ours (made and checked later)', true, (root) => `${root}/a/b`],
  [
    'a file on the way',
    false,
    (root) => {
      writeFileSync(path.join(root, 'file'), '');
      return path.join(root, 'file', 'cache');
    },
  ],
  [
    'a folder anyone may write to, without the sticky bit',
    false,
    (root) => {
      mkdirSync(path.join(root, 'open', 'in'), { recursive: true });
      chmodSync(path.join(root, 'open'), 0o777);
      return path.join(root, 'open', 'in');
    },
  ],
  [
    'a relative symlink, through .., to a folder of ours',
    true,
    (root) => {
      mkdirSync(path.join(root, 'a', 'b'), { recursive: true });
      mkdirSync(path.join(root, 'real'));
      symlinkSync('../../real', path.join(root, 'a', 'b', 'link'));
      return path.join(root, 'a', 'b', 'link');
    },
  ],
  [
    'a symlink loop (refused, not followed forever)',
    false,
    (root) => {
      symlinkSync('loop', path.join(root, 'loop'));
      return path.join(root, 'loop', 'cache');
    },
  ],
];

const rootCases: Case[] = [
  [
    'a folder of another user (nobody)',
    false,
    (root) => {
      mkdirSync(path.join(root, 'theirs', 'ours'), { recursive: true });
      chownSync(path.join(root, 'theirs'), NOBODY, NOBODY);
      return path.join(root, 'theirs', 'ours');
    },
  ],
  [
    'a relative symlink into a folder of another user',
    false,
    (root) => {
      mkdirSync(path.join(root, 'theirs'));
      chownSync(path.join(root, 'theirs'), NOBODY, NOBODY);
      symlinkSync('theirs', path.join(root, 'link'));
      return path.join(root, 'link');
    },
  ],
];

describe('isTrustedPath', () => {
  it.each([...cases, ...(IS_ROOT ? rootCases : [])])('%s: trusted %s', (_, trusted, make) => {
    expect(isTrustedPath(make(mkdtempSync(path.join(tmpdir(), 'dpk-trust-'))))).toBe(trusted);
  });
});

describe('isPrivateFolder', () => {
  it('is a real folder of ours without group or other write permission', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'dpk-private-'));
    expect(isPrivateFolder(root)).toBe(true);
    symlinkSync(root, `${root}-link`);
    expect(isPrivateFolder(`${root}-link`)).toBe(false);
    expect(isPrivateFolder(path.join(root, 'missing'))).toBe(false);
    chmodSync(root, 0o720);
    expect(isPrivateFolder(root)).toBe(false);
  });
});
