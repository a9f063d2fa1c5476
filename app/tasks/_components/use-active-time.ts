"use client";
import { useEffect, useRef } from "react";

const IDLE_MS = 60_000;
const TICK_MS = 1_000;

/**
 * Milliseconds the current item was actually worked on: counted only while the tab is visible
 * and there was keyboard, pointer or scroll input in the last minute. Resets when `key` changes.
 */
export function useActiveTime(key: string | null): () => number {
  const total = useRef(0);
  const lastInput = useRef(0);
  const lastTick = useRef(0);
  useEffect(() => {
    total.current = 0;
    lastInput.current = Date.now();
    lastTick.current = Date.now();
    const touch = () => {
      lastInput.current = Date.now();
    };
    const tick = () => {
      const now = Date.now();
      if (document.visibilityState === "visible" && now - lastInput.current < IDLE_MS)
        total.current += now - lastTick.current;
      lastTick.current = now;
    };
    const onVisibility = () => {
      tick();
      touch();
    };
    const timer = window.setInterval(tick, TICK_MS);
    const events = ["keydown", "pointerdown", "pointermove", "wheel", "scroll"] as const;
    for (const e of events) window.addEventListener(e, touch, { passive: true });
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      window.clearInterval(timer);
      for (const e of events) window.removeEventListener(e, touch);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [key]);
  return () => {
    const now = Date.now();
    if (document.visibilityState === "visible" && now - lastInput.current < IDLE_MS)
      total.current += now - lastTick.current;
    lastTick.current = now;
    return Math.round(total.current);
  };
}
