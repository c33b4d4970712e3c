// Reads a Trivy report from tokens, keeping only what findings need: each vulnerability is
// assembled from its kept fields alone, validated with zod, turned into a compact finding and
// dropped. Fields we do not keep are skipped unread (the tokenizer only checks their syntax).
import { z } from 'zod';
import { plainText } from '../safe-text.ts';
import { compareFindings, type Finding } from './finding.ts';
import type { JsonHandler } from './json-tokenizer.ts';
import { createFrameKit, type Fields, type Frame, type Key, type Slot } from './report-frames.ts';
import { createInterner } from './report-intern.ts';
import {
  OsSchema,
  ReportHeaderSchema,
  ResultHeaderSchema,
  TrivyReportSchema,
  VulnerabilitySchema,
  sourceOf,
} from './trivy-report.ts';
import { withSource } from './finding.ts';
import { createPackagesFrame } from './packages-frame.ts';
import { vulnerabilityFrame, type PackageRef } from './vulnerability-frame.ts';

/** The image's OS as stored on the scan record. */
export interface ImageOs {
  family: string;
  name: string;
  eosl: boolean;
}

export type ReadOutcome =
  { ok: true; findings: Finding[]; os?: ImageOs } | { ok: false; message: string };

const VULNERABILITIES = z.array(VulnerabilitySchema).nullish();
const header = ReportHeaderSchema.shape;

/** A token handler that reads one report; `outcome()` once the tokens are done. */
export function createReportReader(): JsonHandler & { outcome(): ReadOutcome } {
  const kit = createFrameKit();
  const keep = createInterner();
  const findings: Finding[] = [];
  let os: ImageOs | undefined;
  let schemaVersion = false;
  let rootSeen = false;
  const stack: Frame[] = [];
  let pendingKey = '';
  let slot: Slot | undefined;

  const osFrame = (path: Key[]) => {
    const fields: Fields = {};
    const child = (key: Key) =>
      kit.has(OsSchema.shape, key) ? kit.store(fields, OsSchema.shape, key) : undefined;
    return kit.frame(path, false, child, () => {
      const data = kit.check(OsSchema, fields, path);
      if (data)
        os = {
          family: plainText(data.Family),
          name: plainText(data.Name),
          eosl: data.EOSL ?? false,
        };
    });
  };

  const resultFrame = (index: number) => {
    const path = ['Results', index];
    const fields: Fields = {};
    const found: Array<{ f: Finding; pkg: PackageRef }> = [];
    const packages = createPackagesFrame(kit, [...path, 'Packages']);
    const vulnerabilities = () =>
      kit.frame([...path, 'Vulnerabilities'], true, (i) => ({
        key: i,
        schema: VulnerabilitySchema,
        object: () =>
          vulnerabilityFrame(kit, [...path, 'Vulnerabilities', i], (f, pkg) =>
            found.push({ f: keep.finding(f), pkg }),
          ),
      }));
    const child = (key: Key): Slot | undefined => {
      if (key === 'Vulnerabilities')
        return { key, schema: VULNERABILITIES, array: vulnerabilities };
      if (key === 'Packages') return packages.slot(key);
      return kit.has(ResultHeaderSchema.shape, key)
        ? kit.store(fields, ResultHeaderSchema.shape, key)
        : undefined;
    };
    return kit.frame(path, false, child, () => {
      // Target may come after Vulnerabilities: the findings get it when the Result ends.
      const target = keep.text(
        plainText(kit.check(ResultHeaderSchema, fields, path)?.Target ?? ''),
      );
      // Packages may come after Vulnerabilities too: the source names are joined here.
      const sources = packages.sources();
      for (const { f, pkg } of found)
        findings.push(withSource({ ...f, target }, sourceOf(sources, pkg.uid, pkg.id)));
    });
  };

  const reportChild = (key: Key): Slot | undefined => {
    if (key === 'SchemaVersion') {
      const scalar = (value: unknown) => {
        schemaVersion = true;
        kit.fail(header.SchemaVersion, value, [key]);
      };
      return { key, schema: header.SchemaVersion, scalar };
    }
    if (key === 'ArtifactName') return { key, schema: header.ArtifactName };
    if (key === 'Metadata') {
      const metadata = (k: Key) =>
        k === 'OS'
          ? { key: k, schema: OsSchema.nullish(), object: () => osFrame([key, k]) }
          : undefined;
      return { key, schema: header.Metadata, object: () => kit.frame([key], false, metadata) };
    }
    if (key === 'Results') {
      const results = (i: Key) => ({
        key: i,
        schema: ResultHeaderSchema,
        object: () => resultFrame(i as number),
      });
      return {
        key,
        schema: TrivyReportSchema.shape.Results,
        array: () => kit.frame([key], true, results),
      };
    }
    return undefined;
  };
  const reportFrame = kit.frame([], false, reportChild, () => {
    if (!schemaVersion) kit.fail(header.SchemaVersion, undefined, ['SchemaVersion']);
  });

  const failed = () => kit.failure() !== undefined;
  const pathOf = (s: Slot) => (stack.length ? [...stack.at(-1)!.path, s.key] : []);
  return {
    startValue() {
      if (failed()) return false;
      const top = stack.at(-1);
      if (top) slot = top.child(top.isArray ? top.next++ : pendingKey);
      else if (rootSeen) return false;
      else {
        rootSeen = true;
        slot = { key: '', schema: TrivyReportSchema, object: () => reportFrame };
      }
      return slot !== undefined;
    },
    key(name) {
      pendingKey = name;
    },
    openObject() {
      if (failed() || !slot) return;
      if (slot.object) stack.push(slot.object());
      else kit.fail(slot.schema, {}, pathOf(slot));
    },
    openArray() {
      if (failed() || !slot) return;
      if (slot.array) stack.push(slot.array());
      else kit.fail(slot.schema, [], pathOf(slot));
    },
    close() {
      if (!failed()) stack.pop()?.end?.();
    },
    scalar(value) {
      if (failed() || !slot) return;
      if (slot.scalar) slot.scalar(value);
      else kit.fail(slot.schema, value, pathOf(slot));
    },
    outcome() {
      const failure = kit.failure();
      if (failure !== undefined) return { ok: false, message: failure };
      return { ok: true, findings: findings.sort(compareFindings), ...(os && { os }) };
    },
  };
}
