import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SETTINGS, describeRange } from '../../pipeline/config/settings.ts';
import { WebhookBodySchema } from '../../pipeline/notify/webhook-body.ts';
import { NOTIFY_EVENT_KINDS, NOTIFY_FAILURE_CODES } from '../../pipeline/vocabulary.ts';

const DOCS = path.resolve(import.meta.dirname, '../../docs');
const page = readFileSync(path.join(DOCS, 'notifications.md'), 'utf8');
const SCHEMA_FILE = path.join(DOCS, 'notification.schema.json');

/** The table row of docs/notifications.md that documents a variable. */
const rowOf = (variable: string) =>
  page.split('\n').find((l) => l.startsWith(`| \`${variable}\``)) ?? '';

describe('docs/notifications.md matches the code', () => {
  it('publishes the JSON Schema generated from the webhook body schema', () => {
    const generated = z.toJSONSchema(WebhookBodySchema);
    // UPDATE_DOCS=1 rewrites the file after a deliberate change of the body.
    if (process.env.UPDATE_DOCS === '1')
      writeFileSync(SCHEMA_FILE, `${JSON.stringify(generated, null, 2)}\n`);
    expect(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'))).toEqual(generated);
  });

  it('shows an example body that the schema accepts', () => {
    const example = /Example \(`new_findings`\):\n\n```json\n([^]*?)\n```/.exec(page)?.[1];
    expect(example).toBeDefined();
    expect(() => WebhookBodySchema.parse(JSON.parse(example!))).not.toThrow();
  });

  it('describes every top-level field of the body', () => {
    for (const field of Object.keys(WebhookBodySchema.shape))
      expect(page, field).toMatch(new RegExp(`^\\| \`${field}\` +\\|`, 'm'));
  });

  it.each([SETTINGS.notifyTimeout, SETTINGS.notifyMaxAttempts, SETTINGS.notifyMaxResponse])(
    'documents $env with its default and range',
    (setting) => {
      const row = rowOf(setting.env);
      expect(row).toContain(`\`${setting.default}\``);
      expect(row).toContain(describeRange(setting));
    },
  );

  it.each([
    'DOCKPEEK_NOTIFY_URLS',
    'DOCKPEEK_PUBLIC_URL',
    'DOCKPEEK_NOTIFY_SEVERITY',
    'DOCKPEEK_NOTIFY_FIXABLE_SEVERITY',
    'DOCKPEEK_NOTIFY_DIGEST',
    'DOCKPEEK_APPRISE_BIN',
  ])('documents %s in the configuration table', (variable) => {
    expect(rowOf(variable)).not.toBe('');
  });

  it('names every event kind and failure code', () => {
    for (const code of [...NOTIFY_EVENT_KINDS, ...NOTIFY_FAILURE_CODES])
      expect(page, code).toMatch(new RegExp(`^\\| \`${code}\` +\\|`, 'm'));
  });
});
