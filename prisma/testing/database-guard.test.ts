import { describe, expect, it } from "vitest";
import { assertSafeTestDatabase } from "./database-guard";

describe("test database guard", () => {
  it("accepts a local test database", () => {
    expect(() => assertSafeTestDatabase("postgresql://u:p@127.0.0.1:5432/app_test")).not.toThrow();
    expect(() => assertSafeTestDatabase("postgresql://u:p@localhost/test_app")).not.toThrow();
  });
  it("refuses a remote host", () => {
    expect(() => assertSafeTestDatabase("postgresql://u:p@db.example.com/app_test")).toThrow(/localhost/);
  });
  it("refuses a database whose name does not say test", () => {
    expect(() => assertSafeTestDatabase("postgresql://u:p@localhost/production")).toThrow(/must contain "test"/);
  });
});
