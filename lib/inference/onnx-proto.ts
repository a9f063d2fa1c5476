/**
 * The few protobuf pieces the runner needs to read and extend ONNX files (ModelProto,
 * GraphProto, NodeProto, ValueInfoProto) without a protobuf library: onnxruntime-node has no
 * API for a graph's structure, and only a handful of fields are ever touched.
 */

/** Reads the fields of one protobuf message in buf[start, end). */
export class Reader {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  varint(): number {
    let result = 0;
    let shift = 1;
    for (;;) {
      const byte = this.buf[this.pos++];
      if (byte === undefined) throw new Error("truncated ONNX protobuf");
      result += (byte & 0x7f) * shift;
      if (byte < 0x80) return result;
      shift *= 128;
    }
  }

  /** Calls fn(field, wireType, start, end) for each field; end is for length-delimited ones. */
  fields(fn: (field: number, wire: number, start: number, end: number) => void): void {
    while (this.pos < this.end) {
      const key = this.varint();
      const field = Math.floor(key / 8);
      const wire = key & 7;
      if (wire === 0) {
        const start = this.pos;
        this.varint();
        fn(field, wire, start, this.pos);
      } else if (wire === 2) {
        const len = this.varint();
        const start = this.pos;
        this.pos += len;
        fn(field, wire, start, this.pos);
      } else if (wire === 1) {
        this.pos += 8;
      } else if (wire === 5) {
        this.pos += 4;
      } else {
        throw new Error(`unsupported protobuf wire type ${wire}`);
      }
    }
  }
}

export function utf8(buf: Uint8Array, start: number, end: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString("utf8");
}

/** Base-128 varint of a non-negative integer, or of a negative one as int64 two's complement. */
export function varint(n: number): number[] {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  while (v > 127n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

export const text = (s: string) => Array.from(Buffer.from(s, "utf8"));
/** A length-delimited field (strings, bytes, embedded messages). */
export const field = (num: number, bytes: ArrayLike<number>) => [
  ...varint(num * 8 + 2),
  ...varint(bytes.length),
  ...Array.from(bytes),
];
/** A varint field. */
export const intField = (num: number, value: number) => [...varint(num * 8), ...varint(value)];

export const FLOAT = 1;
export const INT64 = 7;

/** ValueInfoProto of a tensor (float32 unless said); dims are symbolic names, or none for an unknown shape. */
export function tensorInfo(name: string, dims?: string[], elemType = FLOAT): number[] {
  const dim = (param: string) => field(1, field(2, text(param))); // TensorShapeProto.dim { dim_param }
  const shape = dims ? field(2, dims.flatMap(dim)) : [];
  const tensorType = [...intField(1, elemType), ...shape]; // elem_type, shape
  return [...field(1, text(name)), ...field(2, field(1, tensorType))]; // name, type { tensor_type }
}
