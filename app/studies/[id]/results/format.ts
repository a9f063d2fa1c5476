/** Number formats shared by the results page and the printable report. */
export const num = (x: number, digits = 2) => x.toFixed(digits);
export const pct = (x: number | null, digits = 0) => (x === null ? "–" : `${(100 * x).toFixed(digits)}%`);
export const ci = (lo: number | null, hi: number | null, digits = 2) =>
  lo === null || hi === null ? "no CI" : `[${lo.toFixed(digits)}, ${hi.toFixed(digits)}]`;
export function pValue(p: number | null | undefined): string {
  if (p === null || p === undefined) return "–";
  return p < 0.001 ? "< 0.001" : p.toFixed(3);
}
export const ms = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(x < 10 ? 2 : 0)} ms`);
export function count(x: number): string {
  if (x >= 1e9) return `${(x / 1e9).toFixed(2)} B`;
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)} M`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(1)} k`;
  return String(x);
}
export const bytes = (x: number) =>
  x >= 1e9 ? `${(x / 1e9).toFixed(2)} GB` : x >= 1e6 ? `${(x / 1e6).toFixed(1)} MB` : `${(x / 1e3).toFixed(0)} kB`;
