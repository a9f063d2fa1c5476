import { describe, expect, it } from "vitest";
import { DEV_ADMIN_PASSWORD } from "@/lib/env";
import { listenPolicy } from "./listen-policy";

const own = { adminPassword: "a-real-admin-password", nextAuthSecret: "x".repeat(40) };

describe("where npm start listens", () => {
  it("binds to loopback unless HOST is set, and lets the local demo keep its defaults there", () => {
    expect(
      listenPolicy({ host: undefined, isEmbeddedDb: true, adminPassword: undefined, nextAuthSecret: undefined }),
    ).toEqual({
      host: "127.0.0.1",
      isLocalDemo: true,
    });
  });

  it("refuses the development defaults on any other interface, embedded database or not", () => {
    for (const isEmbeddedDb of [true, false]) {
      expect(() =>
        listenPolicy({ host: "0.0.0.0", isEmbeddedDb, adminPassword: undefined, nextAuthSecret: undefined }),
      ).toThrow(/HOST=0\.0\.0\.0 .*set your own ADMIN_PASSWORD and NEXTAUTH_SECRET/);
      expect(() =>
        listenPolicy({
          host: "192.0.2.2",
          isEmbeddedDb,
          adminPassword: DEV_ADMIN_PASSWORD,
          nextAuthSecret: own.nextAuthSecret,
        }),
      ).toThrow(/refused/);
    }
  });

  it("listens on the network with the user's own secrets, and is then no local demo", () => {
    expect(listenPolicy({ host: "0.0.0.0", isEmbeddedDb: true, ...own })).toEqual({
      host: "0.0.0.0",
      isLocalDemo: false,
    });
  });
});
