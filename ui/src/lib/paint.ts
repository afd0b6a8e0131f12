/** Runs `f` after the next frame is drawn (soon after, where nothing is drawn, as in tests). */
export function afterPaint(f: () => void) {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(f, 0));
  else setTimeout(f, 0);
}
