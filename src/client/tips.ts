// Tooltips stay inside the viewport: one near the right edge opens to the left.

/** Place the tooltip of a trigger being shown. */
function place(tip: Element): void {
  tip.classList.remove('tip-left');
  const bubble = tip.querySelector<HTMLElement>(':scope > [role="tooltip"]');
  if (!bubble) return;
  if (bubble.getBoundingClientRect().right > document.documentElement.clientWidth - 4)
    tip.classList.add('tip-left');
}

/** Watch hover and keyboard focus on every tooltip trigger of the page. */
export function watchTooltips(): void {
  const handler = (event: Event) => {
    const tip = (event.target as Element | null)?.closest?.('.tip');
    if (tip) place(tip);
  };
  document.addEventListener('mouseover', handler);
  document.addEventListener('focusin', handler);
}
