/**
 * Readers of the long texts loadRatingColumns gets from Postgres in place of rows: integer
 * codes and Rating.scores as jsonb text. Hand-written for speed: they run over every rating of
 * a study (100,000 in the benchmark) on the results page's hot path.
 */

/** Reads comma-separated non-negative integers into `out`; returns how many were read. */
export function parseIntegers(text: string, out: Float64Array): number {
  let n = 0;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d >= 0 && d <= 9) value = value * 10 + d;
    else {
      out[n++] = value;
      value = 0;
    }
  }
  if (text.length) out[n++] = value;
  return n;
}

/**
 * Reads Rating.scores texts (jsonb output, one per rating, separated by \x1e) into per-criterion
 * left and right columns, leaving NaN where a value is missing or not a number. The usual
 * shape, {"key": {"left": 4, "right": 3}, ...}, is scanned in place; anything else goes through
 * JSON.parse with the same rules as the row path (typeof value === "number").
 */
export function readScores(args: {
  text: string;
  criteria: readonly string[];
  left: Float64Array[];
  right: Float64Array[];
}) {
  const { text, left, right } = args;
  const index = new Map(args.criteria.map((k, c) => [k, c]));
  const number = (from: number, to: number) => {
    let value = 0;
    for (let i = from; i < to; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return Number(text.slice(from, to));
      value = value * 10 + d;
    }
    return to - from < 16 ? value : Number(text.slice(from, to));
  };
  // Scans one record; false when it is not of the usual shape (nothing was written then).
  const scan = (start: number, end: number, r: number): boolean => {
    let pos = start;
    if (text.charCodeAt(pos++) !== 123 /* { */) return false;
    if (text.charCodeAt(pos) === 125 /* } */) return pos + 1 === end;
    const found: number[] = [];
    for (;;) {
      if (text.charCodeAt(pos) !== 34 /* " */) return false;
      const keyEnd = text.indexOf('"', pos + 1);
      if (keyEnd < 0 || keyEnd >= end) return false;
      const key = text.slice(pos + 1, keyEnd);
      if (key.includes("\\")) return false;
      const c = index.get(key);
      pos = keyEnd + 1;
      if (text.charCodeAt(pos) !== 58 /* : */ || text.charCodeAt(pos + 1) !== 32 || text.charCodeAt(pos + 2) !== 123)
        return false;
      pos += 3;
      if (text.charCodeAt(pos) === 125) pos++;
      else {
        for (;;) {
          if (text.charCodeAt(pos) !== 34) return false;
          const innerEnd = text.indexOf('"', pos + 1);
          if (innerEnd < 0 || innerEnd >= end) return false;
          const side = text.slice(pos + 1, innerEnd);
          pos = innerEnd + 1;
          if (text.charCodeAt(pos) !== 58 || text.charCodeAt(pos + 1) !== 32) return false;
          pos += 2;
          const first = text.charCodeAt(pos);
          if (!(first === 45 || (first >= 48 && first <= 57))) return false;
          let stop = pos;
          while (stop < end && text.charCodeAt(stop) !== 44 && text.charCodeAt(stop) !== 125) stop++;
          if (c !== undefined && (side === "left" || side === "right"))
            found.push(c, side === "left" ? 0 : 1, number(pos, stop));
          pos = stop;
          if (text.charCodeAt(pos) === 125) {
            pos++;
            break;
          }
          if (text.charCodeAt(pos + 1) !== 32) return false;
          pos += 2;
        }
      }
      if (text.charCodeAt(pos) === 125) {
        if (pos + 1 !== end) return false;
        break;
      }
      if (text.charCodeAt(pos) !== 44 || text.charCodeAt(pos + 1) !== 32) return false;
      pos += 2;
    }
    for (let j = 0; j < found.length; j += 3) (found[j + 1] === 0 ? left : right)[found[j]][r] = found[j + 2];
    return true;
  };
  let r = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf("\x1e", start);
    if (end < 0) end = text.length;
    if (!scan(start, end, r)) {
      const scores = JSON.parse(text.slice(start, end)) as Record<
        string,
        { left?: unknown; right?: unknown } | null
      > | null;
      args.criteria.forEach((key, c) => {
        const score = scores?.[key];
        if (!score) return;
        if (typeof score.left === "number") left[c][r] = score.left;
        if (typeof score.right === "number") right[c][r] = score.right;
      });
    }
    r++;
    start = end + 1;
  }
}
