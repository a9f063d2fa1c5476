const BASE = "http://same-site.invalid";

/**
 * The sign-in page's `callbackUrl`, kept only when it is a path on this site. It is read the
 * way a browser would read it (WHATWG URL), so `//host`, `/\host` and `/<tab>/host`, which
 * browsers all take for another host, are refused: a link to our sign-in page must not bounce
 * a person to a look-alike site after they sign in.
 */
export function sameSiteCallbackPath(value: string | undefined): string | undefined {
  if (!value?.startsWith("/")) return undefined;
  const url = new URL(value, BASE);
  return url.origin === BASE ? `${url.pathname}${url.search}${url.hash}` : undefined;
}
