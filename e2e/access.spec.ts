import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { expect, test, type Browser } from "@playwright/test";
import { ADMIN, ANNOTATOR1, RESEARCHER, signIn } from "./fixtures/auth";

type Who = "anonymous" | "ADMIN" | "RESEARCHER" | "ANNOTATOR";
const NO_SUCH_ID = "00000000-0000-4000-8000-000000000000";

/**
 * Every page, and which roles may open it, written out by hand. `public` pages open for
 * anyone; every other page sends a visitor without a session to sign in and answers 403 to a
 * role the permission table does not allow. Dynamic segments get an id that does not exist:
 * an allowed role then sees 404, never 403.
 */
const PAGES: { route: string; path: string; allowed: Who[] | "public" }[] = [
  { route: "/", path: "/", allowed: ["ADMIN", "RESEARCHER", "ANNOTATOR"] },
  { route: "/sign-in", path: "/sign-in", allowed: "public" },
  { route: "/invite/[token]", path: "/invite/not-a-real-token-xxxxxxxxxxxx", allowed: "public" },
  { route: "/admin", path: "/admin", allowed: ["ADMIN"] },
  { route: "/admin/users", path: "/admin/users", allowed: ["ADMIN"] },
  { route: "/eval-sets", path: "/eval-sets", allowed: ["ADMIN", "RESEARCHER"] },
  { route: "/eval-sets/[id]", path: "/eval-sets/[id]", allowed: ["ADMIN", "RESEARCHER"] },
  { route: "/eval-sets/[id]/outputs", path: "/eval-sets/[id]/outputs", allowed: ["ADMIN", "RESEARCHER"] },
  { route: "/systems", path: "/systems", allowed: ["ADMIN", "RESEARCHER"] },
  { route: "/studies/[id]/judge", path: "/studies/[id]/judge", allowed: ["ADMIN", "RESEARCHER"] },
  { route: "/studies", path: "/studies", allowed: ["ADMIN", "RESEARCHER"] },
  { route: "/tasks", path: "/tasks", allowed: ["ANNOTATOR"] },
  { route: "/studies/new", path: "/studies/new", allowed: ["ADMIN", "RESEARCHER"] },
  { route: "/studies/[id]", path: "/studies/[id]", allowed: ["ADMIN", "RESEARCHER"] },
  { route: "/studies/[id]/instructions", path: "/studies/[id]/instructions", allowed: ["ADMIN", "RESEARCHER"] },
  { route: "/studies/[id]/preview", path: "/studies/[id]/preview", allowed: ["ADMIN", "RESEARCHER"] },
  { route: "/tasks/[studyId]", path: `/tasks/${NO_SUCH_ID}`, allowed: ["ANNOTATOR"] },
  { route: "/studies/[id]/results", path: "/studies/[id]/results", allowed: ["ADMIN", "RESEARCHER"] },
  { route: "/studies/[id]/results/report", path: "/studies/[id]/results/report", allowed: ["ADMIN", "RESEARCHER"] },
  { route: "/studies/[id]/crowd", path: "/studies/[id]/crowd", allowed: ["ADMIN", "RESEARCHER"] },
  // A crowd participant's page: without a valid signed link it only says to open it from the platform.
  { route: "/p/[token]", path: "/p/not-a-real-token", allowed: "public" },
];

