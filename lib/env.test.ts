import { afterEach, describe, expect, it } from "vitest";
import { DEV_ADMIN_PASSWORD, parseEnv } from "./env";

afterEach(() => {
  delete process.env.LOCAL_DEMO;
});

describe("environment", () => {
  it("fills development defaults", () => {
    const e = parseEnv({ NODE_ENV: "development" });
    expect(e.ADMIN_PASSWORD).toBe(DEV_ADMIN_PASSWORD);
    expect(e.MODELS_DIR).toBe("models");
  });

  it("refuses the development admin password and secret in production, naming both", () => {
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(
      /ADMIN_PASSWORD: the development default[\s\S]*NEXTAUTH_SECRET/,
    );
  });

  it("accepts production with its own secrets", () => {
    const e = parseEnv({
      NODE_ENV: "production",
      ADMIN_PASSWORD: "a-real-long-password",
      NEXTAUTH_SECRET: "x".repeat(40),
      DATABASE_URL: "postgresql://u@h/db",
    });
    expect(e.ADMIN_PASSWORD).toBe("a-real-long-password");
  });

  it("lets the local demo on the embedded database use the defaults", () => {
    process.env.LOCAL_DEMO = "1";
    expect(() => parseEnv({ NODE_ENV: "production" })).not.toThrow();
  });

  it("lists every bad variable with what to fix", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://x", ADMIN_EMAIL: "nope", TEACHER_BASE_URL: "not a url" })).toThrow(
      /DATABASE_URL: DATABASE_URL must be a postgresql:\/\/ URL[\s\S]*ADMIN_EMAIL[\s\S]*TEACHER_BASE_URL/,
    );
  });

  it("reads the pool size and worker timings as numbers and refuses nonsense", () => {
    expect(parseEnv({})).toMatchObject({ DATABASE_POOL_SIZE: 10, WORKER_LEASE_MS: 30000, WORKER_POLL_MS: 1000 });
    expect(parseEnv({ DATABASE_POOL_SIZE: "4", WORKER_LEASE_MS: "60000", WORKER_POLL_MS: "250" })).toMatchObject({
      DATABASE_POOL_SIZE: 4,
      WORKER_LEASE_MS: 60000,
      WORKER_POLL_MS: 250,
    });
    expect(() => parseEnv({ DATABASE_POOL_SIZE: "many", WORKER_LEASE_MS: "5", WORKER_POLL_MS: "0" })).toThrow(
      /DATABASE_POOL_SIZE[\s\S]*WORKER_LEASE_MS must be at least 1000[\s\S]*WORKER_POLL_MS must be at least 10/,
    );
  });

  it("reads LLM call limits as numbers and refuses nonsense", () => {
    expect(parseEnv({ TEACHER_TIMEOUT_MS: "90000", TEACHER_MAX_RETRIES: "2" })).toMatchObject({
      TEACHER_TIMEOUT_MS: 90000,
      TEACHER_MAX_RETRIES: 2,
    });
    expect(() => parseEnv({ TEACHER_TIMEOUT_MS: "5" })).toThrow(/TEACHER_TIMEOUT_MS must be at least 1000/);
  });
});
