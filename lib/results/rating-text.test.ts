import { describe, expect, it, vi } from "vitest";
import { parseCodes, parseIntegers, physicalOrder, readJsonNumbers, readScores } from "./rating-text";

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

describe("parseCodes", () => {
  it("reads a ctid as two integers beside the plain codes", () => {
    const out = new Float64Array(16);
    expect(parseCodes("(0,1),7,3,(12,40),0,5", out)).toBe(8);
    expect([...out.slice(0, 8)]).toEqual([0, 1, 7, 3, 12, 40, 0, 5]);
    expect(parseCodes("", out)).toBe(0);
  });
});

describe("physicalOrder", () => {
  it("is the identity when the ratings came in ctid order", () => {
    // Two fields per rating: block, offset.
    const codes = Float64Array.from([0, 1, 0, 2, 1, 1, 3, 7]);
    expect([...physicalOrder(codes, 4, 2)]).toEqual([0, 1, 2, 3]);
  });

  it("sorts the arrival positions by block, then offset, when they did not", () => {
    // Arrivals: (2,1), (0,5), (0,3), (1,9), with a third field that plays no part.
    const codes = Float64Array.from([2, 1, 9, 0, 5, 9, 0, 3, 9, 1, 9, 9]);
    expect([...physicalOrder(codes, 4, 3)]).toEqual([2, 1, 3, 0]);
  });

  it("merges two runs in ctid order (the ratings of even and of odd pairs) as a sort would", () => {
    // Distinct (block, offset) places, dealt into runs: 1 run, 2 runs (one empty end), 3 runs.
    const places = Array.from({ length: 300 }, (_, i) => [Math.floor(i / 7), ((i * 5) % 7) + (i % 3) * 10]);
    const uniq = [...new Map(places.map(([b, o]) => [`${b},${o}`, [b, o]])).values()].sort(
      (x, y) => x[0] * 65536 + x[1] - (y[0] * 65536 + y[1]),
    );
    for (const runs of [1, 2, 3]) {
      const dealt = Array.from({ length: runs }, (_, r) => uniq.filter((_, i) => (i * 7919) % runs === r)).flat();
      const codes = Float64Array.from(dealt.flat());
      const sorted = Array.from(dealt.keys()).sort(
        (x, y) => dealt[x][0] * 65536 + dealt[x][1] - (dealt[y][0] * 65536 + dealt[y][1]),
      );
      expect([...physicalOrder(codes, dealt.length, 2)]).toEqual(sorted);
    }
    // The second run ends before the first: all of it comes first.
    expect([...physicalOrder(Float64Array.from([5, 1, 6, 2, 0, 1, 0, 2]), 4, 2)]).toEqual([2, 3, 0, 1]);
  });
});

describe("readJsonNumbers", () => {
  it("reads jsonb value texts into columns in turn, NaN for anything but a number", () => {
    const values = ["4", "5", "", "3.5", "-1", '"4"', "null", '{"a": 1}', "12345678901234567", "[1, 2]"];
    const columns = [new Float64Array(5).fill(7), new Float64Array(5).fill(7)];
    expect(readJsonNumbers(values.map((v) => v + "\x1f").join(""), columns)).toBe(10);
    expect([...columns[0]]).toEqual([4, NaN, -1, NaN, 12345678901234567]);
    expect([...columns[1]]).toEqual([5, 3.5, NaN, NaN, NaN]);
  });

  it("agrees with JSON.parse on every jsonb output of a number", () => {
    const numbers = ["0", "-0", "10", "2.50", "-3.25", "100000000000000000000", "0.000001"];
    const column = new Float64Array(numbers.length);
    readJsonNumbers(numbers.map((v) => v + "\x1f").join(""), [column]);
    expect([...column]).toEqual(numbers.map((v) => JSON.parse(v) as number));
  });

  it("reads nothing from an empty text", () => {
    expect(readJsonNumbers("", [new Float64Array(1)])).toBe(0);
  });
});
