import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { progressReporter } from "./progress";
import { readPairs } from "./read-pairs";
import { scorePairs } from "./score-pairs";

const run = promisify(execFile);

describe("readPairs", () => {
  it("reads JSON Lines, carries other fields, and names the line of each bad row", () => {
    const r = readPairs(
      [
        '{"id": 7, "source": "A cat sat.", "output": "A cat was sitting.", "system": "t5"}',
        "",
        '{"source": "No output here."}',
        "{oops",
        '["a", "b"]',
        '{"source": 3, "output": "x"}',
      ].join("\n"),
      "pairs.jsonl",
    );
    expect(r.rows).toEqual([
      { line: 1, source: "A cat sat.", output: "A cat was sitting.", extra: { id: 7, system: "t5" } },
    ]);
    expect(r.errors).toEqual([
      { line: 3, message: '"output" is missing; it must be text' },
      { line: 4, message: expect.stringMatching(/^not valid JSON/) },
      { line: 5, message: expect.stringMatching(/must be a JSON object/) },
      { line: 6, message: '"source" is a number; it must be text' },
    ]);
  });

  it("reads CSV with the line each record starts on, even after a quoted field with a newline", () => {
    const r = readPairs('id,source,paraphrase\n1,"Two\nlines.",Fine.\n2,short\n3,Dogs bark.,Hounds bay.\n', "p.csv");
    expect(r.notes).toEqual(['columns: "source" as the source, "paraphrase" as the output']);
    expect(r.rows.map((x) => [x.line, x.extra])).toEqual([
      [2, { id: "1" }],
      [5, { id: "3" }],
    ]);
    expect(r.errors).toEqual([{ line: 4, message: "2 fields where the header has 3" }]);
  });

  it("says what is wrong with an empty file or a header without the columns", () => {
    expect(readPairs("", "p.csv").errors).toEqual([{ line: 1, message: "the file is empty" }]);
    expect(readPairs("id,text\n1,hello\n", "p.csv").errors[0].message).toMatch(
      /needs a source column .* it has: id, text/,
    );
  });
});

describe("scorePairs", () => {
  it("gives every metric per row, and marks tree edit distance unavailable without a parser", async () => {
    const rows = readPairs(
      '{"source": "The cat sat on the mat.", "output": "The cat sat on the mat."}',
      "x.jsonl",
    ).rows;
    const unavailable = new Map();
    const chunks = [];
    for await (const c of scorePairs(rows, { provider: null, parserSearchPath: "" }, unavailable)) chunks.push(...c);
    expect(chunks[0].metrics).toMatchObject({
      wordEditDistance: 0,
      lexicalDeviation: 0,
      wordPositionDeviation: 0,
      semanticSimilarity: null,
      treeEditDistance: null,
    });
    expect(unavailable.get("treeEditDistance")).toMatch(/^unavailable: install/);
  });
});

describe("progress", () => {
  it("writes a line every 10% when standard error is not a terminal, nothing for short files", () => {
    const written: string[] = [];
    const stream = { isTTY: false, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream;
    const report = progressReporter(1000, stream);
    for (let d = 100; d <= 1000; d += 50) report(d);
    expect(written).toHaveLength(10);
    expect(written.at(-1)).toMatch(/^metrics: 1000\/1000 rows \(100%/);
    const quiet: string[] = [];
    progressReporter(10, { isTTY: false, write: (s: string) => quiet.push(s) } as unknown as NodeJS.WriteStream)(10);
    expect(quiet).toEqual([]);
  });
});

describe("npm run metrics", () => {
  it("writes one JSON line per good row and a summary, reports bad rows by line, and exits 2", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "metrics-"));
    const file = path.join(dir, "pairs.jsonl");
    writeFileSync(
      file,
      [
        '{"id": "p", "source": "The meeting was postponed until next week.", "output": "They pushed the meeting back to next week."}',
        '{"id": "bad", "source": "Missing its output."}',
        '{"id": "u", "source": "The meeting was postponed until next week.", "output": "Bananas are rich in potassium."}',
      ].join("\n"),
    );
    const result = await run("npx", ["tsx", "scripts/metrics.ts", file], { cwd: process.cwd() }).catch((e) => e);
    expect(result.code).toBe(2);
    const lines = result.stdout
      .trim()
      .split("\n")
      .map((l: string) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ line: 1, id: "p" });
    expect(lines[1]).toMatchObject({ line: 3, id: "u" });
    // The paraphrase is closer in meaning than the unrelated output.
    expect(lines[0].metrics.semanticSimilarity).toBeGreaterThan(lines[1].metrics.semanticSimilarity + 0.3);
    expect(lines[2].summary).toMatchObject({ rows: 2, badRows: 1 });
    expect(lines[2].summary.metrics.semanticSimilarity.n).toBe(2);
    expect(result.stderr).toContain(`${file}:2: "output" is missing; it must be text`);
  }, 60_000);
});
