import { open, readFile } from "node:fs/promises";
import path from "node:path";
import { Reader, utf8 } from "./onnx-proto";

/**
 * Reads the initializer tensors of an ONNX file without loading it into onnxruntime, which has
 * no API for them: names, types, shapes and a fingerprint of their values. Only the few protobuf
 * fields needed are decoded: ModelProto.graph (7) -> GraphProto.initializer (5) and, for the
 * If/Loop branches of a merged decoder, GraphProto.node (1) -> NodeProto.attribute (5) ->
 * AttributeProto.g (6) / graphs (11), recursively. TensorProto: dims (1), data_type (2),
 * float_data (4), int32_data (5), name (8), raw_data (9), external_data (13), data_location (14).
 */
export type InitializerInfo = {
  name: string;
  dataType: number;
  dims: number[];
  /**
   * Independent of element order (a transposed copy of a tied weight gets the same one): the
   * count, sum, sum of squares, minimum and maximum of the values. null when the values could not
   * be read.
   */
  fingerprint: string | null;
  /** Every value equal: the fingerprint cannot tell two such tensors apart. */
  isConstant: boolean;
  /** Count, sum, sum of squares, min and max of the values (null when unread). */
  stats: Stats | null;
};

export type Stats = { n: number; sum: number; squares: number; min: number; max: number };

export const FLOAT = 1;
export const UINT8 = 2;
export const INT8 = 3;
export const FLOAT16 = 10;
export const DOUBLE = 11;
export const BFLOAT16 = 16;
/** Types that hold weights: floats, and the 8-bit integers of quantized weights. */
export const WEIGHT_TYPES = new Set([FLOAT, FLOAT16, DOUBLE, BFLOAT16, INT8, UINT8]);
const BYTES: Record<number, number> = { [FLOAT]: 4, [UINT8]: 1, [INT8]: 1, [FLOAT16]: 2, [DOUBLE]: 8, [BFLOAT16]: 2 };

type RawTensor = {
  info: Omit<InitializerInfo, "fingerprint" | "isConstant" | "stats">;
  raw: Uint8Array | null;
  floats: number[];
  ints: number[];
  external: { location: string; offset: number; length: number } | null;
};

function readTensor(buf: Uint8Array, start: number, end: number): RawTensor {
  const t: RawTensor = { info: { name: "", dataType: 0, dims: [] }, raw: null, floats: [], ints: [], external: null };
  const ext: Record<string, string> = {};
  new Reader(buf, start, end).fields((field, wire, s, e) => {
    if (field === 1 && wire === 0) t.info.dims.push(new Reader(buf, s, e).varint());
    if (field === 1 && wire === 2) {
      const packed = new Reader(buf, s, e);
      while (packed.pos < e) t.info.dims.push(packed.varint());
    }
    if (field === 2 && wire === 0) t.info.dataType = new Reader(buf, s, e).varint();
    if (field === 4 && wire === 2) {
      const view = new DataView(buf.buffer, buf.byteOffset + s, e - s);
      for (let o = 0; o + 4 <= e - s; o += 4) t.floats.push(view.getFloat32(o, true));
    }
    if (field === 5 && wire === 2) {
      const packed = new Reader(buf, s, e);
      while (packed.pos < e) t.ints.push(packed.varint());
    }
    if (field === 8 && wire === 2) t.info.name = utf8(buf, s, e);
    if (field === 9 && wire === 2) t.raw = buf.subarray(s, e);
    if (field === 13 && wire === 2) {
      let key = "";
      let value = "";
      new Reader(buf, s, e).fields((f, w, ss, ee) => {
        if (f === 1 && w === 2) key = utf8(buf, ss, ee);
        if (f === 2 && w === 2) value = utf8(buf, ss, ee);
      });
      ext[key] = value;
    }
  });
  if (ext.location)
    t.external = { location: ext.location, offset: Number(ext.offset ?? 0), length: Number(ext.length ?? -1) };
  return t;
}

