// Images and findings of the real Trivy reports in test/fixtures/vex/reports, in the shapes the
// accepted-risk judge takes (the image from Metadata, each finding with its purl and PkgPath).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { VexFinding } from '../../pipeline/vex/evaluate.ts';
import type { VexImage } from '../../pipeline/vex/match-image.ts';

const REPORTS = path.resolve(import.meta.dirname, '../fixtures/vex/reports');

interface RawReport {
  ArtifactName: string;
  Metadata: { ImageID: string; RepoDigests?: string[] };
  Results?: Array<{
    Target: string;
    Vulnerabilities?: Array<{
      VulnerabilityID: string;
      PkgName: string;
      InstalledVersion: string;
      PkgPath?: string;
      PkgIdentifier?: { PURL?: string };
    }>;
  }>;
}

/** One real report as an image and its findings. */
export function readRealReport(name: 'consumesafe-amazonlinux2' | 'prometheus-mcp-server'): {
  image: VexImage;
  findings: VexFinding[];
} {
  const report = JSON.parse(readFileSync(path.join(REPORTS, `${name}.json`), 'utf8')) as RawReport;
  const findings = (report.Results ?? []).flatMap((result) =>
    (result.Vulnerabilities ?? []).map((v) => ({
      id: v.VulnerabilityID,
      pkg: v.PkgName,
      installed: v.InstalledVersion,
      target: result.Target,
      ...(v.PkgPath && { pkgPath: v.PkgPath }),
      ...(v.PkgIdentifier?.PURL && { purl: v.PkgIdentifier.PURL }),
    })),
  );
  return {
    image: {
      reference: report.ArtifactName,
      repoDigests: report.Metadata.RepoDigests ?? [],
      imageId: report.Metadata.ImageID,
    },
    findings,
  };
}

/** The finding of `report` with this id and package (throws when absent: a fixture mistake). */
export function findingOf(findings: VexFinding[], id: string, pkg?: string): VexFinding {
  const found = findings.find((f) => f.id === id && (pkg === undefined || f.pkg === pkg));
  if (!found) throw new Error(`fixture has no ${id} ${pkg ?? ''}`);
  return found;
}
