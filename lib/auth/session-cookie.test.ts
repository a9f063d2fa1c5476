import { encode as nextAuthEncode } from "next-auth/jwt";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { env } from "@/lib/env";
import { readSession, readSessionFrom, sessionCookieName } from "./session-cookie";

const request = vi.hoisted(() => ({
  cookies: [] as { name: string; value: string }[],
  headers: new Headers(),
}));
vi.mock("next/headers", () => ({
  cookies: async () => ({ getAll: () => request.cookies }),
  headers: async () => request.headers,
}));

const PLAIN = "next-auth.session-token";
const secret = () => env().NEXTAUTH_SECRET;
const saved = { ...process.env };

describe("readSession: the session cookie as next-auth writes it", () => {
  beforeEach(() => {
    request.cookies = [];
    request.headers = new Headers();
    delete process.env.NEXTAUTH_URL;
    delete process.env.VERCEL;
    delete process.env.AUTH_TRUST_HOST;
  });
  afterEach(() => {
    process.env = { ...saved };
    vi.useRealTimers();
  });

  it("reads the user and session version from a token next-auth encoded", async () => {
    const token = await nextAuthEncode({ token: { sub: "u-1", sv: 4 }, secret: secret(), maxAge: 3600 });
    request.cookies = [{ name: PLAIN, value: token }];
    expect(await readSession()).toEqual({ userId: "u-1", sessionVersion: 4 });
  });

  it("joins a token next-auth split over numbered cookies, in order", async () => {
    const token = await nextAuthEncode({ token: { sub: "u-2" }, secret: secret(), maxAge: 3600 });
    const cut = Math.floor(token.length / 2);
    request.cookies = [
      { name: `${PLAIN}.1`, value: token.slice(cut) },
      { name: "other", value: "x" },
      { name: `${PLAIN}.0`, value: token.slice(0, cut) },
    ];
    expect(await readSession()).toEqual({ userId: "u-2", sessionVersion: 0 });
  });

  it("has no session without a cookie, with another secret's token, a token without a user, or an expired one", async () => {
    expect(await readSession()).toBeNull();
    const foreign = await nextAuthEncode({ token: { sub: "u-1" }, secret: "another-secret-entirely-0123456789" });
    request.cookies = [{ name: PLAIN, value: foreign }];
    expect(await readSession()).toBeNull();
    request.cookies = [{ name: PLAIN, value: await nextAuthEncode({ token: {}, secret: secret() }) }];
    expect(await readSession()).toBeNull();
    request.cookies = [{ name: PLAIN, value: "not-a-token" }];
    expect(await readSession()).toBeNull();
    const short = await nextAuthEncode({ token: { sub: "u-1" }, secret: secret(), maxAge: 60 });
    request.cookies = [{ name: PLAIN, value: short }];
    expect(await readSession()).not.toBeNull();
    vi.useFakeTimers({ now: Date.now() + 60_000 + 16_000, toFake: ["Date"] });
    expect(await readSession()).toBeNull();
  });

  it("reads the __Secure- cookie when the app's URL is https, as next-auth names it", async () => {
    const token = await nextAuthEncode({ token: { sub: "u-3" }, secret: secret(), maxAge: 3600 });
    request.cookies = [{ name: PLAIN, value: token }];
    process.env.NEXTAUTH_URL = "https://eval.example.org";
    expect(await readSession()).toBeNull();
    request.cookies = [{ name: `__Secure-${PLAIN}`, value: token }];
    expect(await readSession()).toEqual({ userId: "u-3", sessionVersion: 0 });
  });

  it("names the cookie from the forwarded protocol only when the host is trusted", () => {
    const h = new Headers({ host: "eval.example.org", "x-forwarded-proto": "https" });
    expect(sessionCookieName(h)).toBe(PLAIN);
    process.env.AUTH_TRUST_HOST = "1";
    expect(sessionCookieName(h)).toBe(`__Secure-${PLAIN}`);
    expect(sessionCookieName(new Headers({ host: "x", "x-forwarded-proto": "http" }))).toBe(PLAIN);
    process.env.NEXTAUTH_URL = "http://localhost:3000";
    expect(sessionCookieName(h)).toBe(PLAIN);
  });
});

describe("readSessionFrom: the same cookie read from a request's own Cookie header", () => {
  beforeEach(() => {
    delete process.env.NEXTAUTH_URL;
    delete process.env.VERCEL;
    delete process.env.AUTH_TRUST_HOST;
  });
  afterEach(() => {
    process.env = { ...saved };
  });
  const from = (cookie: string | undefined, more: Record<string, string> = {}) =>
    readSessionFrom(new Headers({ ...(cookie === undefined ? {} : { cookie }), ...more }));

  it("reads the token among the browser's other cookies, as Next's cookies() gives it", async () => {
    const token = await nextAuthEncode({ token: { sub: "u-1", sv: 2 }, secret: secret(), maxAge: 3600 });
    expect(await from(`theme=dark; ${PLAIN}=${token}; next-auth.csrf-token=abc%7Cdef`)).toEqual({
      userId: "u-1",
      sessionVersion: 2,
    });
  });

  it("joins a split token, and finds nobody without a cookie, in a garbled header, or under the wrong name", async () => {
    const token = await nextAuthEncode({ token: { sub: "u-2" }, secret: secret(), maxAge: 3600 });
    const cut = Math.floor(token.length / 2);
    expect(await from(`${PLAIN}.1=${token.slice(cut)}; x=1; ${PLAIN}.0=${token.slice(0, cut)}`)).toEqual({
      userId: "u-2",
      sessionVersion: 0,
    });
    expect(await from(undefined)).toBeNull();
    expect(await from(";;; =; ==x; %%")).toBeNull();
    expect(await from(`${PLAIN}=not-a-token`)).toBeNull();
    process.env.NEXTAUTH_URL = "https://eval.example.org";
    expect(await from(`${PLAIN}=${token}`)).toBeNull();
    expect(await from(`__Secure-${PLAIN}=${token}`)).toEqual({ userId: "u-2", sessionVersion: 0 });
  });
});
