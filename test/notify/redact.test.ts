import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDestinations } from '../../pipeline/notify/destinations.ts';
import { createRedactor } from '../../pipeline/notify/redact.ts';

// Fixed seed, so a run is repeatable; FC_SEED=<n> explores.
fc.configureGlobal({ numRuns: 300, seed: Number(process.env.FC_SEED ?? 20261125) });

const redactForms = createRedactor([]);

describe('the redactor, on credentials it was not told about', () => {
  const cases: Array<[string, string, string]> = [
    ['a header line', 'Authorization: Basic dXNlcjpwYXNz', 'Authorization: Basic ***'],
    ['JSON', '{"authorization":"Basic dXNlcjpwYXNz","x":1}', '{"authorization":"Basic ***","x":1}'],
    ['a Go header map', '"Authorization":["Bearer abc"]', '"Authorization":["Bearer ***"]'],
    ['escaped JSON', '\\"authorization\\":\\"Basic eDp5\\"', '\\"authorization\\":\\"Basic ***\\"'],
    [
      'another scheme',
      'proxy-authorization: Negotiate YIIabc',
      'proxy-authorization: Negotiate ***',
    ],
    ['a bare Basic value', 'sent Basic dXNlcjpwYXNz= to it', 'sent Basic *** to it'],
    ['a Basic value cut after the colon', 'Basic dXNlcjpw', 'Basic ***'],
    ['a URL-encoded Basic value', '?h=Basic%20dXNlcjpwYXNz', '?h=Basic%20***'],
    ['a bearer token', 'with Bearer tk_abc123XYZ, then', 'with Bearer ***, then'],
    ['a JWT', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig', 'Bearer ***'],
    ['a token of letters in mixed case', 'BEARER abcdeFgh', 'BEARER ***'],
    ['a token after the word Bearer', 'Bearer Bearer tk_1', 'Bearer Bearer ***'],
    ['a credential after the word Basic', 'Basic Basic dXNlcjpwYXNz', 'Basic Basic ***'],
    [
      'URL userinfo',
      'GET https://bob:s3cret@example.com/x and ftp://anon@ftp.example.org',
      'GET https://***@example.com/x and ftp://***@ftp.example.org',
    ],
    ['an @ in the password', 'http://me:p@ss@host/', 'http://***@host/'],
    [
      'query and fragment tokens',
      'https://h/p?a=1&access_token=abc&b=2#id_token=zz',
      'https://h/p?a=1&access_token=***&b=2#id_token=***',
    ],
    [
      'names that hold secrets',
      '?API_KEY=1&x-api-key=2&client_secret=3&sig=4&signature=5&password=6&pass=7&apikey=8&auth=9&key=0',
      '?API_KEY=***&x-api-key=***&client_secret=***&sig=***&signature=***&password=***&pass=***&apikey=***&auth=***&key=***',
    ],
  ];
  it.each(cases)('masks %s', (_name, text, expected) => {
    expect(redactForms(text)).toBe(expected);
  });

  const plain = [
    'Basic authentication is weak; Bearer tokens expire. Basic realm="dockpeek"',
    'WWW-Authenticate: Bearer error="invalid_token"',
    'authorization failed: the token was refused',
    'https://example.com/docs?page=2&sort=key#top, mail bob@example.com',
    'ntfys://ntfy.sh/… (#1) ?monkey=1&keyword=2&passenger=3&tokens=4',
    'HTTP 500: bad request to /hook with user:password',
  ];
  it.each(plain)('leaves text without a credential alone: %s', (text) => {
    expect(redactForms(text)).toBe(text);
  });

  // A backtracking blow-up would take minutes on these; the redactor takes milliseconds.
  const hostile = {
    letters: 'a'.repeat(1 << 18),
    schemes: 'x://'.repeat(1 << 16),
    basics: 'basic '.repeat(1 << 16),
    'one long Basic value': `Basic ${'QUJD'.repeat(1 << 16)}`,
    authorizations: 'authorization: '.repeat(1 << 14),
    'query name prefixes': '?a_b_c_d'.repeat(1 << 15),
    'a long userinfo without @': `http://${'u:'.repeat(1 << 17)}`,
  };
  it.each(Object.entries(hostile))('is linear on %s', (_name, text) => {
    const started = performance.now();
    redactForms(text);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

// Printable characters, special ones included, and some beyond ASCII. Not '*': a secret made of
// the mask's character cannot be told apart from the mask.
const CHARS = [
  ...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).filter((c) => c !== '*'),
  'é',
  'ß',
  '中',
  '🔑',
];
const printable = (minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...CHARS), minLength, maxLength });
/** Text around the credentials: anything at all. */
const filler = fc.string({ unit: 'binary', maxLength: 40 });
const separator = fc.constantFrom(' ', '\n', ', ', '; ', '\t', '');

const base64Forms = (user: string, password: string) => {
  const raw = Buffer.from(`${user}:${password}`);
  return [
    raw.toString('base64'),
    raw.toString('base64').replace(/=+$/, ''),
    raw.toString('base64url'),
  ];
};
/** A secret as a text may hold it: as is, URL-encoded, JSON-escaped. */
const spellings = (secret: string) => [
  secret,
  encodeURIComponent(secret),
  JSON.stringify(secret).slice(1, -1),
];

/** The forms a receiver's answer or an error may hold a user, password and token in. */
function credentialForms(user: string, password: string, token: string): string[] {
  const basic = base64Forms(user, password)[0];
  const e = encodeURIComponent;
  return [
    `Authorization: Basic ${basic}`,
    `{"authorization":"Basic ${basic}"}`,
    `Basic ${basic}`,
    `Basic ${base64Forms(user, password)[2]}`,
    `Authorization: Bearer ${token}`,
    `Bearer ${token}`,
    `https://${e(user)}:${e(password)}@hooks.example/in`,
    `https://ntfy.example/topic?a=1&token=${e(token)}&b=2`,
    `json://h/x#access_token=${e(token)}`,
  ];
}

/** Some of the forms, shuffled, between filler text. */
const textAround = (forms: string[]) =>
  fc
    .tuple(
      fc.shuffledSubarray(forms, { minLength: 1 }),
      fc.array(filler, { minLength: forms.length + 1, maxLength: forms.length + 1 }),
      separator,
    )
    .map(([chosen, fill, sep]) =>
      fill.map((f, i) => (chosen[i] === undefined ? f : `${f}${sep}${chosen[i]}${sep}`)).join(''),
    );

describe('the redactor, over generated credentials (properties)', () => {
  it("never leaves a configured destination's password, token or Basic value in a text", () => {
    const e = encodeURIComponent;
    const configured = fc
      .tuple(printable(3, 16), printable(1, 24), printable(1, 24))
      .chain(([user, password, token]) => {
        const forms = [
          ...credentialForms(user, password, token),
          // Raw and JSON-escaped too: a receiver may echo the decoded credentials.
          `credentials ${user}:${password}`,
          JSON.stringify({ password, token }),
          `?token=${token}`,
        ];
        return fc.tuple(fc.constant({ user, password, token }), textAround(forms));
      });
    fc.assert(
      fc.property(configured, ([{ user, password, token }, text]) => {
        const redact = createRedactor(
          parseDestinations(
            `json://${e(user)}:${e(password)}@hooks.example/in,ntfy://ntfy.example/topic?token=${e(token)}`,
          ),
        );
        const out = redact(text);
        const secrets = [
          ...spellings(password),
          ...spellings(token),
          ...base64Forms(user, password),
        ];
        for (const secret of secrets) expect(out).not.toContain(secret);
        expect(redact(out)).toBe(out);
      }),
    );
  });

  // Unknown credentials are found by their form: the separators around them are what a real text
  // has (whitespace, punctuation), and a token is not a plain word ("Bearer tokens expire" is prose).
  const token = fc
    .string({ unit: fc.constantFrom(...'abcXYZ019-._~+/'), minLength: 8, maxLength: 40 })
    .filter((t) => !/^[A-Za-z][a-z-]*[.=]?$/.test(t));
  it('masks every credential written in one of the forms, whoever it belongs to', () => {
    fc.assert(
      fc.property(
        printable(1, 16).filter((u) => !u.includes(':')),
        printable(1, 24),
        token,
        fc.shuffledSubarray([0, 1, 2, 3, 4, 5, 6, 7, 8], { minLength: 1 }),
        fc.array(printable(0, 20), { minLength: 10, maxLength: 10 }),
        fc.constantFrom(' ', '\n', ', ', '; '),
        (user, password, token, chosen, fill, sep) => {
          const build = (forms: string[]) =>
            chosen.map((i, n) => `${fill[n]}${sep}${forms[i]}${sep}`).join('') + fill.at(-1);
          const text = build(credentialForms(user, password, token));
          // The same text without the credentials: what it holds of them is there by chance.
          const skeleton = build(credentialForms('', '', ''));
          const secrets = [
            ...spellings(password).slice(0, 2),
            token,
            encodeURIComponent(token),
            ...base64Forms(user, password),
          ];
          fc.pre(secrets.every((s) => !skeleton.includes(s)));
          const out = redactForms(text);
          for (const secret of secrets) expect(out).not.toContain(secret);
          expect(redactForms(out)).toBe(out);
        },
      ),
    );
  });

  it('changes nothing more when applied twice, on any text', () => {
    const redact = createRedactor(
      parseDestinations(
        'json://dockpeek:Pa55%2Fw@hooks.example/in,ntfy://ntfy.example/t?token=tk_1',
      ),
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            filler,
            fc.constantFrom(
              'Authorization:',
              'Basic ',
              'Bearer ',
              '://',
              '@',
              '?token=',
              '&key=',
              'dXNlcjpwYXNz',
              'Pa55/w',
              'tk_1',
            ),
          ),
          { maxLength: 12 },
        ),
        (parts) => {
          const text = parts.join('');
          for (const r of [redact, redactForms]) expect(r(r(text))).toBe(r(text));
        },
      ),
    );
  });

  // Text with no credential in it: prose and URLs near the forms (the word Basic, a query with
  // other names, an @ in a mail address) between arbitrary text that holds none of the markers.
  const noMarker = (t: string) => !/authorization|basic|bearer|:\/\/|[?&;#][^=]*=/i.test(t);
  it('leaves a text without credentials unchanged', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            filler.filter(noMarker),
            fc.constantFrom(
              'Basic authentication is weak.',
              'Bearer tokens expire.',
              'https://example.com/docs?page=2&sort=key#top',
              'mail bob@example.com',
              'ntfys://ntfy.sh/… (#1)',
              '?monkey=1&keyword=2&passenger=3',
              'HTTP 401: unauthorised',
            ),
          ),
          { maxLength: 10 },
        ),
        separator.filter((s) => s !== ''),
        (parts, sep) => {
          const text = parts.join(sep);
          expect(redactForms(text)).toBe(text);
        },
      ),
    );
  });
});
