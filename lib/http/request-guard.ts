import { env } from "@/lib/env";
import { RequestRefusedError } from "@/lib/errors";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** What the guard reads of a request: a Web Request, or the view lib/http/node-route.ts makes of Node's. */
export interface GuardedRequest {
  method: string;
  headers: { get(name: string): string | null; has(name: string): boolean };
}

function originOf(value: string | null): string | undefined {
  if (!value || value === "null") return undefined;
  try {
    return new URL(value).origin;
  } catch {
    return undefined;
  }
}

/** The origins this app is served from: its public URL, and the host the browser addressed. */
function ownOrigins(req: GuardedRequest): Set<string> {
  const own = new Set<string>();
  const publicUrl = originOf(env().NEXTAUTH_URL ?? null);
  if (publicUrl) own.add(publicUrl);
  // The Host header is set by the browser and cannot be forged by a page on another site; Next's
  // own server-action check compares the Origin with it the same way.
  const host = req.headers.get("host");
  if (host) for (const scheme of ["http", "https"]) own.add(`${scheme}://${host}`);
  return own;
}

/**
 * Refuses a state-changing request unless its Origin (or, when a browser sent none, its
 * Referer) is this app's own. A browser always sends Origin on a cross-site POST, and a page on
 * another port of the same host is another origin even though it shares our cookies.
 */
export function requireSameOrigin(req: GuardedRequest): void {
  const claimed = req.headers.get("origin") ?? req.headers.get("referer");
  const origin = originOf(claimed);
  if (!origin || !ownOrigins(req).has(origin))
    throw new RequestRefusedError(
      "Refused: this request did not come from this app's own pages. Reload the page and try again.",
    );
}

/** Refuses a body that is not JSON: a cross-site form can send text/plain without asking first. */
export function requireJsonBody(req: GuardedRequest): void {
  const type = req.headers.get("content-type");
  const hasBody =
    type !== null || Number(req.headers.get("content-length") ?? 0) > 0 || req.headers.has("transfer-encoding");
  if (!hasBody) return;
  const mediaType = type?.split(";")[0]?.trim().toLowerCase();
  if (mediaType !== "application/json")
    throw new RequestRefusedError("Send the request body as JSON (Content-Type: application/json).", 415);
}

/** Both checks, for every method but GET, HEAD and OPTIONS. */
export function guardStateChange(req: GuardedRequest): void {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return;
  requireSameOrigin(req);
  requireJsonBody(req);
}
