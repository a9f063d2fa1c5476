import { describe, expect, it, vi } from "vitest";
import { parseIntegers, readScores } from "./rating-text";

/** What the scanner must agree with: JSON.parse of each record, numbers only. */
function reference(records: string[], criteria: string[]) {
  return criteria.map((key) => ({
    left: records.map((text) => {
      const v = (JSON.parse(text) as Record<string, { left?: unknown } | null> | null)?.[key]?.left;
      return typeof v === "number" ? v : NaN;
    }),
    right: records.map((text) => {
      const v = (JSON.parse(text) as Record<string, { right?: unknown } | null> | null)?.[key]?.right;
      return typeof v === "number" ? v : NaN;
    }),
  }));
}

function read(records: string[], criteria: string[]) {
  const left = criteria.map(() => new Float64Array(records.length).fill(NaN));
  const right = criteria.map(() => new Float64Array(records.length).fill(NaN));
  readScores({ text: records.join("\x1e"), criteria, left, right });
  return criteria.map((_, c) => ({ left: [...left[c]], right: [...right[c]] }));
}

describe("readScores", () => {
  it("reads the usual jsonb shape into left and right columns per criterion", () => {
    const records = [
      '{"meaning": {"left": 5, "right": 3}, "fluency": {"left": 4, "right": 2}}',
      '{"fluency": {"right": 1}, "meaning": {"left": 2, "right": 4}}',
    ];
    expect(read(records, ["meaning", "fluency"])).toEqual([
      { left: [5, 2], right: [3, 4] },
      { left: [4, NaN], right: [2, 1] },
    ]);
  });

  it("scans the usual shape without JSON.parse (the hot path's reason to exist)", () => {
    const parse = vi.spyOn(JSON, "parse");
    try {
      read(
        [
          '{"meaning": {"left": 5, "right": 3}, "fluency": {"left": 4, "right": 2}}',
          "{}",
          '{"meaning": {"left": 2, "right": 4}}',
        ],
        ["meaning", "fluency"],
      );
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
  });

  it.each([
    ["decimals and negatives", '{"meaning": {"left": 4.5, "right": -1}}'],
    ["a null value", '{"meaning": {"left": null, "right": 3}}'],
    ["a string value", '{"meaning": {"left": "4", "right": 3}}'],
    ["a criterion that is not asked for", '{"other": {"left": 1, "right": 1}, "meaning": {"left": 2, "right": 3}}'],
    ["an extra field beside the sides", '{"meaning": {"left": 2, "note": "x", "right": 3}}'],
    ["a nested value", '{"meaning": {"left": [1], "right": 3}}'],
    ["an escaped key", '{"mean\\"ing": {"left": 1, "right": 1}, "meaning": {"left": 2, "right": 3}}'],
    ["a null criterion", '{"meaning": null}'],
    ["an empty object", "{}"],
    ["an empty criterion", '{"meaning": {}}'],
    ["JSON null", "null"],
    ["a long integer", '{"meaning": {"left": 12345678901234567, "right": 3}}'],
  ])("agrees with JSON.parse on %s", (_label, record) => {
    const records = ['{"meaning": {"left": 1, "right": 2}}', record, '{"meaning": {"left": 3, "right": 4}}'];
    expect(read(records, ["meaning"])).toEqual(reference(records, ["meaning"]));
  });

  it("leaves the columns as they were when the study has no criteria", () => {
    expect(read(['{"meaning": {"left": 1, "right": 2}}'], [])).toEqual([]);
  });
});

describe("parseIntegers", () => {
  it("reads comma-separated codes and counts them", () => {
    const out = new Float64Array(8);
    expect(parseIntegers("3,0,1,2,12000", out)).toBe(5);
    expect([...out.slice(0, 5)]).toEqual([3, 0, 1, 2, 12000]);
    expect(parseIntegers("", out)).toBe(0);
  });
});
