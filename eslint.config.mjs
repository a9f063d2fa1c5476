import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([".next/**", "node_modules/**", "lib/generated/**", ".data/**", "bench/.work/**", "test-results/**", "playwright-report/**", "next-env.d.ts", "models/**/*.py"]),
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
    },
  },
  {
    // lib/ never imports app/: dependencies point one way (app -> lib).
    files: ["lib/**/*.ts", "lib/**/*.tsx"],
    rules: { "no-restricted-imports": ["error", { patterns: [{ group: ["@/app/*", "**/app/*"], message: "lib/ must not import app/" }] }] },
  },
  {
    // Only lib/inference touches onnxruntime-node.
    files: ["app/**", "lib/!(inference)/**", "prisma/**", "scripts/**"],
    rules: { "no-restricted-imports": ["error", { paths: [{ name: "onnxruntime-node", message: "Use lib/inference, the only code that runs models." }] }] },
  },
]);
