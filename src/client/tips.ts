// Tooltips stay inside the viewport: one that would cross an edge slides back in, one that would
// open above the top opens below its trigger. The shift is a CSS variable read by phone.css.

const MARGIN = 4;

/** How far a box from `left` to `right` must move to lie within [MARGIN, width − MARGIN]. */
function shiftInto(left: number, right: number, width: number): number {
  if (right - left > width - 2 * MARGIN) return MARGIN - left;
  if (left < MARGIN) return MARGIN - left;
  if (right > width - MARGIN) return width - MARGIN - right;
  return 0;
}

/** Place the tooltip of a trigger being shown. */
function place(tip: HTMLElement): void {
  const bubble = tip.querySelector<HTMLElement>(':scope > [role="tooltip"]');
  if (!bubble) return;
  tip.classList.remove('tip-left', 'tip-below');
  bubble.style.removeProperty('--tip-shift');
  const box = bubble.getBoundingClientRect();
  if (box.width === 0) return;
  if (box.top < MARGIN) tip.classList.add('tip-below');
  const shift = shiftInto(box.left, box.right, document.documentElement.clientWidth);
  if (shift !== 0) bubble.style.setProperty('--tip-shift', `${Math.round(shift)}px`);
}

/** Watch hover, touch and keyboard focus on every tooltip trigger of the page. */
export function watchTooltips(): void {
  const handler = (event: Event) => {
    const tip = (event.target as Element | null)?.closest?.('.tip');
    if (tip instanceof HTMLElement) place(tip);
  };
  document.addEventListener('mouseover', handler);
  document.addEventListener('focusin', handler);
}
