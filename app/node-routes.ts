import type { NodeRoute } from "@/lib/http/node-route";
import { ratingNodeRoute } from "./api/annotation/assignments/[id]/rating/rate";
import { participantRatingNodeRoute } from "./p/[token]/api/rating/rate";

/**
 * The routes `npm start` answers before Next sees the request (scripts/serve.ts,
 * lib/http/node-route.ts): each also has its Next route handler, calling the same function, which
 * `npm run dev` serves so that edits reload. Only the requests annotators (and crowd participants) send in a
 * loop belong here.
 */
export const NODE_ROUTES: readonly NodeRoute[] = [ratingNodeRoute, participantRatingNodeRoute];
