/**
 * `npm run bench -- --only=annotation`: the annotation path over HTTP against `npm start` on
 * loopback (its own embedded database, .data/postgres-bench-annotation), on a study of 20,000
 * pairs (5,000 items x 4 students), 200 annotators, k = 3.
 *   1. steady load: claims and submits at 50 requests/s in all (open loop: a request leaves on
 *      schedule whether or not earlier ones came back), p50/p95 of each;
 *   2. peak: 50 annotators looping as fast as the server answers, ratings/s.
 * A submit asks for the next item in the same reply (?next=1), as the annotator page does, so
 * after the first claim each annotator sends one request per rating; "submit" times are those
 * of the combined request. --separate-claims=1 measures the older loop (claim, submit, claim...).
 * After each run it checks in the database: at most k ratings per pair, none duplicated, nobody
 * over the cap, nobody with two open items or two pairs of one item, counters consistent.
 * Each run also reports the CPU time the server spent per request (the web server's process and
 * the database's processes, from /proc), which other load on a shared machine does not inflate
 * the way it inflates latency, and the bench client's own CPU, which competes with the server's.
 *   options: --seconds=30 (each run), --rate=50, --loopers=50, --pool=20 (the web server's
 *   DATABASE_POOL_SIZE), --separate-claims=0
 */
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import http from "node:http";
import { cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { DEFAULT_CRITERIA } from "@/lib/studies";
import { freePort } from "@/prisma/embedded-postgres";
import { findDescendant, postmasterPid, treeCpuSeconds } from "./cpu";
import { buildStudy, checkInvariants, type BenchStudy } from "./study";

const arg = (name: string, dflt: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? dflt);
const SECONDS = arg("seconds", 30);
const RATE = arg("rate", 50);
const LOOPERS = arg("loopers", 50);
/** The web server's connections to the database (DATABASE_POOL_SIZE). */
const POOL = arg("pool", 20);
/** --separate-claims=1: the older page's loop, a claim request after every rating. */
const SEPARATE_CLAIMS = arg("separate-claims", 0) === 1;
const TARGET_P95_MS = 100;
const TARGET_PEAK = 200;
const DB_DIR = ".data/postgres-bench-annotation";
/**
 * Every run starts from a new database (its cluster made afresh, a few seconds): the studies of
 * earlier runs, and autovacuum working through them, made the database's CPU per rating drift
 * from 2.8 to 3.9 ms over nine runs of unchanged code, more than the changes being measured.
 */
rmSync(DB_DIR, { recursive: true, force: true });

const appPort = await freePort();
const dbPort = await freePort();
const dbName = "distil_eval_bench_annotation";
const base = `http://localhost:${appPort}`;
const dbUrl = `postgresql://postgres:postgres@127.0.0.1:${dbPort}/${dbName}`;

function startApp() {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(appPort),
    EMBEDDED_DB_DIR: DB_DIR,
    EMBEDDED_DB_PORT: String(dbPort),
    EMBEDDED_DB_NAME: dbName,
    NEXTAUTH_URL: base,
    SEED_DEMO: "0",
    START_WORKER: "0",
    DATABASE_POOL_SIZE: String(POOL),
  };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    stdio: ["ignore", "pipe", "inherit"],
    env,
  });
  child.stdout!.on("data", (b: Buffer) => {
    for (const line of b.toString().split("\n")) if (line.startsWith("[start]")) console.log(`  ${line}`);
  });
  return child;
}

async function waitForApp(deadlineMs: number) {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(`${base}/sign-in`)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`the app did not answer on ${base} within ${deadlineMs / 1000} s`);
}

const cookieOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");

