import { createHmac, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";

/**
 * The external participant's identity: their CrowdParticipant id, signed with the app's secret
 * (HMAC-SHA256), in an httpOnly cookie scoped to the public study pages. No account and no
 * next-auth session, so none of the app's other pages open to them.
 */
export const PARTICIPANT_COOKIE = "crowd_participant";
export const PARTICIPANT_COOKIE_PATH = "/p/";

const mac = (value: string) =>
  createHmac("sha256", `crowd-participant:${env().NEXTAUTH_SECRET}`).update(value).digest("base64url");

export function signParticipant(participantId: string): string {
  return `${participantId}.${mac(participantId)}`;
}

/** The participant id in a cookie value, or null when it is missing or its signature is wrong. */
export function verifyParticipant(value: string | undefined | null): string | null {
  if (!value) return null;
  const dot = value.lastIndexOf(".");
  if (dot <= 0) return null;
  const id = value.slice(0, dot);
  const given = Buffer.from(value.slice(dot + 1));
  const expected = Buffer.from(mac(id));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return /^[0-9a-f-]{36}$/.test(id) ? id : null;
}
