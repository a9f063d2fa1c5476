import { describe, expect, it } from "vitest";
import { baseUrlCredentialProblem, maskBaseUrl, redactSecrets } from "./teacher-error";

const KEY = "sk-live-4f9a2b7c1d8e3f60";

describe("redacting what an endpoint echoes back", () => {
  it.each([
    ["the key itself", `invalid key ${KEY}`],
    ["the key in base64", `invalid key ${Buffer.from(KEY).toString("base64")}`],
    ["the key in base64url without padding", `got ${Buffer.from(KEY).toString("base64url")}`],
    ["the key in hex", `got ${Buffer.from(KEY).toString("hex")}`],
    ["the key spelled out with spaces", `you sent: ${[...KEY].join(" ")}`],
    ["the key with dashes between groups", `you sent: ${KEY.match(/.{1,4}/g)!.join("-")}`],
  ])("removes %s", (_, text) => {
    const out = redactSecrets(text, KEY);
    expect(out).toContain("***");
    expect(out.replace(/[^A-Za-z0-9]/g, "")).not.toContain(KEY.replace(/[^A-Za-z0-9]/g, "").slice(4));
    expect(out).not.toContain(Buffer.from(KEY).toString("base64").slice(0, 12));
  });

  it("removes credential-shaped strings that are not this system's key", () => {
    const out = redactSecrets(
      'upstream said: {"error":"bad auth","api_key":"abc123xyz","db":"postgresql://postgres:hunter22@db:5432/x"} Authorization: Basic dXNlcjpwYXNz token=ghp_abcdefghij1234567890',
      KEY,
    );
    for (const secret of ["abc123xyz", "hunter22", "dXNlcjpwYXNz", "ghp_abcdefghij1234567890"])
      expect(out).not.toContain(secret);
  });

  it("keeps the message readable: words, status codes, URLs and ids survive", () => {
    const text =
      "The teacher endpoint https://api.example.com/v1 refused the request with HTTP 401: item 3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d. Check the API key for this system.";
    expect(redactSecrets(text, KEY)).toBe(text);
  });
});

describe("base URLs with credentials", () => {
  it("refuses user:password@ and key-like query parameters, with what to do instead", () => {
    expect(baseUrlCredentialProblem("https://user:pw@api.example.com/v1")).toMatch(/user name and password/);
    expect(baseUrlCredentialProblem("https://api.example.com/v1?api-key=abc")).toMatch(/api-key.*LLM_KEY_/);
    expect(baseUrlCredentialProblem("https://x.openai.azure.com/openai?api-version=2024-06-01")).toBeNull();
    expect(baseUrlCredentialProblem("https://api.example.com/v1")).toBeNull();
  });

  it("masks them for display", () => {
    const shown = maskBaseUrl("https://user:hunter22@api.example.com/v1?api-key=abc123&api-version=1");
    expect(shown).not.toContain("hunter22");
    expect(shown).not.toContain("abc123");
    expect(shown).toContain("api-version=1");
  });
});
