import { describe, expect, it } from "vitest";
import { parseEvalSetFile, parseEvalSetUpload } from "./parse-eval-set-upload";
import { selectImportableRows } from "./select-importable-rows";

const parse = (filename: string, text: string) => parseEvalSetFile({ filename, bytes: new TextEncoder().encode(text) });

describe("selectImportableRows", () => {
  it("imports every row when there are no errors (warnings do not block)", () => {
    const parsed = parse("set.csv", "source\nsame\nsame\nother\n");
    expect(parsed.warningCount).toBe(1);
    const result = selectImportableRows(parsed, { dropBadRows: false });
    expect(result).toMatchObject({ ok: true, importedCount: 3, droppedCount: 0, droppedLines: [] });
  });

  it("is all-or-nothing unless dropBadRows", () => {
    const parsed = parse("set.csv", "id,source\n1,a\n2,\n1,c\n4,d\n");
    const blocked = selectImportableRows(parsed, { dropBadRows: false });
    expect(blocked).toMatchObject({
      ok: false,
      errorCount: 2,
      reason: "2 row errors found. Fix them, or choose to import without the rows that have errors.",
    });
    const dropped = selectImportableRows(parsed, { dropBadRows: true });
    expect(dropped).toMatchObject({ ok: true, importedCount: 2, droppedCount: 2, droppedLines: [3, 4] });
    if (dropped.ok) expect(dropped.rows.map((r) => r.source)).toEqual(["a", "d"]);
  });

  it("drops a JSONL line that is not valid JSON when asked", () => {
    const parsed = parse("set.jsonl", '{"source":"a"}\n{"source":\n{"source":"c"}\n');
    expect(selectImportableRows(parsed, { dropBadRows: false }).ok).toBe(false);
    const result = selectImportableRows(parsed, { dropBadRows: true });
    expect(result).toMatchObject({ ok: true, importedCount: 2, droppedCount: 1, droppedLines: [2] });
  });

  it("blocks when the CSV header has invalid UTF-8, even with dropBadRows", () => {
    const enc = (s: string) => [...new TextEncoder().encode(s)];
    const bytes = new Uint8Array([...enc("source,note"), 0xff, ...enc("\na,b\n")]);
    const parsed = parseEvalSetFile({ filename: "set.csv", bytes });
    expect(parsed.problems.find((p) => p.code === "invalid_utf8")).toMatchObject({ line: 1 });
    expect(selectImportableRows(parsed, { dropBadRows: true })).toMatchObject({ ok: false });
  });

  it("never imports past a file-level error, even with dropBadRows", () => {
    const parsed = parse("set.csv", 'source\nok\n"broken\n');
    const result = selectImportableRows(parsed, { dropBadRows: true });
    expect(result).toMatchObject({
      ok: false,
      reason: "The file has problems that affect every row; fix them and upload it again.",
    });
    if (!result.ok) expect(result.blockingProblems[0].code).toBe("malformed_csv");
  });

  it("refuses a truncated preview so rows are not silently lost", () => {
    const csv = "source\n" + Array.from({ length: 25 }, (_, i) => `s${i}`).join("\n");
    const preview = parseEvalSetUpload({ filename: "set.csv", bytes: new TextEncoder().encode(csv) });
    expect(() => selectImportableRows(preview, { dropBadRows: false })).toThrow(
      "pass the result of parseEvalSetFile, not the preview",
    );
  });
});
