import { NextResponse } from "next/server";
import { ZodError } from "zod";
import { AppError, RateLimitError, ValidationError } from "@/lib/errors";
import { jsonReply } from "./json-reply";
import { guardStateChange } from "./request-guard";

export interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}

function prismaCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown })?.code;
  return typeof code === "string" && /^P\d{4}$/.test(code) ? code : undefined;
}

/**
 * The one mapping from thrown errors to HTTP: zod -> 422 with the fields to fix, AppError -> its
 * status, Prisma P2025 -> 404, P2002 -> 409, anything else -> a plain 500 that leaks nothing.
 */
export function toErrorBody(err: unknown): { status: number; body: ErrorBody; headers?: Record<string, string> } {
  if (err instanceof ZodError) {
    const fields: Record<string, string> = {};
    for (const issue of err.issues) fields[issue.path.join(".") || "_"] ??= issue.message;
    const message = Object.entries(fields)
      .map(([k, v]) => (k === "_" ? v : `${k}: ${v}`))
      .join("; ");
    return { status: 422, body: { error: { code: "validation", message, fields } } };
  }
  if (err instanceof AppError) {
    const fields = err instanceof ValidationError && Object.keys(err.fields).length ? err.fields : undefined;
    const headers = err instanceof RateLimitError ? { "Retry-After": String(err.retryAfterSeconds) } : undefined;
    return { status: err.status, body: { error: { code: err.code, message: err.message, fields } }, headers };
  }
  const code = prismaCode(err);
  if (code === "P2025") return { status: 404, body: { error: { code: "not_found", message: "Not found" } } };
  if (code === "P2002") return { status: 409, body: { error: { code: "conflict", message: "That already exists" } } };
  console.error("Unhandled error", err);
  return {
    status: 500,
    body: {
      error: {
        code: "internal",
        message: "Something went wrong on our side. Try again; if it keeps happening, tell an admin.",
      },
    },
  };
}

export function errorResponse(err: unknown): NextResponse<ErrorBody> {
  const { status, body, headers } = toErrorBody(err);
  return jsonReply(body, { status, headers });
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** A browser opening a GET route (a download link, a typed URL) asks for HTML first. */
function wantsPage(req: Request): boolean {
  if (req.method !== "GET") return false;
  const accept = req.headers.get("accept") ?? "";
  return accept.includes("text/html") && !accept.startsWith("application/json");
}

/**
 * The same mapped error as a readable page, for a person who opened a GET route in the browser
 * (raw JSON there reads as a crash). The way back is the page they came from, when it is ours.
 */
export function errorPage(err: unknown, req: Request): Response {
  const { status, body, headers } = toErrorBody(err);
  const origin = new URL(req.url).origin;
  const referer = req.headers.get("referer");
  const back = referer && new URL(referer, origin).origin === origin ? new URL(referer, origin).pathname : "/";
  const fields = Object.values(body.error.fields ?? {});
  const details = fields.length > 0 ? fields : [body.error.message];
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${status}: could not do that</title></head><body><main><h1>That did not work</h1>${details.map((d) => `<p role="alert">${escapeHtml(d)}</p>`).join("")}<p><a href="${escapeHtml(back)}">Go back</a></p></main></body></html>`;
  return new Response(html, { status, headers: { ...headers, "Content-Type": "text/html; charset=utf-8" } });
}

/**
 * Wraps a route handler so that every error goes through the one mapper. A state-changing
 * request (anything but GET, HEAD, OPTIONS) is refused before the handler runs unless it comes
 * from the app's own origin with a JSON body (or none): the CSRF guard lives here, once, so no
 * route can forget it. A browser opening a GET route directly gets the error as a page, not JSON.
 */
export function handle<A extends [Request, ...unknown[]]>(fn: (...args: A) => Promise<Response>) {
  return async (...args: A): Promise<Response> => {
    try {
      guardStateChange(args[0]);
      return await fn(...args);
    } catch (err) {
      if (isNextControlFlow(err)) throw err;
      return wantsPage(args[0]) ? errorPage(err, args[0]) : errorResponse(err);
    }
  };
}

/** Result type for server actions: forms show `error.message` and per-field messages. */
export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ErrorBody["error"] };

/** Wraps a server action body so its errors reach the form as data, mapped the same way. */
export async function runAction<T>(fn: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await fn() };
  } catch (err) {
    if (isNextControlFlow(err)) throw err;
    return { ok: false, error: toErrorBody(err).body.error };
  }
}

// redirect(), notFound() and forbidden() work by throwing; they must pass through untouched.
function isNextControlFlow(err: unknown): boolean {
  const digest = (err as { digest?: unknown })?.digest;
  return (
    typeof digest === "string" &&
    (digest.startsWith("NEXT_REDIRECT") || digest.startsWith("NEXT_HTTP_ERROR_FALLBACK") || digest === "NEXT_NOT_FOUND")
  );
}