/** Signs in through next-auth's own credentials endpoint, as the sign-in form does. */
async function signIn(email: string, password: string): Promise<string> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieOf(csrf), origin: base },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${base}/tasks`, json: "true" }),
  });
  const cookie = cookieOf(res);
  if (!cookie.includes("session-token")) throw new Error(`sign-in of ${email} failed: HTTP ${res.status}`);
  return cookie;
}

interface Annotator {
  cookie: string;
  item: string | null;
  busy: boolean;
  done: boolean;
}
const stats = { claim: [] as number[], submit: [] as number[], errors: new Map<string, number>(), ratings: 0 };
const resetStats = () => {
  stats.claim = [];
  stats.submit = [];
  stats.errors = new Map();
  stats.ratings = 0;
};
const scores = Object.fromEntries(DEFAULT_CRITERIA.map((c) => [c.key, { left: 4, right: 3 }]));

type NextReply = { state?: string; item?: { assignmentId: string } };
const take = (a: Annotator, next: NextReply | null) => {
  if (next?.state === "item" && next.item) a.item = next.item.assignmentId;
  else a.done = true;
};

/**
 * The bench client's own requests, through node:http with one keep-alive connection per
 * annotator: the client shares the server's cores, and fetch (undici) spent about 0.8 ms of CPU
 * per request there, a tenth of the server's own work, which this spends less of.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
function post(path: string, cookie: string, body: string, retried = false): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${base}${path}`,
      {
        method: "POST",
        agent,
        headers: {
          cookie,
          "content-type": "application/json",
          origin: base,
          "content-length": Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          let json: unknown = null;
          try {
            json = JSON.parse(Buffer.concat(chunks).toString());
          } catch {
            /* not JSON: counted as an error by its status */
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
        res.on("error", reject);
      },
    );
    req.on("error", (err: NodeJS.ErrnoException) => {
      // The server closed an idle keep-alive connection as this request went out on it (Node's
      // documented race): send it again once, on a new connection. Claims and submits are idempotent.
      if (req.reusedSocket && err.code === "ECONNRESET" && !retried)
        post(path, cookie, body, true).then(resolve, reject);
      else reject(err);
    });
    req.end(body);
  });
}
const ok2xx = (status: number) => status >= 200 && status < 300;

async function step(a: Annotator, s: BenchStudy) {
  try {
    await stepOnce(a, s);
  } catch (err) {
    const key = `network ${(err as NodeJS.ErrnoException).code ?? String(err)}`;
    stats.errors.set(key, (stats.errors.get(key) ?? 0) + 1);
  }
}

async function stepOnce(a: Annotator, s: BenchStudy) {
  const t = performance.now();
  if (a.item) {
    // As the annotator page does: the reply to a rating carries the next item (?next=1).
    const res = await post(
      `/api/annotation/assignments/${a.item}/rating${SEPARATE_CLAIMS ? "" : "?next=1"}`,
      a.cookie,
      JSON.stringify({ instructionsVersionId: s.versionId, scores, preference: "LEFT", activeMs: 4000 }),
    );
    const body = res.json as { next?: NextReply } | null;
    stats.submit.push(performance.now() - t);
    if (ok2xx(res.status)) {
      stats.ratings++;
      a.item = null;
      if (body?.next) take(a, body.next);
    } else stats.errors.set(`submit ${res.status}`, (stats.errors.get(`submit ${res.status}`) ?? 0) + 1);
  } else {
    const res = await post(`/api/annotation/studies/${s.studyId}/next`, a.cookie, "{}");
    stats.claim.push(performance.now() - t);
    if (!ok2xx(res.status)) stats.errors.set(`claim ${res.status}`, (stats.errors.get(`claim ${res.status}`) ?? 0) + 1);
    else take(a, res.json as NextReply | null);
  }
}

/** CPU of the web server, the database and this client over one run, per request the server answered. */
function cpuMeter() {
  const web = findDescendant(app.pid!, /scripts\/serve\.ts/);
  const pgPid = postmasterPid(DB_DIR);
  const read = () => ({
    web: web ? treeCpuSeconds(web) : NaN,
    db: pgPid ? treeCpuSeconds(pgPid) : NaN,
    client: process.cpuUsage(),
  });
  const start = read();
  return () => {
    const end = read();
    const n = stats.claim.length + stats.submit.length;
    const ms = (s: number) => ((s * 1000) / n).toFixed(1);
    const client = process.cpuUsage(start.client);
    return (
      `  CPU per request (n=${n}): web server ${ms(end.web - start.web)} ms, database ${ms(end.db - start.db)} ms` +
      ` (bench client ${ms((client.user + client.system) / 1e6)} ms); load average ${loadavg()[0].toFixed(1)}`
    );
  };
}

const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const fmt = (xs: number[]) =>
  xs.length ? `p50 ${pct(xs, 50).toFixed(0)} ms, p95 ${pct(xs, 95).toFixed(0)} ms (n=${xs.length})` : "none (n=0)";

async function steady(pool: Annotator[], s: BenchStudy) {
  resetStats();
  const cpu = cpuMeter();
  const interval = 1000 / RATE;
  const start = performance.now();
  const inflight: Promise<void>[] = [];
  let next = 0;
  let skipped = 0;
  for (let i = 0; i < RATE * SECONDS; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    // The next annotator with nothing in flight, round robin: a person sends one request at a time.
    let a: Annotator | undefined;
    for (let j = 0; j < pool.length && !a; j++) {
      const c = pool[(next + j) % pool.length];
      if (!c.busy && !c.done) a = c;
    }
    next++;
    if (!a) {
      skipped++;
      continue;
    }
    a.busy = true;
    inflight.push(step(a, s).finally(() => (a.busy = false)));
  }
  await Promise.all(inflight);
  const secs = (performance.now() - start) / 1000;
  console.log(
    `steady ${RATE} requests/s for ${secs.toFixed(1)} s: claim ${fmt(stats.claim)}; submit ${fmt(stats.submit)}` +
      (skipped ? `; ${skipped} slots with every annotator busy` : ""),
  );
  console.log(cpu());
  return { claimP95: pct(stats.claim, 95), submitP95: pct(stats.submit, 95) };
}

