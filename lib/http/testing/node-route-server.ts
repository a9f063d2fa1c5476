// A real HTTP server on loopback that answers node routes as scripts/serve.ts does. Tests only.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { nodeRouteFor, type NodeRoute } from "../node-route";

/**
 * Serves `routes` as `npm start` does; every other request answers 299 with `x-served-by: next`,
 * standing for Next. `base` is the server's origin; `close` stops it.
 */
export async function listenWithNodeRoutes(routes: readonly NodeRoute[]) {
  const server = createServer((req, res) => {
    const serve = nodeRouteFor(routes, req);
    if (serve) return void serve(res);
    res.writeHead(299, { "x-served-by": "next" }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
