const UNITS: Record<string, number> = { '': 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };

/** Format a byte count the way limits are written: 64 MiB, 1 GiB, 512 KiB, 900 bytes. */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ] as const) {
    if (bytes >= size) {
      const value = bytes / size;
      return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`;
    }
  }
  return `${bytes} bytes`;
}

/** Parse `67108864`, `64MiB`, `512 KiB` or `1GiB`; undefined when it is not a byte size. */
export function parseByteSize(value: string): number | undefined {
  const match = /^(\d+)\s*(kib|mib|gib)?$/i.exec(value.trim());
  if (!match) return undefined;
  return Number(match[1]) * UNITS[(match[2] ?? '').toLowerCase()]!;
}