/** The initializers of a graph and of every subgraph inside its nodes' attributes. */
function collect(buf: Uint8Array, start: number, end: number, out: RawTensor[]): void {
  new Reader(buf, start, end).fields((f, w, s, e) => {
    if (w !== 2) return;
    if (f === 5) out.push(readTensor(buf, s, e));
    if (f === 1) {
      new Reader(buf, s, e).fields((nf, nw, ns, ne) => {
        if (nf !== 5 || nw !== 2) return;
        new Reader(buf, ns, ne).fields((af, aw, as, ae) => {
          if ((af === 6 || af === 11) && aw === 2) collect(buf, as, ae, out);
        });
      });
    }
  });
}

function rawInitializers(buf: Uint8Array): RawTensor[] {
  const out: RawTensor[] = [];
  new Reader(buf).fields((field, wire, gs, ge) => {
    if (field === 7 && wire === 2) collect(buf, gs, ge, out);
  });
  return out;
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

/** The values of a tensor as numbers, or null when they are not stored in a way read here. */
function values(t: RawTensor, bytes: Uint8Array | null): ArrayLike<number> | null {
  const type = t.info.dataType;
  if (bytes) {
    // Views where the bytes allow (a real model's weights are hundreds of MB): a copy only to align
    // (new Uint8Array(view) copies; Buffer's slice would not)
    const size = BYTES[type] ?? 1;
    const src = bytes.byteOffset % size === 0 ? bytes : new Uint8Array(bytes);
    const n = Math.floor(src.byteLength / size);
    if (type === FLOAT) return new Float32Array(src.buffer, src.byteOffset, n);
    if (type === DOUBLE) return new Float64Array(src.buffer, src.byteOffset, n);
    if (type === INT8) return new Int8Array(src.buffer, src.byteOffset, n);
    if (type === UINT8) return src;
    const halves = new Uint16Array(src.buffer, src.byteOffset, n);
    const out = new Float32Array(n);
    const bits = new Uint32Array(out.buffer);
    for (let i = 0; i < n; i++) {
      if (type === BFLOAT16) bits[i] = halves[i] << 16;
      else out[i] = halfToFloat(halves[i]);
    }
    return out;
  }
  if (t.floats.length > 0) return t.floats;
  if (t.ints.length > 0) return t.ints;
  return null;
}

type Summary = Pick<InitializerInfo, "fingerprint" | "isConstant" | "stats">;
const UNREAD: Summary = { fingerprint: null, isConstant: false, stats: null };

function fingerprint(v: ArrayLike<number> | null, type: number): Summary {
  if (!v || v.length === 0) return UNREAD;
  let sum = 0;
  let squares = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    sum += x;
    squares += x * x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  // 12 significant digits: the order of summation (a transposed copy) moves only the last bits
  const p = (x: number) => (x === 0 ? "0" : x.toPrecision(12));
  return {
    fingerprint: [type, v.length, p(sum), p(squares), min, max].join("|"),
    isConstant: min === max,
    stats: { n: v.length, sum, squares, min, max },
  };
}

async function readExternal(file: string, ext: NonNullable<RawTensor["external"]>): Promise<Uint8Array | null> {
  const handle = await open(path.join(path.dirname(file), ext.location), "r").catch(() => null);
  if (!handle) return null;
  try {
    const length = ext.length >= 0 ? ext.length : (await handle.stat()).size - ext.offset;
    const out = new Uint8Array(length);
    await handle.read(out, 0, length, ext.offset);
    return out;
  } finally {
    await handle.close();
  }
}

/** Every initializer of an ONNX file (subgraphs included), with the fingerprint of its values. */
export async function readInitializers(file: string): Promise<InitializerInfo[]> {
  const buf = await readFile(file);
  const out: InitializerInfo[] = [];
  for (const t of rawInitializers(buf)) {
    const isWeight = WEIGHT_TYPES.has(t.info.dataType);
    const bytes = isWeight ? (t.external ? await readExternal(file, t.external) : t.raw) : null;
    out.push({ ...t.info, ...(isWeight ? fingerprint(values(t, bytes), t.info.dataType) : UNREAD) });
  }
  return out;
}

/** Names, types and shapes only (no values read): what the tests and the graph rewriter need. */
export function parseInitializers(buf: Uint8Array): Omit<InitializerInfo, keyof Summary>[] {
  return rawInitializers(buf).map((t) => t.info);
}
