const BASE = "http://same-site.invalid";

/** Reads a path the way a browser reads a Location header (WHATWG URL) and keeps it only on this site. */
function resolveOnSite(value: string): string | undefined {
  if (!value.startsWith("/")) return undefined;
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return undefined; // `//` followed by something that is not a host name
  }
  return url.origin === BASE ? `${url.pathname}${url.search}${url.hash}` : undefined;
}

/**
 * The sign-in page's `callbackUrl`, kept only when it is a path on this site. It is read the
 * way a browser would read it (WHATWG URL), so `//host`, `/\host` and `/<tab>/host`, which
 * browsers all take for another host, are refused: a link to our sign-in page must not bounce
 * a person to a look-alike site after they sign in.
 *
 * The check runs again on the normalised result, because normalising can create what it
 * removed: `/.//evil.example/` and `/x/..//evil.example` both normalise to `//evil.example/`,
 * which a browser then reads as another host. Only a path that is its own normalisation and
 * starts with exactly one slash is returned.
 */
export function sameSiteCallbackPath(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const once = resolveOnSite(value);
  if (once === undefined || /^\/[/\\]/.test(once)) return undefined;
  const twice = resolveOnSite(once);
  return twice === once ? once : undefined;
}

/**
 * next-auth's `callbackUrl` (its sign-in and sign-out endpoints and their cookie): a same-site
 * path, or an absolute URL on the app's own origin reduced to its path; anything else is refused.
 */
export function sameOriginCallback(value: string, appOrigin: string): string | undefined {
  if (value.startsWith("/")) return sameSiteCallbackPath(value);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  return url.origin === appOrigin ? sameSiteCallbackPath(`${url.pathname}${url.search}${url.hash}`) : undefined;
}
