/**
 * Integration and end-to-end tests create and delete rows. They refuse any database that is not
 * on this machine or whose name does not say it is for tests, so a stray DATABASE_URL can never
 * point them at real data.
 */
export function assertSafeTestDatabase(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`TEST_DATABASE_URL is not a valid URL`);
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  const isLocal = ["localhost", "127.0.0.1", "::1"].includes(host);
  const name = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
  if (!isLocal) throw new Error(`Refusing to run tests against ${host}: test databases must be on localhost`);
  if (!/test/i.test(name))
    throw new Error(`Refusing to run tests against database "${name}": its name must contain "test"`);
}
