// Where bench results go: stdout, and a markdown file per bench under bench/results/ that says
// which machine and which run produced it.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const RESULTS = path.resolve(import.meta.dirname, '../results');

/** One line describing this machine, for every results file. */
export function describeMachine(): string {
  const cpus = os.cpus();
  const memory = `${Math.round(os.totalmem() / 1024 ** 3)} GiB RAM`;
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${memory}, ${os.type()} ${os.release()}, Node ${process.versions.node}`;
}

/** A markdown table from a header row and data rows. */
export function table(header: string[], rows: Array<Array<string | number>>): string {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

/** Print the result and write it to bench/results/<name>.md. */
export function writeResults(name: string, title: string, runs: number, body: string): void {
  const text = [
    `# ${title}`,
    '',
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${describeMachine()}; medians of ${runs} runs. Regenerate: \`npm run bench:${name}\`.`,
    '',
    body.trim(),
    '',
  ].join('\n');
  mkdirSync(RESULTS, { recursive: true });
  const file = path.join(RESULTS, `${name}.md`);
  writeFileSync(file, text);
  console.log(`\n${text}\n(written to ${path.relative(process.cwd(), file)})`);
}
