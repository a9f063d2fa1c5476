"use client";
import { useEffect, useState } from "react";
import type { ImportProgress } from "@/lib/eval-sets/schemas";

const POLL_MS = 400;

/** A random v4 UUID; crypto.randomUUID exists only on https or localhost, getRandomValues everywhere. */
export function newUploadId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * The running import's progress as a bar: polls the import's progress while the upload action runs
 * (server actions from one page run one at a time, so the poll is a plain GET, not an action).
 * The server stores rows as it reads the file, so until the end it only estimates the total; the
 * preview's `rowCount`, when given, is the exact one.
 */
export function ImportProgressBar({ uploadId, rowCount }: { uploadId: string; rowCount?: number }) {
  const [p, setP] = useState<ImportProgress | null>(null);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    async function poll() {
      try {
        const res = await fetch(`/api/eval-sets/imports/${uploadId}`, { cache: "no-store" });
        if (res.ok && !stopped) setP((await res.json()) as ImportProgress);
      } catch {
        // A missed poll only delays the bar; the import's own answer says how it ended.
      }
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    }
    timer = setTimeout(poll, POLL_MS / 2);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [uploadId]);

  const inserting = p?.phase === "inserting" || p?.phase === "done";
  const total = p?.phase === "inserting" && rowCount ? Math.max(rowCount, p.done) : (p?.total ?? 0);
  const text = !inserting
    ? "Reading the file…"
    : `Stored ${p.done.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} rows`;
  return (
    <p role="status" data-testid="import-progress">
      {/* Without a value the bar shows activity while the file is read and checked. */}
      <progress
        aria-label="Import progress"
        max={inserting ? Math.max(1, total) : undefined}
        value={inserting ? p.done : undefined}
      />{" "}
      {text}
    </p>
  );
}
