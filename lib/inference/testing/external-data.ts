import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Reader, varint } from "../onnx-proto";

/**
 * Writes an ONNX file the way exporters do past 2 GB: every initializer's bytes moved to
 * `<name>_data` beside it (TensorProto.external_data = location/offset/length, data_location =
 * EXTERNAL), so that tests can run the external-data layout on small real exports.
 */
export function writeWithExternalData(src: string, dst: string): void {
  const model = readFileSync(src);
  const dataName = `${path.basename(dst)}_data`;
  const chunks: Uint8Array[] = [];
  let offset = 0;

  const bytesField = (num: number, bytes: Uint8Array | number[]) => [
    ...varint(num * 8 + 2),
    ...varint(bytes.length),
    ...Array.from(bytes),
  ];
  const str = (s: string) => Array.from(Buffer.from(s, "utf8"));
  const entry = (k: string, v: string) => bytesField(13, [...bytesField(1, str(k)), ...bytesField(2, str(v))]);

  /** Re-encodes a message field by field, letting `edit` replace some fields. */
  const copy = (
    buf: Uint8Array,
    start: number,
    end: number,
    edit: (f: number, s: number, e: number) => number[] | null,
  ) => {
    const out: number[] = [];
    new Reader(buf, start, end).fields((f, wire, s, e) => {
      const replaced = wire === 2 ? edit(f, s, e) : null;
      if (replaced) out.push(...replaced);
      else if (wire === 2) out.push(...bytesField(f, buf.subarray(s, e)));
      else out.push(...varint(f * 8 + wire), ...Array.from(buf.subarray(s, e)));
    });
    return out;
  };

  const tensor = (s: number, e: number) => {
    let raw: Uint8Array | null = null;
    const rest = copy(model, s, e, (f, ss, ee) => {
      if (f !== 9) return null;
      raw = model.subarray(ss, ee);
      return [];
    });
    if (!raw) return bytesField(5, rest);
    const data = raw as Uint8Array;
    const ext = [
      ...entry("location", dataName),
      ...entry("offset", String(offset)),
      ...entry("length", String(data.length)),
      ...varint(14 * 8),
      ...varint(1),
    ];
    chunks.push(data);
    offset += data.length;
    return bytesField(5, [...rest, ...ext]);
  };
  const graph = (s: number, e: number) =>
    bytesField(
      7,
      copy(model, s, e, (f, ss, ee) => (f === 5 ? tensor(ss, ee) : null)),
    );
  const out = copy(model, 0, model.length, (f, s, e) => (f === 7 ? graph(s, e) : null));
  writeFileSync(dst, Uint8Array.from(out));
  writeFileSync(path.join(path.dirname(dst), dataName), Buffer.concat(chunks));
}
