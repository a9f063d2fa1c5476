import { describe, expect, it } from "vitest";
import { parseEvalSetFile, parseEvalSetUpload } from "./parse-eval-set-upload";
import { MAX_EVAL_SET_FILE_BYTES } from "./limits";
import { evalSetPreviewSchema } from "./schemas";

const enc = (s: string) => new TextEncoder().encode(s);
const upload = (
  filename: string,
  text: string | Uint8Array,
  limits?: Parameters<typeof parseEvalSetUpload>[0]["limits"],
) => parseEvalSetUpload({ filename, bytes: typeof text === "string" ? enc(text) : text, limits });
const codes = (p: ReturnType<typeof upload>) => p.problems.map((x) => x.code);
const find = (p: ReturnType<typeof upload>, code: string) => p.problems.find((x) => x.code === code);

describe("parseEvalSetUpload: CSV", () => {
  it("reads a well-formed CSV with aliases, references and outputs", () => {
    const p = upload(
      "set.csv",
      "ID,Text,reference_1,reference_2,output:gpt-4o,output:gpt-4o,output:student-a,domain\n" +
        'a1,"The cat sat, happily.",A cat sat.,,The cat was sitting.,A cat was seated.,cat sits,news\n',
    );
    expect(evalSetPreviewSchema.safeParse(p).success).toBe(true);
    expect(p.format).toBe("csv");
    expect(p.errorCount).toBe(0);
    expect(p.rows[0]).toEqual({
      line: 2,
      itemId: "a1",
      source: "The cat sat, happily.",
      references: ["A cat sat."],
      outputs: { "gpt-4o": ["The cat was sitting.", "A cat was seated."], "student-a": ["cat sits"] },
      metadata: { domain: "news" },
    });
    expect(p.systems).toEqual(["gpt-4o", "student-a"]);
    expect(p.columns.map((c) => c.role)).toEqual([
      "id",
      "source",
      "reference",
      "reference",
      "output",
      "output",
      "output",
      "metadata",
    ]);
    expect(find(p, "unknown_column")).toMatchObject({
      severity: "info",
      message: 'Unknown column "domain" kept as metadata.',
    });
  });

  it("reports an unclosed quote with its line number and blocks the file", () => {
    const p = upload("set.csv", 'source,ref\nok,fine\n"broken,ref\nnext,row\n');
    expect(find(p, "malformed_csv")).toMatchObject({ line: 3, severity: "error" });
    expect(find(p, "malformed_csv")!.message).toContain("Line 3: a quoted field is opened but never closed");
  });

  it("lists the columns found and the accepted names when there is no source column", () => {
    const p = upload("set.csv", "question,answer\nhi,there\n");
    const problem = find(p, "missing_source_column")!;
    expect(problem.severity).toBe("error");
    expect(problem.message).toBe(
      'No source column found. Columns found: "question", "answer". Name the column with the sentences to paraphrase one of: source, text, sentence, input (case-insensitive).',
    );
    expect(p.problems.filter((x) => x.code === "missing_source").length).toBe(0);
  });

  it("flags rows with an empty source", () => {
    const p = upload("set.csv", "source,id\n,1\n  ,2\nfine,3\n");
    expect(p.problems.filter((x) => x.code === "missing_source").map((x) => x.message)).toEqual([
      "Line 2 has no source sentence. Fill it in or remove the row.",
      "Line 3 has no source sentence. Fill it in or remove the row.",
    ]);
  });

  it("reports a header with no rows", () => {
    const p = upload("set.csv", "source,reference\n\n");
    expect(find(p, "no_rows")!.message).toBe("The file has no data rows. Add at least one row below the header.");
  });

  it("reports rows with more values than the header as errors", () => {
    const p = upload("set.csv", "source,reference\na,b,c\n");
    expect(find(p, "field_count_mismatch")).toMatchObject({ line: 2, severity: "error" });
  });

  it("handles mixed line endings and a BOM, with editor line numbers", () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...enc("source,id\r\nfirst,1\nsecond,2\rthird,3\r\n,4")]);
    const p = upload("set.csv", bytes);
    expect(p.columns[0]).toEqual({ name: "source", role: "source" });
    expect(p.rows.map((r) => [r.line, r.source])).toEqual([
      [2, "first"],
      [3, "second"],
      [4, "third"],
      [5, ""],
    ]);
    expect(find(p, "missing_source")!.line).toBe(5);
  });

  it("uses the first source alias when several are present and says so", () => {
    const p = upload("set.csv", "text,source\nnot this,this one\n");
    expect(p.rows[0].source).toBe("this one");
    expect(p.rows[0].metadata).toEqual({ text: "not this" });
    expect(find(p, "unknown_column")!.message).toBe(
      'Column "text" is kept as metadata because "source" is already used as the source column.',
    );
  });

  it("rejects an output column without a system name", () => {
    const p = upload("set.csv", "source,output:\na,b\n");
    expect(find(p, "bad_column")!.message).toBe(
      'Column "output:" needs a system name after "output:", for example "output:gpt-4o".',
    );
  });
});

