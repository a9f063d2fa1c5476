import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([
    ".next/**",
    "node_modules/**",
    "lib/generated/**",
    ".data/**",
    "bench/.work/**",
    "test-results/**",
    "playwright-report/**",
    "next-env.d.ts",
    "models/**/*.py",
  ]),
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
    },
  },
  // Dependency direction, for editors (scripts/check-architecture.mjs, run by `npm run lint`,
  // checks the same on relative imports too, and finds cycles between folders).
  ...restrictedImports(),
]);

function restrictedImports() {
  const domains = [
    "annotation",
    "distillation",
    "eval-sets",
    "explorer",
    "generation",
    "judge",
    "results",
    "studies",
    "systems",
    "users",
  ];
  const leaves = ["stats", "text-metrics", "llm", "jobs", "inference", "embeddings"];
  const pastEntry = {
    // Another domain or leaf only through its entry file (or its schemas.ts); ground-floor folders
    // (auth, http, generated) and test support are imported directly.
    regex: "^@/lib/(?!auth/|http/|generated/)[^/]+/(?!schemas$)(?![^/]+/?testing/)(?!testing/).+",
    message: "Import another domain or shared library from its entry file (@/lib/<name>) or its schemas.ts.",
  };
  const noApp = { group: ["@/app/*", "**/app/*"], message: "lib/ must not import app/" };
  const noOnnx = { name: "onnxruntime-node", message: "Use lib/inference, the only code that runs models." };
  const upward = (names, what) => ({
    group: names.flatMap((n) => [`@/lib/${n}`, `@/lib/${n}/*`]),
    message: `${what} must not import a domain: dependencies point down.`,
  });
  const rule = (patterns, paths = [noOnnx]) => ({ "no-restricted-imports": ["error", { patterns, paths }] });
  return [
    { files: ["app/**/*.ts", "app/**/*.tsx"], rules: rule([pastEntry]) },
    { files: ["lib/**/*.ts", "lib/**/*.tsx"], rules: rule([noApp, pastEntry]) },
    { files: ["lib/inference/**"], rules: rule([noApp, pastEntry, upward(domains, "A shared library")], []) },
    {
      files: leaves.filter((l) => l !== "inference").map((l) => `lib/${l}/**`),
      rules: rule([noApp, pastEntry, upward(domains, "A shared library")]),
    },
    {
      files: ["lib/*.ts", "lib/auth/**", "lib/http/**"],
      rules: rule([
        noApp,
        pastEntry,
        upward([...domains, ...leaves], "The ground floor (env, errors, db, auth, http)"),
      ]),
    },
    { files: ["prisma/**", "scripts/**"], rules: rule([]) },
    // Tests wire domains together (the role matrix calls all of them) but still through entry files.
    { files: ["**/*.test.ts", "**/*.int.test.ts"], rules: rule([noApp, pastEntry], []) },
  ];
}
