/**
 * Readers of the long texts loadRatingColumns gets from Postgres in place of rows: integer
 * codes (with each rating's ctid) and the criteria's score values as jsonb texts. Hand-written
 * for speed: they run over every rating of a study (100,000 in the benchmark) on the results
 * page's hot path. readScores reads whole Rating.scores texts, which the load sent until it
 * picked the values out in SQL.
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

/** Reads the codes text: comma-separated non-negative integers, a ctid "(block,offset)" as two. */
export function parseCodes(text: string, out: Float64Array): number {
  let n = 0;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch >= 48 && ch <= 57) value = value * 10 + ch - 48;
    else if (ch === 44 /* , */ && text.charCodeAt(i - 1) !== 41 /* ) */) {
      out[n++] = value;
      value = 0;
    } else if (ch === 41) {
      out[n++] = value;
      value = 0;
    }
  }
  if (text.length) out[n++] = value;
  return n;
}

/**
 * Arrival positions sorted by (block, offset): the identity when the scan already gave that
 * order, one linear merge when the rows came as two runs in that order (a load in two halves).
 */
export function physicalOrder(codes: Float64Array, n: number, fields: number): Int32Array {
  const order = new Int32Array(n);
  // Offsets are below 2^16 (a heap page holds at most a few hundred tuples).
  const key = (j: number) => codes[j * fields] * 65536 + codes[j * fields + 1];
  let descents = 0;
  let second = n;
  for (let j = 0; j < n; j++) {
    order[j] = j;
    if (j > 0 && key(j) < key(j - 1)) {
      descents++;
      second = j;
    }
  }
  if (descents === 0) return order;
  if (descents > 1) return order.sort((x, y) => key(x) - key(y));
  // Two ascending runs, [0, second) and [second, n): merged, the first run winning ties.
  let i = 0;
  let j = second;
  for (let k = 0; k < n; k++) order[k] = j >= n || (i < second && key(i) <= key(j)) ? i++ : j++;
  return order;
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

/**
 * Reads a text of JSON values (jsonb output), each ended by \x1f, into columns in turn: value k
 * goes to columns[k % columns.length][floor(k / columns.length)]. A number is read as
 * JSON.parse would; anything else (a string, null, an object, an empty value for a missing
 * key) is NaN, as in the row path (typeof value === "number"). jsonb output escapes control
 * characters inside strings, so \x1f only ever ends a value. Returns how many values were read.
 */
export function readJsonNumbers(text: string, columns: readonly Float64Array[]): number {
  const W = columns.length;
  let k = 0;
  let from = 0;
  for (;;) {
    let end = from;
    while (end < text.length && text.charCodeAt(end) !== 31) end++;
    if (end >= text.length) break;
    if (W) columns[k % W][Math.floor(k / W)] = jsonNumber(text, from, end);
    k++;
    from = end + 1;
  }
  return k;
}

function jsonNumber(text: string, from: number, to: number): number {
  if (from === to) return NaN;
  const first = text.charCodeAt(from);
  // jsonb prints a number as digits with an optional minus sign, point and fraction.
  if (first !== 45 && (first < 48 || first > 57)) return NaN;
  if (to - from < 16) {
    let value = 0;
    let i = from;
    for (; i < to; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      value = value * 10 + d;
    }
    if (i === to) return value;
  }
  return Number(text.slice(from, to));
}
