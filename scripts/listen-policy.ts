import { DEV_ADMIN_PASSWORD, DEV_SECRET } from "@/lib/env";

export const isLoopback = (host: string) =>
  host === "127.0.0.1" || host === "::1" || host === "localhost" || /^127\./.test(host);

/**
 * Where `npm start` listens and whether it may: loopback unless HOST is set, and the development
 * defaults (admin password, session secret) only on loopback. Returns the host, or throws a
 * message saying what to set. `isLocalDemo` is what lets lib/env.ts accept those defaults.
 */
export function listenPolicy(opts: {
  host: string | undefined;
  isEmbeddedDb: boolean;
  adminPassword: string | undefined;
  nextAuthSecret: string | undefined;
}): { host: string; isLocalDemo: boolean } {
  const host = opts.host || "127.0.0.1";
  const local = isLoopback(host);
  const usesDefaults =
    (opts.adminPassword || DEV_ADMIN_PASSWORD) === DEV_ADMIN_PASSWORD ||
    (opts.nextAuthSecret || DEV_SECRET) === DEV_SECRET;
  if (!local && usesDefaults)
    throw new Error(
      `HOST=${host} makes the app reachable from the network, where the development defaults are refused: set your own ADMIN_PASSWORD and NEXTAUTH_SECRET (openssl rand -base64 32), or leave HOST unset to listen on 127.0.0.1 only`,
    );
  return { host, isLocalDemo: opts.isEmbeddedDb && local };
}
