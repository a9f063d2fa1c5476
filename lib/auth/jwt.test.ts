import { encode as nextAuthEncode, decode as nextAuthDecode } from "next-auth/jwt";
import { afterEach, describe, expect, it, vi } from "vitest";
import { decode, encode, encryptionKey } from "./jwt";

const secret = "a-test-secret-of-some-length-0123456789";
const token = { sub: "user-1", sv: 3, name: "Ann" };

describe("session token with a cached key (lib/auth/jwt.ts)", () => {
  afterEach(() => vi.useRealTimers());

  it("reads a token written by next-auth's own encode, and next-auth reads its tokens", async () => {
    const fromNextAuth = await nextAuthEncode({ token, secret, maxAge: 60 });
    expect(await decode({ token: fromNextAuth, secret })).toMatchObject(token);
    const ours = await encode({ token, secret, maxAge: 60 });
    const read = await nextAuthDecode({ token: ours, secret });
    expect(read).toMatchObject(token);
    expect(read?.exp).toBe((read?.iat as number) + 60);
    expect(read?.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(Buffer.from(ours.split(".")[0], "base64url").toString())).toEqual({
      alg: "dir",
      enc: "A256GCM",
    });
  });

  it("derives the key once per secret and salt", async () => {
    expect(encryptionKey(secret)).toBe(encryptionKey(secret));
    expect(encryptionKey(secret, "salt")).not.toBe(encryptionKey(secret));
    expect(encryptionKey(`${secret}x`)).not.toBe(encryptionKey(secret));
  });

  it("rejects a token made with another secret, and a salted token read without its salt", async () => {
    const other = await nextAuthEncode({ token, secret: "another-secret-entirely-0123456789" });
    await expect(decode({ token: other, secret })).rejects.toThrow();
    const mine = await encode({ token, secret });
    await expect(decode({ token: mine, secret: "another-secret-entirely-0123456789" })).rejects.toThrow();
    const salted = await encode({ token, secret, salt: "other-cookie" });
    await expect(decode({ token: salted, secret })).rejects.toThrow();
    expect(await decode({ token: salted, secret, salt: "other-cookie" })).toMatchObject(token);
  });

  it("rejects an expired token, as next-auth does (15 s tolerance)", async () => {
    const issued = await encode({ token, secret, maxAge: 60 });
    const fromNextAuth = await nextAuthEncode({ token, secret, maxAge: 60 });
    vi.useFakeTimers({ now: Date.now() + 60_000 + 10_000, toFake: ["Date"] });
    expect(await decode({ token: issued, secret })).toMatchObject(token);
    vi.setSystemTime(Date.now() + 10_000);
    await expect(decode({ token: issued, secret })).rejects.toThrow(/exp/);
    await expect(decode({ token: fromNextAuth, secret })).rejects.toThrow(/exp/);
    await expect(nextAuthDecode({ token: issued, secret })).rejects.toThrow(/exp/);
  });

  it("rejects a tampered token and reads no token as none", async () => {
    const issued = await encode({ token, secret });
    const parts = issued.split(".");
    parts[3] = parts[3].slice(0, -2) + (parts[3].endsWith("A") ? "BB" : "AA");
    await expect(decode({ token: parts.join("."), secret })).rejects.toThrow();
    expect(await decode({ token: undefined, secret })).toBeNull();
  });
});
