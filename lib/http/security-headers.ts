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
