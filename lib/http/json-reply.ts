import { NextResponse } from "next/server";

/**
 * Replies smaller than this go out uncompressed. Next's server gzips every compressible reply
 * whose length it does not know, and a route handler's body is a stream, so it never knows: a
 * 200-byte JSON answer got a gzip stream of its own (zlib's set-up, about 0.5-1 ms of CPU on
 * this machine, more than the reply's own work). A reply this small fits in the first TCP
 * round trip (ten segments, about 14 KB) compressed or not, so gzip saved no time on the wire.
 * Larger replies (exports, lists) are still compressed, and pages are not touched at all.
 */
export const COMPRESS_MIN_BYTES = 8 * 1024;

/**
 * NextResponse.json, but a small reply carries `Cache-Control: no-transform`, which the
 * compression step honours (and so does any proxy on the way: the body is meant as sent).
 */
export function jsonReply<T>(body: T, init: ResponseInit = {}): NextResponse<T> {
  const text = JSON.stringify(body);
  return new NextResponse(text, { ...init, headers: jsonHeaders(text, init.headers) }) as NextResponse<T>;
}

/** A JSON reply's headers: its content type, and `no-transform` on a small one (see above). */
export function jsonHeaders(text: string, init?: HeadersInit): Headers {
  const headers = new Headers(init);
  headers.set("content-type", "application/json");
  if (Buffer.byteLength(text) < COMPRESS_MIN_BYTES) {
    const cacheControl = headers.get("cache-control");
    headers.set("cache-control", cacheControl ? `${cacheControl}, no-transform` : "no-transform");
  }
  return headers;
}
