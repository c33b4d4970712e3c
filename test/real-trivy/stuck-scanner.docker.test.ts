// The seed's stuck scanner, reproduced with the real Trivy (stuck.ts): twelve plain `trivy image`
// processes on one cache folder, through a mirror as slow as a real DB download, fail or crash;
// DockPeek scanning the same images through the same mirror, six at once, fails none.
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedFindings } from './expected.ts';
import { startRealLab, type RealLab } from './lab.ts';
import { startCountingProxy } from './processes.ts';
import { readStored } from './stored.ts';
import { plainParallelScan, productScan, type PlainRun } from './stuck.ts';
import { realTools } from './tools.ts';

const tools = realTools();
const ROUNDS = 3;

describe.skipIf(!tools)('the stuck scanner, with the real Trivy', () => {
  let lab: RealLab;
  let mirror: Awaited<ReturnType<typeof startCountingProxy>>;
  const log: string[] = [];
  beforeAll(async () => {
    lab = await startRealLab(tools!);
    mirror = await startCountingProxy(lab.registry.host, { blobDelayMs: 2000 });
  });
  afterAll(async () => {
    await mirror?.close();
    await lab?.stop();
    mkdirSync('test-artifacts', { recursive: true });
    writeFileSync('test-artifacts/stuck-scanner.md', `${log.join('\n')}\n`);
  });

  it('plain trivy processes sharing a cache fail or crash on the DB they download at once', async () => {
    const failed: PlainRun[] = [];
    // Collisions depend on timing: up to three rounds, until one shows them.
    for (let round = 1; round <= ROUNDS && failed.length === 0; round++) {
      const runs = await plainParallelScan(lab, tools!, mirror.host);
      failed.push(...runs.filter((r) => r.exitCode !== 0));
      log.push(
        `## plain trivy, round ${round}: ${runs.length} processes, ${runs.filter((r) => r.exitCode !== 0).length} failed`,
      );
      for (const r of runs)
        log.push(`- ${r.ref}: exit ${r.exitCode}${r.error ? `: ${r.error}` : ''}`);
    }
    expect(failed.length).toBeGreaterThan(0);
    // Trivy's own DB errors, or crashes: a bbolt panic, a Go runtime fault (a truncated mmap).
    for (const run of failed)
      expect(run.error, run.ref).toMatch(/DB error|^panic: |^fatal error: /);
  });

  it.each(['auto', 'memory'] as const)(
    'DockPeek (%s), six at once on the same images and mirror: none fails, every report exact',
    async (strategy) => {
      for (let round = 1; round <= ROUNDS; round++) {
        const run = await productScan(lab, mirror.host, 6, strategy);
        log.push(`## DockPeek (${strategy}), round ${round}: exit ${run.exitCode}, ${run.ms} ms`);
        for (const s of run.stored)
          log.push(`- ${s.name}: ${s.status}${s.error ? `: ${s.error}` : ''}`);
        expect(run.exitCode, run.stderr).toBe(0);
        expect(run.stored.filter((s) => s.status !== 'scanned')).toEqual([]);
        const stored = readStored(run.dataDir);
        for (const carried of lab.carried)
          expect(stored.get(carried.image.name)?.findings, carried.image.name).toEqual(
            expectedFindings(carried),
          );
      }
    },
  );
});
