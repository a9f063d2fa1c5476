/**
 * CPU seconds (user + system, from /proc) of a process tree: the bench measures what the server
 * spends per request, which load from other processes on a shared machine does not inflate the
 * way it inflates wall-clock latency. Linux only; elsewhere every figure is NaN.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const TICKS_PER_SECOND = 100;

function stat(pid: number): { ppid: number; ticks: number } | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) };
  } catch {
    return null;
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

/** CPU seconds of `root` and all its descendants that are alive now. */
export function treeCpuSeconds(root: number): number {
  if (!existsSync("/proc")) return NaN;
  const all = readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .map(Number);
  const info = new Map(all.map((p) => [p, stat(p)] as const));
  const inTree = (pid: number) => {
    for (let p: number | undefined = pid, hops = 0; p && hops < 64; p = info.get(p)?.ppid, hops++)
      if (p === root) return true;
    return false;
  };
  let ticks = 0;
  for (const [pid, s] of info) if (s && inTree(pid)) ticks += s.ticks;
  return ticks / TICKS_PER_SECOND;
}

/** The pid of the first descendant of `root` whose command line matches. */
export function findDescendant(root: number, match: RegExp): number | null {
  if (!existsSync("/proc")) return null;
  for (const d of readdirSync("/proc").filter((x) => /^\d+$/.test(x))) {
    const pid = Number(d);
    if (!match.test(cmdline(pid))) continue;
    for (let p: number | undefined = pid, hops = 0; p && hops < 64; p = stat(p)?.ppid, hops++)
      if (p === root) return pid;
  }
  return null;
}

/** The postmaster of a cluster, from its data folder's postmaster.pid. */
export function postmasterPid(dataDir: string): number | null {
  const file = path.join(dataDir, "postmaster.pid");
  return existsSync(file) ? Number(readFileSync(file, "utf8").split("\n")[0]) : null;
}
