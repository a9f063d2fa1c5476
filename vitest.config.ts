import path from "node:path";
import { defineConfig } from "vitest/config";

// Two runner projects: pure unit tests, and integration tests against a real Postgres that
// the global setup starts (embedded) or borrows (TEST_DATABASE_URL, local test databases only).
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "prisma/**/*.test.ts", "scripts/**/*.test.ts", "app/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "node_modules/**"],
          environment: "node",
          // Some unit tests load and run real ONNX models; on a busy 2-core machine they take seconds.
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: [
            "lib/**/*.int.test.ts",
            "prisma/**/*.int.test.ts",
            "app/**/*.int.test.ts",
            "scripts/**/*.int.test.ts",
          ],
          environment: "node",
          globalSetup: ["./prisma/testing/global-setup.ts"],
          setupFiles: ["./prisma/testing/setup-env.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
