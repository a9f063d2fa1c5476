/**
 * The header our own server (scripts/serve.ts) sets on every request to the TCP peer's address,
 * overwriting whatever a client sent under that name.
 */
export const PEER_ADDRESS_HEADER = "x-distil-peer-address";

type Headers = Record<string, string | string[] | undefined> | undefined;

function header(headers: Headers, name: string): string | undefined {
  const value = headers?.[name];
  return (Array.isArray(value) ? value.join(",") : value)?.trim() || undefined;
}

/**
 * The client's address for rate limiting. X-Forwarded-For is written by whoever sent the
 * request, so it is trusted only behind `trustedProxies` reverse proxies, each of which appends
 * the address it received from: the entry the last trusted proxy added (counted from the right,
 * the socket peer being the nearest proxy) is the client. With no trusted proxy, the socket peer.
 */
export function clientAddress(headers: Headers, trustedProxies: number): string {
  const peer = header(headers, PEER_ADDRESS_HEADER);
  if (trustedProxies === 0) return peer ?? "unknown";
  const forwarded = (header(headers, "x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const chain = peer ? [...forwarded, peer] : forwarded;
  if (!chain.length) return "unknown";
  return chain[Math.max(0, chain.length - 1 - trustedProxies)];
}
