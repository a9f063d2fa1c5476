import { describe, expect, it } from "vitest";
import { uploadedFileProblem } from "./describe-problem";
import { parseEvalSetUpload } from "./parse-eval-set-upload";
import { describeProblem } from "./schemas";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("upload preview notes (problems found with real files)", () => {
  it("says which column was taken as the source when none is named source", () => {
    const p = parseEvalSetUpload({ filename: "set.csv", bytes: bytes("id,text\n1,The cat sat.\n2,Dogs bark.\n") });
    expect(p.rows.map((r) => r.source)).toEqual(["The cat sat.", "Dogs bark."]);
    expect(p.problems).toContainEqual(
      expect.objectContaining({ code: "source_column_chosen", message: expect.stringContaining('"text" column') }),
    );
    const named = parseEvalSetUpload({ filename: "set.csv", bytes: bytes("id,source\n1,The cat sat.\n") });
    expect(named.problems.map((x) => x.code)).not.toContain("source_column_chosen");
  });

  it("warns, with the lines, when leading or trailing spaces are removed from sources", () => {
    const csv = parseEvalSetUpload({ filename: "s.csv", bytes: bytes('source\n"  padded "\nclean\n" tail"\n') });
    expect(csv.problems).toContainEqual(
      expect.objectContaining({
        code: "whitespace_trimmed",
        severity: "warning",
        message: expect.stringMatching(/2 source sentences .*lines 2, 4/),
      }),
    );
    const jsonl = parseEvalSetUpload({ filename: "s.jsonl", bytes: bytes('{"source": " a b "}\n{"source": "c"}\n') });
    expect(jsonl.problems).toContainEqual(
      expect.objectContaining({ code: "whitespace_trimmed", message: expect.stringMatching(/line 1\b/) }),
    );
  });

  it("names each problem's line once, never 'Line 5: Line 5:'", () => {
    const long = "x".repeat(1200);
    const p = parseEvalSetUpload({ filename: "s.csv", bytes: bytes(`source\nok\n${long}\n\n`) });
    const tooLong = p.problems.find((x) => x.code === "sentence_too_long")!;
    expect(describeProblem(tooLong)).toMatch(/^Line 3: the source is 1,200 characters/);
    for (const x of p.problems) expect(describeProblem(x)).not.toMatch(/^Line (\d+)\b.*Line \1\b/);
    expect(
      describeProblem({ line: 4, severity: "info", code: "unknown_column", message: "Unknown column kept." }),
    ).toBe("Line 4: Unknown column kept.");
  });

  it("pages through every row, not only the first 20", () => {
    const rows = Array.from({ length: 45 }, (_, i) => `Sentence ${i + 1}.`).join("\n");
    const file = { filename: "s.csv", bytes: bytes(`source\n${rows}\n`) };
    const second = parseEvalSetUpload({ ...file, rowOffset: 20 });
    expect(second.rowOffset).toBe(20);
    expect(second.rows.map((r) => r.source)[0]).toBe("Sentence 21.");
    expect(second.rows).toHaveLength(20);
    const last = parseEvalSetUpload({ ...file, rowOffset: 40 });
    expect(last.rows.map((r) => r.source)).toEqual([
      "Sentence 41.",
      "Sentence 42.",
      "Sentence 43.",
      "Sentence 44.",
      "Sentence 45.",
    ]);
    expect(parseEvalSetUpload({ ...file, rowOffset: 999 }).rowOffset).toBe(40);
  });

  it("says a chosen file is empty instead of asking to choose a file", () => {
    expect(uploadedFileProblem({ name: "pairs.csv", size: 0 })).toMatch(/^The file "pairs.csv" is empty/);
    expect(uploadedFileProblem({ name: "", size: 0 })).toMatch(/^Choose a CSV/);
    expect(uploadedFileProblem(null)).toMatch(/^Choose a CSV/);
    expect(uploadedFileProblem({ name: "pairs.csv", size: 10 })).toBeNull();
  });
});
