import { describe, expect, it } from 'vitest';
import { DockpeekError } from '../../pipeline/errors.ts';
import { resolveSnapshotConfig } from '../../pipeline/stages/snapshot-stage.ts';

describe('DOCKPEEK_DOCKER_MAX_RESPONSE', () => {
  it.each([
    [undefined, 64 * 1024 ** 2],
    ['1048576', 1024 ** 2],
    ['256MiB', 256 * 1024 ** 2],
    [' 1 GiB ', 1024 ** 3],
    ['2048kib', 2 * 1024 ** 2],
    ['64MB', 64_000_000],
    ['1.5MiB', 1.5 * 1024 ** 2],
  ])('%j → %d bytes', (value, bytes) => {
    const env = value === undefined ? {} : { DOCKPEEK_DOCKER_MAX_RESPONSE: value };
    expect(resolveSnapshotConfig({}, env).options.maxResponseBytes).toBe(bytes);
  });

  it.each([
    ['512KiB', 'is out of range'],
    ['1048575', 'is out of range'],
    ['2GiB', 'is out of range'],
    ['lots', 'is not a size'],
    ['-1', 'is not a size'],
  ])('refuses %j, naming the variable and the range', (value, why) => {
    const run = () => resolveSnapshotConfig({}, { DOCKPEEK_DOCKER_MAX_RESPONSE: value });
    expect(run).toThrow(DockpeekError);
    expect(run).toThrow(`DOCKPEEK_DOCKER_MAX_RESPONSE=${JSON.stringify(value)} ${why}`);
    try {
      run();
    } catch (error) {
      expect((error as DockpeekError).hint).toContain('from 1MiB to 1GiB');
    }
  });
});
