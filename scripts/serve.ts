/**
 * The web server `npm start` runs: Next's request handler behind our own HTTP server, for three
 * things `next start` cannot do. It answers the rating route itself, before Next's router
 * (app/node-routes.ts: about half the web server's CPU per rating is Next's own); it writes the TCP peer's address into a header that clients
 * cannot set (any value they send is overwritten), so sign-in rate limiting never trusts a
 * forged X-Forwarded-For (lib/auth/client-address.ts); and it binds to HOST, loopback unless
 * set, so a local demo is not reachable from the network.
 *
 *   tsx scripts/serve.ts          production build (after `next build`)
 *   tsx scripts/serve.ts --dev    hot reload
 */
import { createServer } from "node:http";
import next from "next";
import { PEER_ADDRESS_HEADER } from "@/lib/auth/client-address";

const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST || "127.0.0.1";

const app = next({ dev, hostname, port });
await app.prepare();
const handle = app.getRequestHandler();
// Imported only now that Next has set up its runtime. Our route modules load Next's own (next/server,
// next/headers), and loaded before prepare() these take Next's stand-in for AsyncLocalStorage, which
// throws on the first request: the server died at start when this file imported lib/http/node-route
// statically. In development Next serves these routes too, so that an edit reloads them.
const { nodeRouteFor } = await import("@/lib/http/node-route");
const nodeRoutes = dev ? [] : (await import("@/app/node-routes")).NODE_ROUTES;

const server = createServer((req, res) => {
  req.headers[PEER_ADDRESS_HEADER] = req.socket.remoteAddress ?? "unknown";
  const serveItself = nodeRouteFor(nodeRoutes, req);
  void (serveItself ? serveItself(res) : handle(req, res));
});
server.listen(port, hostname, () => console.log(`[web] listening on http://${hostname}:${port}`));

for (const sig of ["SIGINT", "SIGTERM"] as const)
  process.on(sig, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 5000).unref();
  });
