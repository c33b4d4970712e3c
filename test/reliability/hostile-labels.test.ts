import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiContainerSchema } from '../../pipeline/docker/api-schema.ts';
import { mapContainer } from '../../pipeline/snapshot/map-container.ts';
import { resolveOrchestration } from '../../pipeline/snapshot/orchestration.ts';
import {
  ContainerSchema,
  SnapshotSchema,
  type Container,
  type Orchestration,
  type Snapshot,
} from '../../pipeline/snapshot/schema.ts';
import { emptyDb } from '../../pipeline/store/schema.ts';
import { makeDataDir, readTree, runCli } from '../helpers/cli.ts';
import { parseHtml, type Parsed } from '../helpers/parse-html.ts';

// A hostile-input corpus for container names and labels, table-driven: each row is the containers
// of one host, run through the real Docker-response schema, mapContainer and resolveOrchestration,
// with every container's exact warnings. Then ONE site build of all rows: nothing hostile may
// come out as markup, and no invisible or bidi character may reach a page.

const KNOWN =
  '(known: dockpeek.role, dockpeek.anchor, dockpeek.anchor-type, dockpeek.stack, dockpeek.hide, dockpeek.security.skip)';
const KIB64 = 64 * 1024;
const SECRET = 'admin:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/';
const invisible = (what: string, chars: string) =>
  `${what} contained invisible or bidirectional formatting characters (${chars}); they were removed`;
const control = (what: string) => `${what} contained control characters; they were removed`;
const missing = (anchor: string) => `anchor "${anchor}" does not exist on host lab`;

interface Spec {
  /** Name as Docker's API sends it (without the leading "/"). */
  name: string;
  labels?: Record<string, string>;
  /** network_mode container:<id of this container name in the row>, or of this literal id. */
  networkWith?: string;
  expect: {
    /** Every warning, in order: exact text or a pattern. */
    warnings: Array<string | RegExp>;
    /** Name as stored, when sanitising changes it. */
    name?: string;
    /** Left out of the snapshot (dockpeek.hide). */
    hidden?: true;
    orchestration?: Partial<Orchestration>;
    labels?: Record<string, string>;
    stack?: string | null;
  };
}

interface Row {
  title: string;
  containers: Spec[];
}

const idOf = (row: string, name: string) =>
  createHash('sha256').update(`${row}\0${name}`).digest('hex');

