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
  ])('%j → %d bytes', (value, bytes) => {
    const env = value === undefined ? {} : { DOCKPEEK_DOCKER_MAX_RESPONSE: value };
    expect(resolveSnapshotConfig({}, env).options.maxResponseBytes).toBe(bytes);
  });

  it.each(['512KiB', '1048575', '2GiB', '64MB', 'lots', '-1', '1.5MiB'])(
    'refuses %j, naming the variable and the range',
    (value) => {
      const run = () => resolveSnapshotConfig({}, { DOCKPEEK_DOCKER_MAX_RESPONSE: value });
      expect(run).toThrow(DockpeekError);
      expect(run).toThrow(
        `DOCKPEEK_DOCKER_MAX_RESPONSE=${JSON.stringify(value)} is not a size from 1 MiB to 1 GiB`,
      );
    },
  );
});