/** Every route handler outside next-auth's own, by method, with the roles that may call it. */
const API: { route: string; method: "GET" | "POST"; path: string; allowed: Who[]; body?: unknown }[] = [
  { route: "/api/users", method: "GET", path: "/api/users", allowed: ["ADMIN"] },
  { route: "/api/users", method: "POST", path: "/api/users", allowed: ["ADMIN"], body: {} },
  {
    route: "/api/eval-sets/[id]/training-pairs",
    method: "GET",
    path: "/api/eval-sets/[id]/training-pairs",
    allowed: ["ADMIN"],
  },
  {
    route: "/api/eval-sets/[id]/training-pairs/manifest",
    method: "GET",
    path: "/api/eval-sets/[id]/training-pairs/manifest",
    allowed: ["ADMIN"],
  },
  {
    route: "/api/eval-sets/[id]/outputs",
    method: "GET",
    path: "/api/eval-sets/[id]/outputs?format=csv",
    allowed: ["ADMIN", "RESEARCHER"],
  },
  { route: "/api/eval-sets/imports/[id]", method: "GET", path: "/api/eval-sets/imports/[id]", allowed: ["ADMIN"] },
  { route: "/api/jobs/[id]", method: "GET", path: "/api/jobs/[id]", allowed: ["ADMIN", "RESEARCHER"] },
  { route: "/api/jobs/[id]/cancel", method: "POST", path: "/api/jobs/[id]/cancel", allowed: ["ADMIN", "RESEARCHER"] },
  {
    route: "/api/annotation/studies/[id]/next",
    method: "POST",
    path: "/api/annotation/studies/[id]/next",
    allowed: ["ANNOTATOR"],
    body: {},
  },
  {
    route: "/api/annotation/studies/[id]/acknowledge",
    method: "POST",
    path: "/api/annotation/studies/[id]/acknowledge",
    allowed: ["ANNOTATOR"],
    body: {},
  },
  {
    route: "/api/annotation/assignments/[id]",
    method: "GET",
    path: "/api/annotation/assignments/[id]",
    allowed: ["ANNOTATOR"],
  },
  {
    route: "/api/annotation/assignments/[id]/rating",
    method: "POST",
    path: "/api/annotation/assignments/[id]/rating",
    allowed: ["ANNOTATOR"],
    body: {},
  },
  {
    route: "/api/annotation/assignments/[id]/skip",
    method: "POST",
    path: "/api/annotation/assignments/[id]/skip",
    allowed: ["ANNOTATOR"],
    body: {},
  },
  {
    route: "/api/annotation/assignments/[id]/lease",
    method: "POST",
    path: "/api/annotation/assignments/[id]/lease",
    allowed: ["ANNOTATOR"],
    body: {},
  },
  {
    route: "/api/annotation/screens/[id]/ranking",
    method: "POST",
    path: "/api/annotation/screens/[id]/ranking",
    allowed: ["ANNOTATOR"],
    body: {},
  },
  {
    route: "/api/annotation/screens/[id]/skip",
    method: "POST",
    path: "/api/annotation/screens/[id]/skip",
    allowed: ["ANNOTATOR"],
    body: {},
  },
  {
    route: "/api/annotation/screens/[id]/lease",
    method: "POST",
    path: "/api/annotation/screens/[id]/lease",
    allowed: ["ANNOTATOR"],
    body: {},
  },
  {
    route: "/api/studies/[id]/export/ratings",
    method: "GET",
    path: "/api/studies/[id]/export/ratings?format=csv",
    allowed: ["ADMIN", "RESEARCHER"],
  },
  {
    route: "/api/studies/[id]/export/paper-table",
    method: "GET",
    path: "/api/studies/[id]/export/paper-table?format=latex",
    allowed: ["ADMIN", "RESEARCHER"],
  },
  {
    route: "/api/studies/[id]/export/results",
    method: "GET",
    path: "/api/studies/[id]/export/results",
    allowed: ["ADMIN", "RESEARCHER"],
  },
  {
    route: "/api/studies/[id]/audit",
    method: "GET",
    path: "/api/studies/[id]/audit",
    allowed: ["ADMIN", "RESEARCHER"],
  },
  { route: "/api/audit", method: "GET", path: "/api/audit", allowed: ["ADMIN"] },
  {
    route: "/api/studies/[id]/export/payments",
    method: "GET",
    path: "/api/studies/[id]/export/payments",
    allowed: ["ADMIN", "RESEARCHER"],
  },
];

function apiRoutes(dir = "app/api", prefix = "/api"): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) {
      if (full === path.join("app", "api", "auth")) continue;
      out.push(...apiRoutes(full, `${prefix}/${entry}`));
    } else if (entry === "route.ts") out.push(prefix);
  }
  return out;
}

test("the API access table covers every route handler", () => {
  expect([...new Set(API.map((a) => a.route))].sort()).toEqual(apiRoutes().sort());
});

function pageRoutes(dir = "app", prefix = ""): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) {
      if (entry.startsWith("_") || entry === "api") continue;
      const seg = entry.startsWith("(") ? "" : `/${entry}`;
      out.push(...pageRoutes(full, prefix + seg));
    } else if (entry === "page.tsx") out.push(prefix || "/");
  }
  return out;
}

test("the access table covers every page in app/", () => {
  expect(PAGES.map((p) => p.route).sort()).toEqual(pageRoutes().sort());
});

async function contextFor(browser: Browser, who: Who) {
  const ctx = await browser.newContext();
  if (who !== "anonymous") {
    const page = await ctx.newPage();
    await signIn(page, { ADMIN, RESEARCHER, ANNOTATOR: ANNOTATOR1 }[who]);
    await page.close();
  }
  return ctx;
}

for (const who of ["anonymous", "ADMIN", "RESEARCHER", "ANNOTATOR"] as Who[]) {
  test(`${who}: every page answers as the permission table says`, async ({ browser }) => {
    const ctx = await contextFor(browser, who);
    const page = await ctx.newPage();
    for (const p of PAGES) {
      const res = await page.goto(p.path.replace("[id]", NO_SUCH_ID));
      const status = res?.status();
      const url = new URL(page.url());
      if (p.allowed === "public") {
        expect.soft(status, `${who} ${p.path}`).toBeLessThan(400);
      } else if (who === "anonymous") {
        expect.soft(url.pathname, `${who} ${p.path} goes to sign-in`).toBe("/sign-in");
      } else if (p.allowed.includes(who)) {
        expect.soft([200, 404], `${who} ${p.path}`).toContain(status);
      } else {
        expect.soft(status, `${who} ${p.path}`).toBe(403);
      }
    }
    for (const a of API) {
      const res = await ctx.request.fetch(a.path.replace("[id]", NO_SUCH_ID), {
        method: a.method,
        data: a.body,
        // A browser sends its page's Origin with every POST; the CSRF guard refuses requests without one.
        headers: { origin: new URL(page.url()).origin },
        maxRedirects: 0,
      });
      if (who === "anonymous") expect.soft(res.status(), `${who} ${a.method} ${a.path}`).toBe(401);
      else if (a.allowed.includes(who))
        expect.soft([200, 201, 404, 422], `${who} ${a.method} ${a.path}`).toContain(res.status());
      else expect.soft(res.status(), `${who} ${a.method} ${a.path}`).toBe(403);
    }
    await ctx.close();
  });
}