const ROWS: Row[] = [
  {
    title: 'HTML and script in a name and in every label value',
    containers: [
      {
        name: '<img src=x onerror=alert(1)>',
        labels: {
          'dockpeek.stack': '<script>alert("stack")</script>',
          'dockpeek.role': '<b>boss</b>',
          'dockpeek.anchor-type': '<i>net</i>',
          'dockpeek.anchor': '<script>alert(1)</script>',
          'dockpeek.hide': '<svg onload=alert(1)>',
        },
        expect: {
          warnings: [
            'unknown role "<b>boss</b>" in dockpeek.role (expected anchor, dependent, standalone); ignored',
            'unknown anchor type "<i>net</i>" in dockpeek.anchor-type (expected network, database, service); ignored',
            'dockpeek.anchor "<script>alert(1)</script>" is not a valid container name; ignored',
            'dockpeek.hide="<svg onload=alert(1)>" is not true or false; read as false',
          ],
          stack: '<script>alert("stack")</script>',
          orchestration: { role: 'standalone', anchor: null, anchorType: null },
        },
      },
    ],
  },
  {
    title: 'attribute break-outs in a name and a stack (text, no warning)',
    containers: [
      {
        name: '"><svg onload=alert(2)>',
        labels: { 'dockpeek.stack': "' autofocus onfocus='alert(3)" },
        expect: { warnings: [], stack: "' autofocus onfocus='alert(3)" },
      },
      {
        name: 'a<b',
        expect: { warnings: [] },
      },
      {
        name: 'a>b',
        expect: { warnings: [] },
      },
    ],
  },
  {
    title: 'an RTL override in a name (spoofs "invoicexe.pdf")',
    containers: [
      {
        name: 'invoice\u202Efdp.exe',
        expect: { name: 'invoicefdp.exe', warnings: [invisible('container name', 'U+202E')] },
      },
    ],
  },
  {
    title: 'RTL override and isolates in dockpeek.stack',
    containers: [
      {
        name: 'notes',
        labels: { 'dockpeek.stack': 'media\u2067\u202Etxt.exe\u2069' },
        expect: {
          warnings: [invisible('dockpeek.stack', 'U+2067, U+202E, U+2069')],
          stack: 'mediatxt.exe',
          labels: { 'dockpeek.stack': 'mediatxt.exe' },
        },
      },
    ],
  },
  {
    title: 'zero-width characters in an anchor: removed, then the link resolves',
    containers: [
      { name: 'gluetun', expect: { warnings: [], orchestration: { dependents: ['app'] } } },
      {
        name: 'app',
        labels: { 'dockpeek.anchor': 'glue\u200Btun\uFEFF' },
        expect: {
          warnings: [invisible('dockpeek.anchor', 'U+200B, U+FEFF')],
          orchestration: { role: 'dependent', anchor: 'gluetun' },
        },
      },
    ],
  },
  {
    title: 'a byte order mark and a zero-width joiner in a name',
    containers: [
      {
        name: '\uFEFFdb\u200D',
        expect: { name: 'db', warnings: [invisible('container name', 'U+FEFF, U+200D')] },
      },
    ],
  },
  {
    title: 'a soft hyphen, tag characters and an interlinear annotation (safe-text additions)',
    containers: [
      {
        name: 'pay\u00ADpal\u{E0041}\u{E007F}',
        labels: { 'dockpeek.stack': 'media\uFFF9hidden\uFFFB\u180E' },
        expect: {
          name: 'paypal',
          warnings: [
            invisible('dockpeek.stack', 'U+FFF9, U+FFFB, U+180E'),
            invisible('container name', 'U+00AD, U+E0041, U+E007F'),
          ],
          stack: 'mediahidden',
        },
      },
    ],
  },
  {
    title: 'a name of nothing but format characters: shown by its short id',
    containers: [
      {
        name: '\u202E\u200B',
        expect: {
          name: idOf(
            'a name of nothing but format characters: shown by its short id',
            '\u202E\u200B',
          ).slice(0, 12),
          warnings: [invisible('container name', 'U+202E, U+200B')],
        },
      },
    ],
  },
  {
    title: '64 KiB values, label name and container name',
    containers: [
      {
        name: 'big-stack',
        labels: { 'dockpeek.stack': 'x'.repeat(KIB64), 'com.example.blob': 'y'.repeat(KIB64) },
        expect: {
          warnings: [`dockpeek.stack is ${KIB64} characters long; truncated to 200`],
          stack: 'x'.repeat(200),
          labels: { 'dockpeek.stack': 'x'.repeat(200) },
        },
      },
      {
        name: 'big-anchor',
        labels: { 'dockpeek.anchor': 'a'.repeat(KIB64) },
        expect: {
          warnings: [
            `dockpeek.anchor is ${KIB64} characters long; truncated to 200`,
            missing('a'.repeat(200)),
          ],
          orchestration: { role: 'dependent', anchor: 'a'.repeat(200) },
        },
      },
      {
        name: 'big-key',
        labels: { [`dockpeek.${'k'.repeat(KIB64)}`]: 'v' },
        expect: {
          warnings: [
            `label name is ${KIB64 + 9} characters long; truncated to 200`,
            `unknown label "dockpeek.${'k'.repeat(55)}" ${KNOWN}`,
          ],
          labels: { [`dockpeek.${'k'.repeat(55)}`]: 'v' },
        },
      },
      {
        name: 'n'.repeat(KIB64),
        expect: {
          name: 'n'.repeat(200),
          warnings: [`container name is ${KIB64} characters long; truncated to 200`],
        },
      },
    ],
  },
  {
    title: 'control characters and NUL',
    containers: [
      {
        name: 'web\u0000\u001b[2J',
        labels: { 'dockpeek.role': 'anchor\u0000', 'dockpeek.stack': 'line1\nline2\r\u0085' },
        expect: {
          name: 'web[2J',
          warnings: [
            control('dockpeek.role'),
            control('dockpeek.stack'),
            control('container name'),
          ],
          stack: 'line1line2',
          orchestration: { role: 'anchor' },
        },
      },
      {
        name: 'bell',
        labels: { 'dockpeek.ro\u0007le': 'standalone' },
        expect: {
          warnings: [control('label name')],
          labels: { 'dockpeek.role': 'standalone' },
        },
      },
    ],
  },
  {
    title: 'invalid and odd roles',
    containers: [
      {
        name: 'boss',
        labels: { 'dockpeek.role': 'boss' },
        expect: {
          warnings: [
            'unknown role "boss" in dockpeek.role (expected anchor, dependent, standalone); ignored',
          ],
          // The role falls back to inference: "shouty" depends on it.
          orchestration: { role: 'anchor', dependents: ['shouty'] },
        },
      },
      {
        name: 'both',
        labels: { 'dockpeek.role': 'anchor,dependent' },
        expect: {
          warnings: [
            'unknown role "anchor,dependent" in dockpeek.role (expected anchor, dependent, standalone); ignored',
          ],
        },
      },
      {
        name: 'shouty',
        labels: { 'dockpeek.role': ' DEPENDENT ', 'dockpeek.anchor': 'boss' },
        expect: { warnings: [], orchestration: { role: 'dependent', anchor: 'boss' } },
      },
      {
        name: 'blank',
        labels: { 'dockpeek.role': '   ' },
        expect: { warnings: [], orchestration: { role: 'standalone' } },
      },
    ],
  },
  {
    title: 'invalid anchor types',
    containers: [
      { name: 'db', labels: { 'dockpeek.anchor-type': 'NETWORK ' }, expect: { warnings: [] } },
      {
        name: 'app',
        labels: { 'dockpeek.anchor': 'db', 'dockpeek.anchor-type': 'vpn' },
        expect: {
          warnings: [
            'unknown anchor type "vpn" in dockpeek.anchor-type (expected network, database, service); ignored',
          ],
          // The anchor's own type is used instead.
          orchestration: { anchor: 'db', anchorType: 'network' },
        },
      },
      {
        name: 'web',
        labels: { 'dockpeek.anchor': 'app', 'dockpeek.anchor-type': '1' },
        expect: {
          warnings: [
            'unknown anchor type "1" in dockpeek.anchor-type (expected network, database, service); ignored',
          ],
          orchestration: { anchor: 'app', anchorType: null },
        },
      },
    ],
  },
  {
    title: 'dangling anchors: a label, a network_mode id, a compose service',
    containers: [
      {
        name: 'orphan',
        labels: { 'dockpeek.anchor': 'ghost', 'dockpeek.anchor-type': 'database' },
        expect: {
          warnings: [missing('ghost')],
          orchestration: { role: 'dependent', anchor: 'ghost', anchorType: 'database' },
        },
      },
      {
        name: 'slash-only',
        labels: { 'dockpeek.anchor': ' / ' },
        expect: {
          warnings: ['dockpeek.anchor "/" is not a valid container name; ignored'],
          orchestration: { role: 'standalone', anchor: null },
        },
      },
      {
        name: 'netless',
        networkWith: '0123456789ab'.repeat(5) + '0123',
        expect: {
          warnings: [
            'network_mode container:0123456789ab points at a container that does not exist',
          ],
          orchestration: { role: 'standalone', anchor: null },
        },
      },
      {
        name: 'p-web-1',
        labels: {
          'com.docker.compose.project': 'p',
          'com.docker.compose.service': 'web',
          'com.docker.compose.depends_on': 'gone:service_started:false,<script>:x',
        },
        expect: { warnings: [], orchestration: { role: 'standalone', anchor: null } },
      },
    ],
  },
  {
    title: 'a two-container cycle',
    containers: [
      {
        name: 'a',
        labels: { 'dockpeek.anchor': 'b' },
        expect: {
          warnings: ['dependency cycle: a → b → a'],
          orchestration: { anchor: 'b', dependents: ['b'] },
        },
      },
      {
        name: 'b',
        labels: { 'dockpeek.anchor': 'a' },
        expect: {
          warnings: ['dependency cycle: b → a → b'],
          orchestration: { anchor: 'a', dependents: ['a'] },
        },
      },
    ],
  },
  {
    title: 'a three-container cycle with a tail',
    containers: [
      {
        name: 'x',
        labels: { 'dockpeek.anchor': 'y' },
        expect: {
          warnings: ['dependency cycle: x → y → z → x'],
          orchestration: { dependents: ['t', 'z'] },
        },
      },
      {
        name: 'y',
        labels: { 'dockpeek.anchor': 'z' },
        expect: { warnings: ['dependency cycle: y → z → x → y'] },
      },
      {
        name: 'z',
        labels: { 'dockpeek.anchor': 'x' },
        expect: { warnings: ['dependency cycle: z → x → y → z'] },
      },
      {
        name: 't',
        labels: { 'dockpeek.anchor': 'x' },
        expect: { warnings: [], orchestration: { role: 'dependent', anchor: 'x' } },
      },
    ],
  },
  {
    title: 'a cycle through a label and an inferred network_mode link',
    containers: [
      {
        name: 'p',
        labels: { 'dockpeek.anchor': 'q' },
        expect: { warnings: ['dependency cycle: p → q → p'] },
      },
      {
        name: 'q',
        networkWith: 'p',
        expect: {
          warnings: ['dependency cycle: q → p → q'],
          orchestration: { anchor: 'p', anchorType: 'network', inferred: true },
        },
      },
    ],
  },
  {
    title: 'self-anchors: by label, by "/name", by network_mode',
    containers: [
      {
        name: 'solo',
        labels: { 'dockpeek.anchor': 'solo' },
        expect: {
          warnings: ['dockpeek.anchor names the container itself; ignored'],
          orchestration: { role: 'standalone', anchor: null, dependents: [] },
        },
      },
      {
        name: 'slash',
        labels: { 'dockpeek.anchor': '/slash', 'dockpeek.role': 'dependent' },
        expect: {
          warnings: ['dockpeek.anchor names the container itself; ignored'],
          orchestration: { role: 'dependent', anchor: null },
        },
      },
      {
        name: 'loop',
        networkWith: 'loop',
        expect: {
          warnings: [
            `network_mode container:${idOf('self-anchors: by label, by "/name", by network_mode', 'loop').slice(0, 12)} is the container itself; ignored`,
          ],
          orchestration: { role: 'standalone', anchor: null, dependents: [] },
        },
      },
    ],
  },
  {
    title: 'contradicting labels: standalone with an anchor, standalone with dependents',
    containers: [
      {
        name: 'db',
        labels: { 'dockpeek.role': 'standalone' },
        expect: {
          warnings: ['labelled standalone, but 1 container(s) depend on it: api'],
          orchestration: { role: 'standalone', dependents: ['api'] },
        },
      },
      {
        name: 'api',
        labels: { 'dockpeek.role': 'standalone', 'dockpeek.anchor': 'db' },
        expect: {
          warnings: ['labelled standalone, but dockpeek.anchor names db'],
          orchestration: { role: 'standalone', anchor: 'db' },
        },
      },
      {
        name: 'lost',
        labels: { 'dockpeek.role': 'dependent' },
        expect: {
          warnings: ['dockpeek.role=dependent, but no dockpeek.anchor says what it depends on'],
        },
      },
    ],
  },
  {
    title: 'an anchor that is hidden',
    containers: [
      {
        name: 'secret-vpn',
        labels: { 'dockpeek.hide': 'TRUE' },
        expect: { warnings: [], hidden: true },
      },
      {
        name: 'app',
        labels: { 'dockpeek.anchor': 'secret-vpn' },
        expect: {
          warnings: ['anchor "secret-vpn" is hidden (dockpeek.hide=true)'],
          orchestration: { role: 'dependent', anchor: 'secret-vpn' },
        },
      },
    ],
  },
  {
    title: 'secrets in other labels are dropped, and look-alike keys with them',
    containers: [
      {
        name: 'traefik',
        labels: {
          'traefik.http.middlewares.auth.basicauth.users': SECRET,
          'com.example.db.password': SECRET,
          MYSQL_ROOT_PASSWORD: SECRET,
          'DOCKPEEK.ROLE': 'anchor',
          dockpeek: 'anchor',
          dockpeekXrole: 'anchor',
          'dockpeek.stack': 'edge',
        },
        expect: {
          warnings: [],
          labels: { 'dockpeek.stack': 'edge' },
          orchestration: { role: 'standalone' },
        },
      },
    ],
  },
  {
    title: 'forty dockpeek labels: only 32 read',
    containers: [
      {
        name: 'noisy',
        labels: {
          'dockpeek.role': 'anchor',
          ...Object.fromEntries(
            Array.from({ length: 39 }, (_, i) => [`dockpeek.x${String(i).padStart(2, '0')}`, 'v']),
          ),
        },
        expect: {
          warnings: [
            '40 dockpeek.* labels; only the first 32 were read',
            ...Array.from(
              { length: 31 },
              (_, i) => `unknown label "dockpeek.x${String(i).padStart(2, '0')}" ${KNOWN}`,
            ),
          ],
          orchestration: { role: 'anchor' },
        },
      },
    ],
  },
  {
    title: 'hostile compose labels: bidi project, long service, script in depends_on',
    containers: [
      {
        name: 'c-db-1',
        labels: {
          'com.docker.compose.project': 'c\u202Eevil',
          'com.docker.compose.service': 'db',
        },
        expect: {
          warnings: [invisible('com.docker.compose.project', 'U+202E')],
          stack: 'cevil',
        },
      },
      {
        name: 'c-web-1',
        labels: {
          'com.docker.compose.project': 'c\u202Eevil',
          'com.docker.compose.service': `web${'s'.repeat(KIB64)}`,
          'com.docker.compose.depends_on': '<script>alert(1)</script>:x,db:service_healthy:true',
        },
        expect: {
          warnings: [
            invisible('com.docker.compose.project', 'U+202E'),
            `com.docker.compose.service is ${KIB64 + 3} characters long; truncated to 200`,
          ],
          stack: 'cevil',
          orchestration: { role: 'dependent', anchor: 'c-db-1', inferred: true },
        },
      },
    ],
  },
];

