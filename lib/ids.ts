import { NotFoundError } from "@/lib/errors";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id from a URL: anything that is not a UUID cannot name a row, so it is simply not found. */
export function requireId(value: string, what: string): string {
  if (!UUID.test(value)) throw new NotFoundError(`No such ${what}`);
  return value;
}
