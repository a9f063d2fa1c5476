import { readFile, stat } from "node:fs/promises";
import { Reader } from "./onnx-proto";

/**
 * Reads the initializer tensors' names, types and shapes from an ONNX file without loading it
 * into onnxruntime, which has no API for them. Only the few protobuf fields needed are decoded:
 * ModelProto.graph (7) -> GraphProto.initializer (5) -> TensorProto dims (1), data_type (2),
 * name (8). Weight bytes are skipped, so external-data models work too.
 */
export type InitializerInfo = { name: string; dataType: number; dims: number[] };

const FLOAT_TYPES = new Set([1, 10, 11, 16]); // FLOAT, FLOAT16, DOUBLE, BFLOAT16

function readTensor(buf: Uint8Array, start: number, end: number): InitializerInfo {
  const info: InitializerInfo = { name: "", dataType: 0, dims: [] };
  new Reader(buf, start, end).fields((field, wire, s, e) => {
    if (field === 1 && wire === 0) info.dims.push(new Reader(buf, s, e).varint());
    if (field === 1 && wire === 2) {
      const packed = new Reader(buf, s, e);
      while (packed.pos < e) info.dims.push(packed.varint());
    }
    if (field === 2 && wire === 0) info.dataType = new Reader(buf, s, e).varint();
    if (field === 8 && wire === 2) info.name = Buffer.from(buf.subarray(s, e)).toString("utf8");
  });
  return info;
}

export function parseInitializers(buf: Uint8Array): InitializerInfo[] {
  const out: InitializerInfo[] = [];
  new Reader(buf).fields((field, wire, gs, ge) => {
    if (field !== 7 || wire !== 2) return;
    new Reader(buf, gs, ge).fields((f, w, s, e) => {
      if (f === 5 && w === 2) out.push(readTensor(buf, s, e));
    });
  });
  return out;
}

const counted = new Map<string, Promise<number>>();

/**
 * Number of floating-point weights stored as initializers in one ONNX file. Remembered per file
 * version (path, size, mtime): every generation batch looks its model up again, and a
 * manifest-less export is hundreds of MB to read.
 */
export async function countOnnxParameters(file: string): Promise<number> {
  const { size, mtimeMs } = await stat(file);
  const key = `${file}\0${size}\0${mtimeMs}`;
  let count = counted.get(key);
  if (!count) {
    count = readFile(file).then((buf) =>
      parseInitializers(buf)
        .filter((i) => FLOAT_TYPES.has(i.dataType))
        .reduce((sum, i) => sum + i.dims.reduce((a, b) => a * b, 1), 0),
    );
    count.catch(() => counted.delete(key));
    counted.set(key, count);
  }
  return count;
}
