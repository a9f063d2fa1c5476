import { createSecretKey, hkdf, type KeyObject } from "node:crypto";
import { EncryptJWT, jwtDecrypt } from "jose";
import type { JWT, JWTDecodeParams, JWTEncodeParams } from "next-auth/jwt";

/**
 * next-auth v4's session-token encode and decode (node_modules/next-auth/jwt/index.js), with the
 * one difference that the encryption key is derived once per secret instead of on every call.
 * next-auth derives it with HKDF three times per request (the proxy's getToken, then the decode
 * and the re-encode of getServerSession), about 2 ms of CPU; the key only depends on the secret
 * and the salt, so the derived key is kept. The token is the same: a JWE, `dir` + `A256GCM`,
 * key = HKDF-SHA256(secret, salt, "NextAuth.js Generated Encryption Key[ (salt)]", 32 bytes),
 * with iat, exp = now + maxAge and a random jti; decode checks exp (and nbf) with next-auth's
 * 15 s clock tolerance and throws on a token it cannot decrypt. Tokens issued before this change
 * still decode, and next-auth's own decode reads the tokens this one writes (lib/auth/jwt.test.ts).
 */
const DEFAULT_MAX_AGE = 30 * 24 * 60 * 60;
const CLOCK_TOLERANCE_S = 15;

const keys = new Map<string, Promise<KeyObject>>();
/** A handful of secrets at most (the configured one, perhaps a test's); never an unbounded map. */
const MAX_KEYS = 8;

function derive(secret: string | Buffer, salt: string): Promise<KeyObject> {
  const info = `NextAuth.js Generated Encryption Key${salt ? ` (${salt})` : ""}`;
  return new Promise((resolve, reject) =>
    hkdf("sha256", secret, salt, info, 32, (err, key) =>
      err ? reject(err) : resolve(createSecretKey(new Uint8Array(key))),
    ),
  );
}

/** The encryption key for a secret and salt, derived on first use. */
export function encryptionKey(secret: string | Buffer, salt = ""): Promise<KeyObject> {
  const material = typeof secret === "string" ? `s:${secret}` : `b:${secret.toString("base64")}`;
  const id = `${salt.length}:${salt}:${material}`;
  let key = keys.get(id);
  if (!key) {
    if (keys.size >= MAX_KEYS) keys.clear();
    key = derive(secret, salt);
    keys.set(id, key);
    key.catch(() => keys.delete(id));
  }
  return key;
}

const now = () => (Date.now() / 1000) | 0;

export async function encode({
  token = {},
  secret,
  maxAge = DEFAULT_MAX_AGE,
  salt = "",
}: JWTEncodeParams): Promise<string> {
  return await new EncryptJWT(token)
    .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
    .setIssuedAt()
    .setExpirationTime(now() + maxAge)
    .setJti(crypto.randomUUID())
    .encrypt(await encryptionKey(secret, salt));
}

export async function decode({ token, secret, salt = "" }: JWTDecodeParams): Promise<JWT | null> {
  if (!token) return null;
  const { payload } = await jwtDecrypt(token, await encryptionKey(secret, salt), {
    clockTolerance: CLOCK_TOLERANCE_S,
  });
  return payload as JWT;
}