describe("parseEvalSetUpload: TSV and sniffing", () => {
  it("reads TSV without treating quotation marks as CSV quoting", () => {
    const p = upload("set.tsv", 'sentence\tref\n"Hello," she said.\tShe greeted us.\n');
    expect(p.format).toBe("tsv");
    expect(p.errorCount).toBe(0);
    expect(p.rows[0]).toMatchObject({ source: '"Hello," she said.', references: ["She greeted us."] });
  });

  it("sniffs the format when the extension says nothing", () => {
    expect(upload("data.txt", "input\tref\na\tb\n")).toMatchObject({ format: "tsv", formatDetectedBy: "content" });
    expect(upload("data", '{"source":"a"}\n')).toMatchObject({ format: "jsonl", formatDetectedBy: "content" });
    expect(upload("data.txt", "source,ref\na,b\n")).toMatchObject({ format: "csv", formatDetectedBy: "content" });
    expect(upload("excel.csv", "source\tref\na\tb\n")).toMatchObject({ format: "tsv", formatDetectedBy: "content" });
  });
});

describe("parseEvalSetUpload: JSONL", () => {
  it("accepts references arrays, outputs objects, numeric ids and metadata", () => {
    const p = upload(
      "set.jsonl",
      [
        '{"id": 7, "source": "One.", "references": ["Uno.", " "], "outputs": {"teacher": ["1", "2"], "student": "s"}, "topic": {"a": 1}}',
        "",
        '{"item_id": "x", "Sentence": "Two.", "reference": "Dos.", "output:student": "t"}',
      ].join("\n"),
    );
    expect(p.errorCount).toBe(0);
    expect(p.rows).toEqual([
      {
        line: 1,
        itemId: "7",
        source: "One.",
        references: ["Uno."],
        outputs: { teacher: ["1", "2"], student: ["s"] },
        metadata: { topic: { a: 1 } },
      },
      { line: 3, itemId: "x", source: "Two.", references: ["Dos."], outputs: { student: ["t"] }, metadata: {} },
    ]);
    expect(find(p, "unknown_column")!.message).toBe('Unknown key "topic" kept as metadata.');
  });

  it("reports malformed lines, non-objects and wrongly typed fields by line", () => {
    const p = upload(
      "set.jsonl",
      '{"source": "ok"}\n{"source": "cut\n[1,2]\n{"source": 5}\n{"source":"a","references":[1]}\n',
    );
    const messages = p.problems.filter((x) => x.severity === "error").map((x) => [x.line, x.code, x.message]);
    expect(messages[0][0]).toBe(2);
    expect(messages[0][1]).toBe("malformed_json");
    expect(messages[0][2]).toMatch(/^Line 2 is not valid JSON \(.+\)\. Each line must be one JSON object/);
    expect(messages[1]).toEqual([
      3,
      "malformed_json",
      'Line 3 is a JSON array, not an object. Each line must be one JSON object, e.g. {"source": "..."}.',
    ]);
    expect(messages).toContainEqual([4, "invalid_field", 'Line 4: "source" must be a string, got number 5.']);
    expect(messages).toContainEqual([
      5,
      "invalid_field",
      'Line 5: "references" must be a string or an array of strings, got an array.',
    ]);
  });

  it("refuses an empty entry inside a list of outputs, on its line, instead of moving later ranks up", () => {
    const p = upload(
      "set.jsonl",
      [
        '{"source": "One.", "outputs": {"beam": ["first", "", "third"]}}',
        '{"source": "Two.", "output:beam": ["a", "b", "  "]}',
        '{"source": "Three.", "outputs": {"beam": ["x", "y"]}}',
      ].join("\n"),
    );
    const errors = p.problems.filter((x) => x.severity === "error").map((x) => [x.line, x.code, x.message]);
    expect(errors).toEqual([
      [
        1,
        "invalid_field",
        'Line 1: "outputs.beam" has an empty output at position 2 of 3 for system "beam". Outputs are ranked by their place in the list, so write the missing output or remove the entry.',
      ],
      [
        2,
        "invalid_field",
        'Line 2: "output:beam" has an empty output at position 3 of 3 for system "beam". Outputs are ranked by their place in the list, so write the missing output or remove the entry.',
      ],
    ]);
    expect(p.rows.find((r) => r.line === 3)!.outputs).toEqual({ beam: ["x", "y"] });
  });

  it("reads JSONL with a BOM and CRLF line endings, and a .ndjson extension", () => {
    const bytes = new Uint8Array([
      0xef,
      0xbb,
      0xbf,
      ...enc('{"input": "A."}\r\n{"input": "B.", "outputs": {"s1": 3}}\r\n'),
    ]);
    const p = upload("set.ndjson", bytes);
    expect(p).toMatchObject({ format: "jsonl", formatDetectedBy: "extension", rowCount: 2 });
    expect(p.rows.map((r) => r.source)).toEqual(["A.", "B."]);
    expect(find(p, "invalid_field")!.message).toBe(
      'Line 2: "outputs.s1" must be a string or an array of strings, got number 3.',
    );
  });

  it("explains that a JSON array is not JSON Lines", () => {
    const p = upload("set.json", '[\n  {"source": "a"},\n  {"source": "b"}\n]\n');
    expect(p.problems).toEqual([
      {
        line: null,
        severity: "error",
        code: "malformed_json",
        message:
          'The file is one JSON array, not JSON Lines. Put one object per line instead, e.g. {"source": "..."}, and save it as .jsonl.',
      },
    ]);
  });

  it("reports a missing source key for the whole file", () => {
    const p = upload("set.jsonl", '{"question": "a"}\n{"question": "b", "answer": "c"}\n');
    expect(find(p, "missing_source_column")!.message).toContain('Columns found: "question", "answer".');
    expect(codes(p)).not.toContain("missing_source");
  });
});

