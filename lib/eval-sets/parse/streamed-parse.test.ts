import { describe, expect, it } from "vitest";
import { createEvalSetParser, parseEvalSetFile, parseEvalSetStream } from "./parse-eval-set-upload";
import type { ParsedRow } from "./schemas";

const enc = (s: string) => new TextEncoder().encode(s);

/** Parses `bytes` pushed in pieces of `size` bytes, keeping the rows. */
function inPieces(filename: string, bytes: Uint8Array, size: number) {
  const rows: ParsedRow[] = [];
  const parser = createEvalSetParser({ filename, totalBytes: bytes.length, onRow: (r) => rows.push(r) });
  for (let at = 0; at < bytes.length; at += size) parser.push(bytes.slice(at, at + size));
  return { ...parser.end(), rows };
}

describe("a file parsed as it arrives, in chunks", () => {
  // Chunk edges fall inside \r\n pairs, inside a quoted value spanning lines, inside a two-byte
  // "é" and a four-byte emoji, and inside a line with invalid bytes.
  const csv = new Uint8Array([
    ...enc('\uFEFFid,source,output:a\r\n1,"Caf\u00e9, two\r\nlines",x\r\n2,Plain \u{1F600} row,y\r'),
    ...enc("3,Bad "),
    0xff,
    ...enc(" byte,z\n\n4,Last,w"),
  ]);
  const jsonl = enc('{"id":"1","source":"Caf\u00e9"}\r\n{"id":"2","source":"\u{1F600}"}\n{bad\n{"source":"x"}');

  it.each([1, 2, 3, 7, 64])("reads the same rows and problems whatever the chunk size (%i bytes)", (size) => {
    for (const [filename, bytes] of [
      ["set.csv", csv],
      ["set.jsonl", jsonl],
    ] as const)
      expect(inPieces(filename, bytes, size)).toEqual(parseEvalSetFile({ filename, bytes }));
  });

  it("keeps line numbers, multi-line values and invalid bytes where an editor shows them", () => {
    const p = parseEvalSetFile({ filename: "set.csv", bytes: csv });
    expect(p.rows.map((r) => [r.line, r.source])).toEqual([
      [2, "Caf\u00e9, two\nlines"],
      [4, "Plain \u{1F600} row"],
      [5, "Bad \ufffd byte"],
      [7, "Last"],
    ]);
    expect(p.problems.map((x) => [x.line, x.code])).toEqual([[5, "invalid_utf8"]]);
  });

  it("hands each row over as it is read, with its errors, from a Blob streamed in slices", async () => {
    const rows = 8000; // about 160 KB: more than two 64 KB slices
    const text =
      "id,source\n" + Array.from({ length: rows }, (_, i) => `${i},Sentence ${i}.`).join("\n") + "\n1,Again.\n";
    const seen: [number, number][] = [];
    const rowsAtChunk: number[] = [];
    const summary = await parseEvalSetStream({
      filename: "set.csv",
      body: new Blob([enc(text)]), // an in-memory Blob streams as one chunk: it must still be cut
      onRow: (row, errors) => seen.push([row.line, errors.length]),
      afterChunk: () => void rowsAtChunk.push(seen.length),
    });
    expect(rowsAtChunk.length).toBeGreaterThan(2);
    expect(rowsAtChunk[0]).toBeLessThan(rows / 2); // rows were handed over before the file was read
    expect(seen).toHaveLength(rows + 1);
    expect(seen.at(-1)).toEqual([rows + 2, 1]); // id 1 again: a duplicate id, an error on that row
    expect([...summary.rowErrorLines]).toEqual([rows + 2]);
  });
});
