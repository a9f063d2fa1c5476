import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "@/prisma/embedded-postgres";

// `npm run dev` (the supervisor of scripts/start.ts without the production build, which would
// take minutes here): a real embedded PostgreSQL, the real web server and the real worker.
let start: ChildProcess | undefined;
let output = "";
afterAll(() => {
  if (start?.exitCode === null) start.kill("SIGKILL");
});

function waitForOutput(re: RegExp, from: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`timed out waiting for ${re}; output:\n${output}`)), timeoutMs);
    const check = () => {
      if (re.test(output.slice(from))) {
        clearTimeout(deadline);
        clearInterval(timer);
        resolve();
      }
    };
    const timer = setInterval(check, 100);
    check();
  });
}

function childPid(parent: number, script: string): number {
  const lines = execFileSync("ps", ["-o", "pid=,args=", "--ppid", String(parent)], { encoding: "utf8" }).split("\n");
  const line = lines.find((l) => l.includes(script));
  if (!line) throw new Error(`no child running ${script}:\n${lines.join("\n")}`);
  return Number(line.trim().split(/\s+/)[0]);
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("the npm start supervisor", () => {
  it("restarts a SIGKILLed worker, and exits non-zero within seconds when the web server dies", async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(await freePort()),
      EMBEDDED_DB_PORT: String(await freePort()),
      EMBEDDED_DB_DIR: ".data/postgres-start-test",
      EMBEDDED_DB_NAME: "distil_eval_start_test",
      SEED_DEMO: "0",
      WORKER_POLL_MS: "200",
    };
    delete env.DATABASE_URL;
    delete (env as Record<string, string | undefined>).NODE_ENV;
    start = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts", "--dev"], { env, stdio: "pipe" });
    start.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    start.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    await waitForOutput(/\[worker\] waiting for jobs/, 0, 240_000);
    await waitForOutput(/\[web\] listening on http:\/\/127\.0\.0\.1:/, 0, 240_000);

    const worker = childPid(start.pid!, "scripts/worker.ts");
    const web = childPid(start.pid!, "scripts/serve.ts");
    const mark = output.length;
    process.kill(worker, "SIGKILL");
    await waitForOutput(/\[start\] worker exited \(code 1\); restarting in 1s/, mark, 10_000);
    await waitForOutput(/\[worker\] waiting for jobs/, mark, 60_000);
    const restarted = childPid(start.pid!, "scripts/worker.ts");
    expect(restarted).not.toBe(worker);
    expect(isAlive(web)).toBe(true); // the web server was not taken down with the worker

    const killedAt = Date.now();
    process.kill(web, "SIGKILL");
    const code = await new Promise<number | null>((resolve) => start!.once("exit", (c) => resolve(c)));
    const seconds = (Date.now() - killedAt) / 1000;
    console.log(`supervisor exited ${seconds.toFixed(1)} s after the web server was killed, code ${code}`);
    expect(code).not.toBe(0);
    expect(seconds).toBeLessThan(30);
    expect(output).toMatch(/\[start\] web server exited \(code 1\); stopping/);
    expect(isAlive(restarted)).toBe(false); // nothing left behind
  }, 360_000);

  it("never hangs on Ctrl-C after PostgreSQL was killed under it, and leaves nothing running", async () => {
    const dataDir = ".data/postgres-start-test-pgkill";
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(await freePort()),
      EMBEDDED_DB_PORT: String(await freePort()),
      EMBEDDED_DB_DIR: dataDir,
      EMBEDDED_DB_NAME: "distil_eval_start_test",
      SEED_DEMO: "0",
      WORKER_POLL_MS: "200",
    };
    delete env.DATABASE_URL;
    delete (env as Record<string, string | undefined>).NODE_ENV;
    output = "";
    // Its own process group, so Ctrl-C can be sent to the group as a terminal does.
    start = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts", "--dev"], {
      env,
      stdio: "pipe",
      detached: true,
    });
    start.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    start.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    await waitForOutput(/\[worker\] waiting for jobs/, 0, 240_000);
    await waitForOutput(/\[web\] listening on http:\/\/127\.0\.0\.1:/, 0, 240_000);
    const worker = childPid(start.pid!, "scripts/worker.ts");
    const web = childPid(start.pid!, "scripts/serve.ts");

    // The postmaster's pid is the first line of postmaster.pid; SIGKILL is a crash, not a shutdown.
    const postmaster = Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    process.kill(postmaster, "SIGKILL");
    const stoppedAt = Date.now();
    const exited = new Promise<number | null>((resolve) => start!.once("exit", (c) => resolve(c)));
    process.kill(-start.pid!, "SIGINT");
    await exited;
    const seconds = (Date.now() - stoppedAt) / 1000;
    console.log(`supervisor exited ${seconds.toFixed(1)} s after Ctrl-C with PostgreSQL killed`);
    expect(seconds).toBeLessThan(45); // its deadlines: 10 s for the children, 15 s for PostgreSQL
    // The supervisor waits for its children: when it is gone, so are they.
    for (const pid of [worker, web, postmaster]) expect(isAlive(pid), `pid ${pid} outlived npm start`).toBe(false);
  }, 360_000);
});
