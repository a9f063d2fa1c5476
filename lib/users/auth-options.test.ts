import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { PEER_ADDRESS_HEADER } from "@/lib/auth/client-address";
import { RateLimitError } from "@/lib/errors";
import { authOptions, SIGN_IN_UNAVAILABLE } from "./auth-options";

const authenticate = vi.hoisted(() => vi.fn());
vi.mock("./authenticate", () => ({ authenticate }));

type Authorize = (
  credentials: Record<string, string> | undefined,
  req: { headers?: Record<string, string> },
) => Promise<unknown>;
const authorize = () =>
  (authOptions().providers[0] as unknown as { options: { authorize: Authorize } }).options.authorize;

beforeEach(() => authenticate.mockReset());

describe("next-auth credentials", () => {
  it("signs in the actor that authenticate returns, limited by the socket address, not a forged X-Forwarded-For", async () => {
    authenticate.mockResolvedValue({ id: "u1", role: "ADMIN", email: "a@x.test", name: "A" });
    const user = await authorize()(
      { email: "a@x.test", password: "pw" },
      { headers: { "x-forwarded-for": "203.0.113.7, 10.0.0.1", [PEER_ADDRESS_HEADER]: "198.51.100.4" } },
    );
    expect(user).toEqual({ id: "u1", email: "a@x.test", name: "A", sessionVersion: undefined });
    expect(authenticate).toHaveBeenCalledWith({ email: "a@x.test", password: "pw", ipAddress: "198.51.100.4" });
  });

  it("shows a plain message, never a database error or zod's JSON", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    authenticate.mockRejectedValueOnce(
      new Error("Invalid `prisma.signInAttempt.count()` invocation: Can't reach database server at 127.0.0.1:5433"),
    );
    const err = (await authorize()({ email: "a@x.test", password: "pw" }, { headers: {} }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(err.message).toBe(SIGN_IN_UNAVAILABLE);
    expect(log).toHaveBeenCalled(); // the details go to the log
    authenticate.mockImplementationOnce(async (input: { password: string }) =>
      z.object({ password: z.string().max(200) }).parse(input),
    );
    expect(await authorize()({ email: "a@x.test", password: "x".repeat(201) }, { headers: {} })).toBeNull();
    log.mockRestore();
  });

  it("refuses wrong credentials, and shows only the rate limit's message to the person", async () => {
    authenticate.mockResolvedValueOnce(null);
    expect(await authorize()({ email: "a@x.test", password: "no" }, { headers: {} })).toBeNull();
    expect(authenticate).toHaveBeenLastCalledWith(expect.objectContaining({ ipAddress: "unknown" }));
    authenticate.mockRejectedValueOnce(new RateLimitError("Too many sign-in attempts. Try again in 3 minutes.", 180));
    const err = await authorize()({ email: "a@x.test", password: "no" }, { headers: {} }).catch((e: unknown) => e);
    // A plain Error: next-auth shows its message on the sign-in page.
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(RateLimitError);
    expect((err as Error).message).toBe("Too many sign-in attempts. Try again in 3 minutes.");
    vi.spyOn(console, "error").mockImplementationOnce(() => {});
    authenticate.mockRejectedValueOnce(new Error("database is down"));
    await expect(authorize()({ email: "a@x.test", password: "no" }, { headers: {} })).rejects.toThrow(
      SIGN_IN_UNAVAILABLE,
    );
  });

  it("keeps only the user's id in the session cookie: the role is read fresh for every request", async () => {
    const { jwt, session } = authOptions().callbacks!;
    const token = await jwt!({
      token: {},
      user: { id: "u1", email: "a@x.test", name: "A", sessionVersion: 3 },
    } as never);
    expect(token).toEqual({ sub: "u1", sv: 3 });
    const s = await session!({ session: { user: { name: "A", email: "a@x.test" }, expires: "" }, token } as never);
    expect(s.user).toEqual({ id: "u1", name: "A", email: "a@x.test" });
  });
});
