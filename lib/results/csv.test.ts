import { describe, expect, it } from "vitest";
import { csvCell, csvLine, neutraliseFormula } from "./csv";

describe("CSV cells", () => {
  it.each(["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")'])(
    "neutralises %j with a leading quote",
    (text) => {
      expect(neutraliseFormula(text)).toBe(`'${text}`);
      expect(csvCell(text).replace(/^"/, "").startsWith("'")).toBe(true);
    },
  );

  it("leaves ordinary text and numbers alone", () => {
    expect(csvCell("The cat sat.")).toBe("The cat sat.");
    expect(csvCell(4)).toBe("4");
    expect(csvCell(true)).toBe("true");
    expect(csvCell(null)).toBe("");
  });

  it("quotes commas, quotes and line breaks", () => {
    expect(csvCell('a, "b"')).toBe('"a, ""b"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvLine(["=x", "y,z", 3])).toBe(`'=x,"y,z",3\r\n`);
  });
});
