// Credentials in the forms other programs write them, whoever they belong to. Every pattern starts
// at a literal or a single character and its repeats are bounded or stop at a delimiter the
// credential cannot hold, so a text is scanned in linear time (no backtracking blow-up).

/** Characters of a base64 (or base64url) value. */
const B64 = 'A-Za-z0-9+/_-';

// `Authorization: <scheme> <value>` in a header line, JSON (`"authorization":"…"`, `["…"]`),
// a Python dict or escaped JSON: the value goes whatever the scheme.
const AUTHORIZATION =
  /(authorization(?:\\{0,3}["'])?[ \t]{0,8}[:=][ \t]{0,8}\[?[ \t]{0,8}(?:\\{0,3}["'])?)([A-Za-z][\w-]{0,31}[ \t]+)?([^\s"'\\,;\]}&]+)/gi;
// `Basic <base64>` anywhere, also URL-encoded (`Basic%20…`). Not `Basic+…`: a `+` may be inside a
// value, and a rejected value would then be scanned again from every `+basic` in it.
const BASIC = new RegExp(`(\\bbasic(?:[ \\t]+|%20))([${B64}]+={0,2})`, 'gi');
// `Bearer <token>` anywhere (RFC 6750 token characters), unless the word after it is prose
// ("Bearer tokens expire") or a parameter name (`Bearer realm="…"`): letters, lower case after
// the first. Checked ahead, so the word is not consumed and may itself be `Bearer`. Case matters
// in that check, so the regex has no i flag and spells the usual cases of the scheme.
const BEARER =
  /(\b(?:[Bb]earer|BEARER)(?:[ \t]+|%20))(?![A-Za-z][a-z-]{0,19}[.=]?(?![\w.~+/=-]))([\w.~+/-]+=*)/g;
// `scheme://user:password@host`: everything before the last @ of the authority (a URL has no
// space, quote, angle bracket or backslash there).
const USERINFO = /(:\/\/)([^\s/?#"<>\\]+)@/g;
// `?token=…`, `&api_key=…`, `#access_token=…`, `;x-auth=…`: names that hold secrets, also with a
// prefix (`client_secret`, `x-api-key`).
const QUERY_SECRET =
  /([?&;#](?:[a-z0-9]{1,32}[_.-]){0,3}(?:access_token|token|apikey|api_key|key|password|passwd|pass|pwd|secret|sig|signature|auth)=)([^&#\s"<>\\]+)/gi;

// C0 controls, DEL and the replacement character: decoded bytes that are not text.
const NOT_TEXT = /[\u0000-\u001f\u007f\ufffd]/;

/**
 * Mask every credential written in a recognisable form: Authorization header values, `Basic`
 * values that decode to `user:password`, `Bearer` tokens, URL userinfo and query parameters named
 * like secrets. The names stay (`Basic ***`, `https://***@host`, `?token=***`).
 */
export function maskCredentialForms(text: string, mask: string): string {
  return maskBasicValues(text, mask)
    .replace(AUTHORIZATION, (_m, head: string, scheme = '') => head + scheme + mask)
    .replace(BEARER, `$1${mask}`)
    .replace(USERINFO, `$1${mask}@`)
    .replace(QUERY_SECRET, `$1${mask}`);
}

/**
 * Mask each `Basic` value that is a credential. After one that is not, look again right behind
 * the word Basic: the value may be the word `Basic` itself, with the credential after it.
 */
function maskBasicValues(text: string, mask: string): string {
  let out = '';
  let done = 0;
  BASIC.lastIndex = 0;
  for (let found = BASIC.exec(text); found; found = BASIC.exec(text)) {
    const head = found[1]!;
    if (!isBasicValue(found[2]!)) {
      BASIC.lastIndex = found.index + head.length;
      continue;
    }
    out += text.slice(done, found.index) + head + mask;
    done = BASIC.lastIndex;
  }
  return out + text.slice(done);
}

/**
 * Whether a `Basic` value is base64 of `user:password`: text with a colon. A value cut short
 * still counts as soon as it reaches the colon (before it, only the user name is there).
 */
function isBasicValue(value: string): boolean {
  const decoded = Buffer.from(value, 'base64')
    .toString('utf8')
    .replace(/\ufffd+$/, '');
  return decoded.includes(':') && !NOT_TEXT.test(decoded);
}
