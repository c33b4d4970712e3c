// Errors of the data dir, the store (db.json), the run lock, the scanner and the site build.
import type { ErrorEntry } from '../errors.ts';

const DATA_DIR = 'docs/data.md#the-data-dir';
const LOCK = 'docs/deployment.md#run-lock-crashes-cleanup';
const CORRUPT_HINT =
  'A command that writes the store (snapshot, scan, refresh) keeps the damaged file aside and restores the newest archived snapshot.';

/** A file and why a system call on it failed. */
type FileArgs = { file: string; reason: string };

export const STORE_ERRORS = {
  noSnapshot: {
    code: 'no_snapshot',
    title: 'The store holds no snapshot yet',
    message: ({ file }: { file: string }) => `there is no snapshot in ${file} yet`,
    hint: 'Run `dockpeek-security snapshot` (or `refresh`, the whole job) first, or `npm run demo` for sample data.',
    docs: 'docs/errors.md#no_snapshot',
  },
  noSnapshotUnreadable: {
    code: 'no_snapshot',
    title: 'db.json cannot be read, so there is no snapshot to build from',
    message: ({ file, reason }: { file: string; reason: string }) =>
      `cannot read ${file}: ${reason}`,
    hint: 'Run `dockpeek-security snapshot` (or `refresh`, the whole job) first, or `npm run demo` for sample data.',
    docs: 'docs/errors.md#no_snapshot',
  },
  dataDirUncreatable: {
    code: 'db_unwritable',
    title: 'The data dir cannot be created',
    message: ({ dataDir, reason }: { dataDir: string; reason: string }) =>
      `cannot create the data directory ${dataDir}: ${reason}`,
    hint: 'Set DOCKPEEK_DATA_DIR (or --data-dir) to a writable folder.',
    docs: DATA_DIR,
  },
  dataDirIsRoot: {
    code: 'data_dir_unsafe',
    title: 'The data dir is / or the installed project',
    message: ({ dataDir, role }: { dataDir: string; role: string }) =>
      `refusing to use ${dataDir} as the data dir: it is ${role}`,
    hint: 'Use a folder of its own, such as ./data or /var/lib/dockpeek/data.',
    docs: DATA_DIR,
  },
  dataDirNotFolder: {
    code: 'data_dir_unsafe',
    title: 'The data dir is not a folder',
    message: ({ dataDir }: { dataDir: string }) =>
      `refusing to use ${dataDir} as the data dir: it is not a folder`,
    hint: 'Give a folder (it is created when absent).',
    docs: DATA_DIR,
  },
  dbUnreadable: {
    code: 'db_unwritable',
    title: 'db.json cannot be read',
    message: ({ file, reason }: FileArgs) => `cannot read ${file}: ${reason}`,
    hint: 'Check the permissions of the data dir and db.json: the user running dockpeek-security must read and write them.',
    docs: 'docs/errors.md#db_unwritable',
  },
  dbUnwritable: {
    code: 'db_unwritable',
    title: 'db.json cannot be written',
    message: ({ file, reason }: FileArgs) => `cannot write ${file}: ${reason}`,
    hint: 'The previous db.json is unchanged. Free disk space or fix permissions, then run again.',
    docs: 'docs/errors.md#db_unwritable',
  },
  dbNotJson: {
    code: 'db_corrupt',
    title: 'db.json is not JSON',
    message: ({ reason }: { reason: string }) => `not valid JSON (${reason})`,
    hint: CORRUPT_HINT,
    docs: 'docs/errors.md#db_corrupt',
  },
  dbSchemaMismatch: {
    code: 'db_corrupt',
    title: 'db.json does not match the schema',
    message: ({ issues }: { issues: string }) => `does not match the schema: ${issues}`,
    hint: CORRUPT_HINT,
    docs: 'docs/errors.md#db_corrupt',
  },
  lockHeld: {
    code: 'locked',
    title: 'Another run holds the data dir',
    message: ({ dataDir, holder }: LockArgs) =>
      `another run holds ${dataDir}: ${holder.command} (pid ${holder.pid} on ${holder.host}, started ${holder.startedAt})`,
    hint: ({ waited }: LockArgs) =>
      waited
        ? `It did not finish within ${waited}.`
        : 'Let it finish, or pass --wait to queue behind it.',
    docs: LOCK,
  },
  lockUnwritable: {
    code: 'db_unwritable',
    title: 'The run lock cannot be written',
    message: ({ file, reason }: FileArgs) => `cannot write the run lock ${file}: ${reason}`,
    hint: 'Nothing was changed. Free disk space or fix permissions, then run again.',
    docs: LOCK,
  },
  trivyUnavailable: {
    code: 'scanner_unavailable',
    title: 'Trivy cannot run',
    message: ({ bin, why }: { bin: string; why: string }) => `cannot run trivy (${bin}): ${why}`,
    hint: 'Install Trivy (https://trivy.dev, "Installation") or set TRIVY_BIN to its path.',
    docs: 'docs/errors.md#scanner_unavailable',
  },
  buildFailed: {
    code: 'build_failed',
    title: 'The site build failed',
    message: ({ detail }: { detail: string }) => `the site build failed: ${detail}`,
    hint: 'The published site is unchanged. Run with DEBUG=astro:* for details, and report it.',
    docs: 'docs/errors.md#build_failed',
  },
} satisfies Record<string, ErrorEntry<any>>;

/** The holder of the run lock, and how long this run waited (absent: it did not wait). */
type LockArgs = {
  dataDir: string;
  holder: { command: string; pid: number; host: string; startedAt: string };
  waited?: string | undefined;
};