/** The list entry GET /containers/json would return for one spec. */
function apiEntry(row: Row, spec: Spec): unknown {
  const target = spec.networkWith;
  const inRow = row.containers.some((c) => c.name === target);
  return {
    Id: idOf(row.title, spec.name),
    Names: [`/${spec.name}`],
    Image: 'busybox:1.37',
    ImageID: `sha256:${'b'.repeat(64)}`,
    State: 'running',
    Status: 'Up 1 minute',
    Labels: spec.labels ?? {},
    HostConfig: {
      NetworkMode: target ? `container:${inRow ? idOf(row.title, target) : target}` : 'bridge',
    },
  };
}

/** One row through the real snapshot code, as `host`. */
function resolveRow(row: Row, host = 'lab'): Container[] {
  const mapped = row.containers.map((spec) =>
    mapContainer(host, ApiContainerSchema.parse(apiEntry(row, spec)), new Map(), undefined),
  );
  return resolveOrchestration(host, mapped);
}

describe('hostile container names and labels, through map + resolve', () => {
  it.each(ROWS.map((row) => [row.title, row] as const))('%s', (_title, row) => {
    let out: Container[] = [];
    expect(() => (out = resolveRow(row))).not.toThrow();
    for (const c of out) expect(() => ContainerSchema.parse(c)).not.toThrow();
    expect(out).toHaveLength(row.containers.filter((s) => !s.expect.hidden).length);

    for (const spec of row.containers) {
      const c = out.find((o) => o.id === idOf(row.title, spec.name));
      if (spec.expect.hidden) {
        expect(c, spec.name).toBeUndefined();
        continue;
      }
      expect(c, spec.name.slice(0, 40)).toBeDefined();
      const { warnings, name, orchestration, labels, stack } = spec.expect;
      expect(c!.orchestration.warnings).toEqual(
        warnings.map((w) => (typeof w === 'string' ? w : expect.stringMatching(w))),
      );
      expect(c!.name).toBe(name ?? spec.name);
      if (orchestration) expect(c!.orchestration).toMatchObject(orchestration);
      if (labels) expect(c!.labels).toEqual(labels);
      if (stack !== undefined) expect(c!.stack).toBe(stack);
      // Only dockpeek.* labels are stored, and nothing about them is invisible or oversized.
      for (const [key, value] of Object.entries(c!.labels)) {
        expect(key.startsWith('dockpeek.')).toBe(true);
        expect(value.length).toBeLessThanOrEqual(200);
      }
      expect(JSON.stringify(c)).not.toContain(SECRET);
      for (const text of strings(c)) expect(text).not.toMatch(FORMAT_OR_CONTROL);
    }
  });
});

