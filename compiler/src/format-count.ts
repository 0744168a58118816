// Counts for people: `100,480`. Written out rather than with toLocaleString('en-US'):
// its first call sets up ICU's number formatting (~7 ms), which the catalogue paid
// while loading, in every `regnetc check` and language server start.

/** `100,480`; the same text as `n.toLocaleString('en-US')`. */
export function formatCount(n: number): string {
  // Fractions and huge values keep ICU's rounding; -0 its sign.
  if (!Number.isSafeInteger(n) || Object.is(n, -0)) return n.toLocaleString('en-US');
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}
