import { describe, expect, it } from "vitest";
import { clientAddress, PEER_ADDRESS_HEADER } from "./client-address";

const PEER = { [PEER_ADDRESS_HEADER]: "198.51.100.9" };

describe("client address for rate limiting", () => {
  it("without trusted proxies, ignores X-Forwarded-For and uses the socket peer", () => {
    // The attack: rotate the first X-Forwarded-For entry on every guess.
    const seen = new Set<string>();
    for (let i = 0; i < 60; i++) seen.add(clientAddress({ ...PEER, "x-forwarded-for": `203.0.113.${i}` }, 0));
    expect([...seen]).toEqual(["198.51.100.9"]);
    expect(clientAddress({ "x-forwarded-for": "203.0.113.1", "x-real-ip": "203.0.113.2" }, 0)).toBe("unknown");
  });

  it("behind one trusted proxy, takes the entry that proxy added, not the client's own", () => {
    // The proxy (peer 10.0.0.2) appended the real client 192.0.2.50 after the forged entries.
    const headers = { [PEER_ADDRESS_HEADER]: "10.0.0.2", "x-forwarded-for": "1.2.3.4, 5.6.7.8, 192.0.2.50" };
    expect(clientAddress(headers, 1)).toBe("192.0.2.50");
    const rotated = new Set<string>();
    for (let i = 0; i < 60; i++)
      rotated.add(clientAddress({ ...headers, "x-forwarded-for": `203.0.113.${i}, 192.0.2.50` }, 1));
    expect([...rotated]).toEqual(["192.0.2.50"]);
  });

  it("behind two trusted proxies, counts two from the right", () => {
    const headers = { [PEER_ADDRESS_HEADER]: "10.0.0.3", "x-forwarded-for": "6.6.6.6, 192.0.2.50, 10.0.0.2" };
    expect(clientAddress(headers, 2)).toBe("192.0.2.50");
    expect(clientAddress({ [PEER_ADDRESS_HEADER]: "10.0.0.3" }, 2)).toBe("10.0.0.3");
  });
});