// What must never reach a page: C0/C1 controls, bidi controls and zero-width characters.
// eslint-disable-next-line no-control-regex
const FORMAT_OR_CONTROL =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\u{e0000}-\u{e007f}]/u;

/** Markup the corpus carries: none of it may appear unescaped in the site. */
const HOSTILE_MARKUP = [
  '<img src=x onerror=alert(1)>',
  '<script>alert("stack")</script>',
  '<script>alert(1)</script>',
  '<svg onload=alert(1)>',
  '"><svg onload=alert(2)>',
  "' autofocus onfocus='alert(3)",
  '<b>boss</b>',
  '<i>net</i>',
];

describe('the site built from a snapshot of the whole corpus', () => {
  let pages: Array<{ file: string; html: string; parsed: Parsed }>;
  let snapshot: Snapshot;

  beforeAll(async () => {
    const containers = ROWS.flatMap((row, i) => resolveRow(row, `h${String(i).padStart(2, '0')}`));
    snapshot = SnapshotSchema.parse({
      takenAt: new Date().toISOString(),
      hosts: ROWS.map((_, i) => ({
        name: `h${String(i).padStart(2, '0')}`,
        url: 'unix:///var/run/docker.sock',
        ok: true,
        containerCount: 0,
        hiddenCount: 0,
        warnings: [],
        durationMs: 1,
      })),
      containers,
    });
    const dataDir = makeDataDir();
    writeFileSync(path.join(dataDir, 'db.json'), JSON.stringify({ ...emptyDb(), snapshot }));
    const siteDir = path.join(mkdtempSync(path.join(tmpdir(), 'dpk-www-')), 'site');
    const build = await runCli(['build', '--data-dir', dataDir, '--site-dir', siteDir], {});
    expect(build.exitCode, build.stderr).toBe(0);
    pages = readTree(siteDir)
      .filter((p) => p.file.endsWith('.html'))
      .map((p) => {
        const html = Buffer.from(p.text, 'latin1').toString('utf8');
        return { file: p.file, html, parsed: parseHtml(html) };
      });
  }, 120_000);

  const index = () => pages.find((p) => p.file.endsWith(`${path.sep}index.html`))!;

  it('renders every container of the corpus, its name as a text node', () => {
    expect(pages.length).toBeGreaterThan(1);
    expect(snapshot.containers).toHaveLength(
      ROWS.flatMap((r) => r.containers).filter((c) => !c.expect.hidden).length,
    );
    const texts = new Set(index().parsed.texts);
    for (const c of snapshot.containers) expect(texts.has(c.name), c.name.slice(0, 40)).toBe(true);
  });

  it.each(HOSTILE_MARKUP)('shows %s as text and never as markup', (markup) => {
    expect(index().parsed.texts.some((t) => t.includes(markup))).toBe(true);
    const tag = /^<\s*([a-z]+)/i.exec(markup.replace(/^["'>\s]+/, ''))?.[1]?.toLowerCase();
    for (const { file, parsed } of pages) {
      if (tag && ['img', 'b', 'i'].includes(tag))
        expect(
          parsed.tags.map((t) => t.name),
          file,
        ).not.toContain(tag);
      for (const t of parsed.tags)
        for (const [attr] of t.attrs)
          expect(attr, `${file} <${t.name}>`).not.toMatch(/^on|^autofocus$/i);
    }
  });

  it('runs no script but the site’s own', () => {
    for (const { file, parsed } of pages) {
      for (const script of parsed.scripts) expect(script, file).not.toContain('alert(');
    }
  });

  it('lets no control, bidi or zero-width character reach a page', () => {
    for (const page of pages) expect(page.html, page.file).not.toMatch(FORMAT_OR_CONTROL);
  });

  it('never publishes a secret from a foreign label', () => {
    for (const page of pages) expect(page.html, page.file).not.toContain(SECRET);
  });

  // Ids were once `c-${host}-${name}` with other characters replaced by "_": "a<b" and "a>b"
  // (or host "nas-1" + "web" and host "nas" + "1-web") shared an id and a tooltip.
  it('gives every element a unique id', () => {
    const ids = index().parsed.tags.flatMap((t) =>
      t.attrs.filter(([a]) => a === 'id').map(([, v]) => v),
    );
    expect(ids.length).toBeGreaterThan(snapshot.containers.length);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });
});

/** Every string in a value, keys included. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => [k, ...strings(v)]);
  return [];
}