describe("parseEvalSetUpload: file-level problems", () => {
  it("reports an empty file", () => {
    expect(find(upload("set.csv", ""), "empty_file")!.message).toBe(
      "The file is empty. Upload a CSV, TSV or JSONL file with a header and at least one row.",
    );
    expect(find(upload("set.csv", new Uint8Array([0xef, 0xbb, 0xbf])), "empty_file")).toBeDefined();
    expect(find(upload("set.csv", "\n\r\n  \n"), "empty_file")!.message).toBe(
      "The file contains only blank lines. Add a header and at least one row.",
    );
  });

  it("reports a binary file once, at file level", () => {
    const p = upload("set.csv", new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x14, 0x00]));
    expect(p.problems).toEqual([
      {
        line: null,
        severity: "error",
        code: "binary_file",
        message:
          "The file contains NUL bytes, so it looks like a binary file (a spreadsheet or archive?). Export it as CSV, TSV or JSONL text and upload that.",
      },
    ]);
    const utf16 = upload("set.csv", new Uint8Array([0xff, 0xfe, 0x73, 0x00]));
    expect(utf16.problems[0].message).toContain("UTF-16");
  });

  it("reports invalid UTF-8 on the line that has it", () => {
    const bytes = new Uint8Array([...enc("source\nfine\n"), 0x63, 0xe9, 0x6c, 0x0a, ...enc("also fine\n")]);
    const p = upload("set.csv", bytes);
    expect(p.problems).toEqual([
      {
        line: 3,
        severity: "error",
        code: "invalid_utf8",
        message:
          'Line 3 contains bytes that are not valid UTF-8. Save the file as UTF-8 (in Excel: "CSV UTF-8") and upload it again.',
      },
    ]);
  });

  it("reports invalid UTF-8 inside a multi-line quoted value on the row that holds it", () => {
    const bytes = new Uint8Array([...enc('source,note\nfine,x\n"two\nline'), 0xff, ...enc('s",y\n')]);
    const p = upload("set.csv", bytes);
    expect(find(p, "invalid_utf8")).toMatchObject({
      line: 3,
      message: expect.stringMatching(/^Line 4 \(in the row starting on line 3\) contains bytes/),
    });
  });

  it("gives one message for a file in a legacy encoding", () => {
    const latin1 = new Uint8Array([
      ...enc("source\n"),
      ...Array.from({ length: 30 }, () => [0x63, 0x61, 0x66, 0xe9, 0x0a]).flat(),
    ]);
    const p = upload("set.csv", latin1);
    expect(p.problems.filter((x) => x.code === "invalid_utf8")).toEqual([
      {
        line: null,
        severity: "error",
        code: "invalid_utf8",
        message:
          'The file is not UTF-8: 30 lines have invalid bytes (first on lines 2, 3, 4, 5, 6). It is probably in a legacy encoding such as Windows-1252. Save the file as UTF-8 (in Excel: "CSV UTF-8") and upload it again.',
      },
    ]);
  });

  it("parses 50,000 rows quickly", () => {
    const csv =
      "id,source,reference\n" +
      Array.from({ length: 50_000 }, (_, i) => `${i},Sentence number ${i} is here.,Ref ${i}.`).join("\n");
    const started = performance.now();
    const p = parseEvalSetFile({ filename: "big.csv", bytes: enc(csv) });
    expect(performance.now() - started).toBeLessThan(3000);
    expect(p).toMatchObject({ rowCount: 50_000, errorCount: 0 });
  });

  it("refuses a file over the size limit before decoding it, even one line of 10 MB", () => {
    const bytes = new Uint8Array(MAX_EVAL_SET_FILE_BYTES + 1).fill(0x61);
    const started = performance.now();
    const p = upload("big.csv", bytes);
    expect(performance.now() - started).toBeLessThan(500);
    expect(p.problems).toEqual([
      {
        line: null,
        severity: "error",
        code: "file_too_large",
        message: "The file is 10,485,761 bytes; the limit is 10,485,760 bytes. Split it into smaller files.",
      },
    ]);
    expect(find(upload("big.csv", new Uint8Array(12 * 1024 * 1024).fill(0x61)), "file_too_large")!.message).toBe(
      "The file is 12 MB; the limit is 10 MB. Split it into smaller files.",
    );
  });

  it("reports a 10 MB single-line sentence under the size limit as too long", () => {
    const long = "a".repeat(MAX_EVAL_SET_FILE_BYTES - 20);
    const p = upload("long.csv", `source\n${long}`);
    expect(find(p, "sentence_too_long")!.message).toBe(
      `Line 2: the source is ${long.length.toLocaleString("en-US")} characters; the limit is 1,000. Shorten it or split it into sentences.`,
    );
  });

  it("stops at the row limit instead of parsing everything", () => {
    const csv = "source\n" + Array.from({ length: 30 }, (_, i) => `s${i}`).join("\n");
    const p = parseEvalSetFile({ filename: "set.csv", bytes: enc(csv), limits: { maxRows: 10 } });
    expect(p.rows).toHaveLength(10);
    expect(p.problems.find((x) => x.code === "too_many_rows")!.message).toBe(
      "The file has more than 10 rows; the limit is 10. Split it into smaller files.",
    );
    const jsonl = Array.from({ length: 30 }, (_, i) => JSON.stringify({ source: `s${i}` })).join("\n");
    expect(parseEvalSetFile({ filename: "set.jsonl", bytes: enc(jsonl), limits: { maxRows: 10 } }).rows).toHaveLength(
      10,
    );
  });
});

describe("parseEvalSetUpload: duplicates and preview", () => {
  it("flags duplicate ids as errors and duplicate sources as warnings", () => {
    const p = upload("set.csv", "id,source\n1,Hello there.\n2,hello there.\n1,Other.\n3,  Hello   there. \n");
    expect(
      p.problems
        .filter((x) => x.severity !== "info" && x.code !== "whitespace_trimmed")
        .map((x) => [x.severity, x.message]),
    ).toEqual([
      ["error", 'Line 4 uses id "1", already used on line 2. Ids must be unique.'],
      [
        "warning",
        'Line 5 repeats the source sentence of line 2 ("Hello there."). Both rows will be imported as separate items.',
      ],
    ]);
  });

  it("shows only the first 20 rows but counts them all", () => {
    const csv = "source\n" + Array.from({ length: 45 }, (_, i) => `s${i}`).join("\n");
    const p = upload("set.csv", csv);
    expect(p.rowCount).toBe(45);
    expect(p.rows).toHaveLength(20);
    expect(p.isTruncated).toBe(true);
  });
});
