/**
 * The Content-Security-Policy of every page. Scripts run only with this response's nonce (Next
 * puts it on its own scripts when it finds it in the request's CSP header) or when loaded by such
 * a script ('strict-dynamic'); nothing may frame the app; images come from the app itself only,
 * so instructions cannot carry a tracking pixel. Styles allow inline attributes: React and the
 * charts set `style=` on elements, which a nonce cannot cover.
 */
export function contentSecurityPolicy(nonce: string, opts: { isDev: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.isDev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${opts.isDev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * Sent with every reply, pages and API alike: next.config.ts hands them to Next, and the routes
 * scripts/serve.ts answers itself (lib/http/node-route.ts) set the same list.
 */
export const SECURITY_HEADERS: readonly { key: string; value: string }[] = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
];

/** API replies: nothing in them may load or run anything, and nothing may frame them (proxy.ts sets it). */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
