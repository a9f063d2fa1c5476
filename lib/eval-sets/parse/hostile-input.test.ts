import { describe, expect, it } from "vitest";
import { planColumns } from "./columns";
import { MAX_COLUMNS, MAX_JSON_DEPTH } from "./limits";
import { parseEvalSetFile, parseEvalSetUpload } from "./parse-eval-set-upload";

const enc = (s: string) => new TextEncoder().encode(s);
const nested = (depth: number) => `${"[".repeat(depth)}1${"]".repeat(depth)}`;

describe("hostile headers", () => {
  it("refuses a header past the column limit with a message that says the limit, without planning it", () => {
    const header = Array.from({ length: 20_000 }, () => "x").join(",");
    const preview = parseEvalSetUpload({ filename: "wide.csv", bytes: enc(`${header}\nsource\n`) });
    const problem = preview.problems.find((p) => p.code === "too_many_columns");
    expect(problem?.line).toBe(1);
    expect(problem?.message).toBe(
      `The header on line 1 has 20,000 columns; the limit is ${MAX_COLUMNS.toLocaleString("en")}. Keep the source, id, reference and output columns and drop the rest.`,
    );
    expect(preview.rowCount).toBe(0);
  });

  it("gives identical metadata headers distinct keys, also around names that look like suffixes", () => {
    const names = ["source", ...Array.from({ length: MAX_COLUMNS - 4 }, () => "note"), "note_3", "note_2", "note"];
    const keys = planColumns(names, 1)
      .byIndex.filter((c) => c.role === "metadata")
      .map((c) => c.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.slice(0, 3)).toEqual(["note", "note_2", "note_3"]);
  });
});

describe("deeply nested JSONL", () => {
  it.each([5000, 3000, MAX_JSON_DEPTH + 1])(
    "refuses a line nested %i deep with the same line-numbered message in preview and import",
    (depth) => {
      const text = `{"source": "fine"}\n{"source": "deep", "meta": ${nested(depth)}}\n`;
      const preview = parseEvalSetUpload({ filename: "deep.jsonl", bytes: enc(text) });
      const parsed = parseEvalSetFile({ filename: "deep.jsonl", bytes: enc(text) });
      const message = `Line 2 nests objects or arrays more than ${MAX_JSON_DEPTH} levels deep; the limit is ${MAX_JSON_DEPTH}. Flatten its metadata.`;
      expect(preview.problems.find((p) => p.code === "too_deep")?.message).toBe(message);
      expect(parsed.problems.find((p) => p.code === "too_deep")?.message).toBe(message);
      expect(preview.errorCount).toBeGreaterThan(0);
    },
  );

  it("accepts nesting up to the limit, and brackets inside strings do not count", () => {
    const text = `{"source": "ok ${"[".repeat(500)}", "meta": ${nested(MAX_JSON_DEPTH - 1)}}\n`;
    const preview = parseEvalSetUpload({ filename: "ok.jsonl", bytes: enc(text) });
    expect(preview.problems.filter((p) => p.code === "too_deep")).toEqual([]);
    expect(preview.rowCount).toBe(1);
  });
});
