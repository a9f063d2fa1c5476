import { describe, expect, it } from "vitest";
import { TrainingPairsInput } from "@/lib/distillation/schemas";
import { handle } from "./error-mapper";

// The training-pairs download route parses its query exactly like this before anything else
const route = handle(async (req: Request) => {
  TrainingPairsInput.parse({ ...Object.fromEntries(new URL(req.url).searchParams), evalSetId: crypto.randomUUID() });
  return new Response("ok");
});
const url = `http://app.test/api/eval-sets/x/training-pairs?systemId=${crypto.randomUUID()}&settingsKey=s&minWordEditDistance=1.5`;
const BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

describe("a GET route opened in the browser with a bad value", () => {
  it("answers 422 with a readable page that says what to fix and links back, not raw JSON", async () => {
    const res = await route(
      new Request(url, { headers: { accept: BROWSER_ACCEPT, referer: "http://app.test/eval-sets/x" } }),
    );
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain("The minimum word edit distance must be from 0 to 1");
    expect(html).toContain('href="/eval-sets/x"');
    expect(html).not.toMatch(/"error"\s*:/);
  });

  it("still answers JSON to a script (fetch's default Accept) and escapes what it echoes", async () => {
    const res = await route(new Request(url));
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { fields: Record<string, string> } };
    expect(body.error.fields.minWordEditDistance).toBe("The minimum word edit distance must be from 0 to 1");
    const evil = handle(async () => {
      throw new (await import("@/lib/errors")).ValidationError("<script>alert(1)</script>");
    });
    const page = await (await evil(new Request(url, { headers: { accept: BROWSER_ACCEPT } }))).text();
    expect(page).not.toContain("<script>");
    expect(page).toContain("&lt;script&gt;");
  });
});
