import { describe, expect, it } from "vitest";
import { preparedStatementName } from "./db";

describe("preparedStatementName", () => {
  it("names only statements marked /* prepared */, one stable name per text", () => {
    const a = '/* prepared */\n    SELECT 1 FROM "Pair" WHERE "id" = $1';
    const b = '/* prepared */\n    SELECT 2 FROM "Pair" WHERE "id" = $1';
    expect(preparedStatementName(a)).toMatch(/^p_[0-9a-f]{24}$/);
    expect(preparedStatementName(a)).toBe(preparedStatementName(a));
    expect(preparedStatementName(a)).not.toBe(preparedStatementName(b));
    expect(preparedStatementName('SELECT 1 FROM "Pair" WHERE "id" = $1')).toBeUndefined();
    expect(preparedStatementName('SELECT 1 /* prepared */ FROM "Pair"')).toBeUndefined();
  });
});