async function peak(pool: Annotator[], s: BenchStudy) {
  resetStats();
  const cpu = cpuMeter();
  const start = performance.now();
  const until = start + SECONDS * 1000;
  await Promise.all(
    pool.map(async (a) => {
      while (performance.now() < until && !a.done) await step(a, s);
    }),
  );
  const secs = (performance.now() - start) / 1000;
  const perSec = stats.ratings / secs;
  console.log(
    `peak, ${pool.length} annotators looping for ${secs.toFixed(1)} s: ${stats.ratings} ratings, ${perSec.toFixed(1)} ratings/s; ` +
      `claim ${fmt(stats.claim)}; submit ${fmt(stats.submit)}`,
  );
  console.log(cpu());
  return perSec;
}

const app = startApp();
let ok = true;
try {
  console.log(`starting npm start on ${base} (builds the app first when its sources changed)…`);
  await waitForApp(900_000);
  const client = new pg.Client({ connectionString: dbUrl });
  client.on("error", () => undefined); // the database stops with the app at the end
  await client.connect();
  let t = performance.now();
  const study = await buildStudy(client, {
    tag: `bench-annotation-${Date.now()}`,
    items: 5000,
    students: 4,
    annotators: 200,
    k: 3,
  });
  // As a live study's tables are: analysed, and their visibility maps set (autovacuum's work),
  // rather than freshly bulk-loaded with autovacuum about to start on them mid-run.
  await client.query("VACUUM ANALYZE");
  const pairs = (await client.query(`SELECT count(*)::int AS n FROM "Pair" WHERE "studyId" = $1`, [study.studyId]))
    .rows[0].n;
  console.log(
    `study: ${pairs} pairs, ${study.annotators.length} annotators, k = ${study.k}, cap ${study.cap} per annotator, built in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  t = performance.now();
  const pool: Annotator[] = [];
  for (let i = 0; i < study.annotators.length; i += 4) {
    const batch = study.annotators.slice(i, i + 4);
    for (const cookie of await Promise.all(batch.map((a) => signIn(a.email, study.password))))
      pool.push({ cookie, item: null, busy: false, done: false });
  }
  console.log(`signed in ${pool.length} annotators in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  // Warm-up: compiles the route handlers and fills the connection pools.
  await Promise.all(pool.slice(0, 20).map((a) => step(a, study)));

  const check = async (label: string) => {
    const problems = await checkInvariants(client, study);
    const errs = [...stats.errors].map(([k, n]) => `${n} x ${k}`).join(", ");
    console.log(
      `  invariants after ${label}: ${problems.length ? `BROKEN: ${problems.join("; ")}` : "all hold (≤ k per pair, no duplicate, nobody over cap, one open item each, one pair per item each)"}` +
        (errs ? `; HTTP errors: ${errs}` : "; no HTTP errors"),
    );
    if (problems.length) ok = false;
  };
  const s = await steady(pool, study);
  await check("the steady run");
  const perSec = await peak(pool.slice(0, LOOPERS), study);
  await check("the peak run");
  const rated = (await client.query(`SELECT count(*)::int AS n FROM "Rating" WHERE "studyId" = $1`, [study.studyId]))
    .rows[0].n;
  await client.end();
  console.log(`machine: ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)}; ${rated} ratings in the study`);
  console.log(
    `claim p95 ${s.claimP95.toFixed(0)} ms, submit p95 ${s.submitP95.toFixed(0)} ms at ${RATE} requests/s (target < ${TARGET_P95_MS}): ` +
      `${s.claimP95 < TARGET_P95_MS && s.submitP95 < TARGET_P95_MS ? "MET" : "MISSED"}; ` +
      `peak ${perSec.toFixed(1)} ratings/s (target ≥ ${TARGET_PEAK}): ${perSec >= TARGET_PEAK ? "MET" : "MISSED"}`,
  );
} catch (err) {
  console.error(err);
  ok = false;
} finally {
  app.kill("SIGTERM");
  await new Promise((r) => app.once("exit", r));
}
process.exit(ok ? 0 : 1);
