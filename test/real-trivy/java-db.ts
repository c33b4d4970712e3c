// A Java index DB for Trivy (the `trivy-java-db` format, schema 1): the tables Trivy queries for
// jars without pom.properties. The test jars all carry pom.properties, so the index is empty; what
// matters is that Trivy has a Java DB to open, from where and when it was downloaded.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/** Write `trivy-java.db` and its `metadata.json` into `dir` (Trivy's `<cache>/java-db`). */
export function writeJavaDb(dir: string, now = new Date()): void {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'trivy-java.db');
  rmSync(file, { force: true });
  const db = new DatabaseSync(file);
  db.exec(`
    CREATE TABLE artifacts(id INTEGER PRIMARY KEY, group_id TEXT, artifact_id TEXT);
    CREATE TABLE indices(artifact_id INTEGER, version TEXT, sha1 BLOB, archive_type TEXT,
      foreign key (artifact_id) references artifacts(id));
    CREATE UNIQUE INDEX artifacts_idx ON artifacts(artifact_id, group_id);
    CREATE INDEX indices_artifact_idx ON indices(artifact_id);
    CREATE UNIQUE INDEX indices_sha1_idx ON indices(sha1);
  `);
  db.close();
  const day = 24 * 3600_000;
  writeFileSync(
    path.join(dir, 'metadata.json'),
    JSON.stringify({
      Version: 1,
      NextUpdate: new Date(now.getTime() + 3 * day).toISOString(),
      UpdatedAt: now.toISOString(),
      DownloadedAt: '0001-01-01T00:00:00Z',
    }),
  );
}
