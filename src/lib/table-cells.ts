// The containers table's cells as markup (see html.ts for why not components): the CVE badges,
// the Update column, the anchor icon and the tooltip they share. Styles: styles/containers.css
// and global.css (.tip).
import type { Security, SiteModel, Update } from '../../pipeline/site/model/index.ts';
import { attrs, safeHtml, type Markup } from './html.ts';
import { formatExact } from './time.ts';

/** A badge severity: one badge in the CVE cell, one column or filter option. */
export type SeverityColumn = SiteModel['vocabulary']['badgeSeverities'][number];

interface Tip {
  id: string;
  text: string;
  class?: string | undefined;
  label?: string | undefined;
}

/** A focusable trigger with a tooltip that hover, keyboard focus and screen readers all reach. */
export function tooltip(tip: Tip, trigger: Markup | string): Markup {
  const triggerAttrs = attrs({
    class: tip.class,
    // A name on a span needs a role (ARIA forbids aria-label on a generic element).
    role: tip.label === undefined ? undefined : 'img',
    tabindex: 0,
    'aria-describedby': tip.id,
    'aria-label': tip.label,
  });
  return safeHtml`<span class="tip"><span${triggerAttrs}>${trigger}</span><span role="tooltip" id="${tip.id}">${tip.text}</span></span>`;
}

const FAILED = 'Scan failed – image may be inaccessible';
const STATE_WORDS = {
  pending: { short: 'pending', long: 'Scan pending: queued in a scan that was running' },
  not_scanned: { short: 'not scanned', long: 'Not scanned' },
  skipped: { short: 'skipped', long: 'Skipped' },
} as const;

/**
 * The CVE cell: four severity badges (all green only when scanned clean), or the failed /
 * pending / not-scanned / skipped state, each visibly distinct and described in words.
 */
export function securityCell(s: Security, id: string, severities: SeverityColumn[]): Markup {
  if (s.state === 'scanned') {
    const badges = severities.map(({ key, letter, label }) => {
      const tone = s.clean ? 'vuln-clean' : s.counts[key] > 0 ? `sev-${key}` : 'vuln-zero';
      const n = s.counts[key];
      return safeHtml`<span class="badge ${tone}" title="${label}: ${n}">${letter} ${n}</span>`;
    });
    // Findings Trivy gives no severity: counted, never dropped from the row (no summary card).
    const u = s.counts.unknown;
    const unknown =
      u > 0 &&
      safeHtml`<span class="badge sev-unknown" title="Unknown severity: ${u}">U ${u}</span>`;
    const eosl =
      s.os?.eosl &&
      safeHtml`<span class="eosl" title="${s.os.family} ${s.os.name} is out of support: it gets no security fixes any more">OS end-of-life</span>`;
    return safeHtml`<span class="badges" data-clean="${String(s.clean)}">${badges}${unknown}</span>${eosl}`;
  }
  if (s.state === 'failed') {
    const retry = s.retryAfter ? `\nNot retried before ${formatExact(s.retryAfter)}` : '';
    const text = `${FAILED}\n${s.code}: ${s.message}${retry}`;
    const tip = tooltip(
      { id: `${id}-failed`, text, class: 'scan-failed', label: 'Scan failed' },
      '×',
    );
    return safeHtml`${tip}<span class="failed-word">scan failed · ${s.code}</span>`;
  }
  const words = STATE_WORDS[s.state];
  const text = s.state === 'pending' ? words.long : `${words.long}: ${s.reason}`;
  return tooltip({ id: `${id}-${s.state}`, text, class: `scan-state ${s.state}` }, words.short);
}

/**
 * The Update column: ↑ when the registry has a newer image (amber on anchors: it affects their
 * dependents), ✓ when current, ? with the reason when unknown, and plain words when not recorded.
 */
export function updateCell(u: Update, image: string, id: string): Markup {
  if (u.state === 'available') {
    const available = `Update available: the registry has a newer image for ${image}`;
    return tooltip(
      {
        id: `${id}-update`,
        text: u.anchorWarning ? `${u.anchorWarning}\n${available}` : available,
        class: u.anchorWarning ? 'update-arrow anchor-warning' : 'update-arrow',
        label: u.anchorWarning ?? 'Update available',
      },
      '↑ update',
    );
  }
  if (u.state === 'current') {
    const checked = formatExact(u.checkedAt);
    return safeHtml`<span class="update-current" title="Up to date with the registry (checked ${checked})">✓ current</span>`;
  }
  if (u.state === 'unknown') {
    const text = `Update state unknown: ${u.reason}`;
    const tip = {
      id: `${id}-update`,
      text,
      class: 'update-unknown',
      label: 'Update state unknown',
    };
    return tooltip(tip, '?');
  }
  return safeHtml`<span class="muted">not checked</span>`;
}

const CHAIN_LINK = safeHtml`<svg viewBox="0 0 24 24" width="14" height="14" aria-hidden="true" focusable="false"><path d="M10 14a5 5 0 0 0 7.07 0l3-3a5 5 0 0 0-7.07-7.07l-1.5 1.5M14 10a5 5 0 0 0-7.07 0l-3 3a5 5 0 0 0 7.07 7.07l1.5-1.5" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"></path></svg>`;

/** Chain-link icon for anchors: containers others depend on. */
export function anchorIcon(id: string, dependents: string[]): Markup {
  const n = dependents.length;
  const text = `Anchor: ${n} dependent${n === 1 ? '' : 's'}${n ? ` (${dependents.join(', ')})` : ''}`;
  return tooltip({ id: `${id}-anchor`, text, class: 'anchor-icon', label: 'Anchor' }, CHAIN_LINK);
}
