-- Session revocation: cookies carry the version they were issued under (lib/auth/session.ts).
ALTER TABLE "User" ADD COLUMN "sessionVersion" INTEGER NOT NULL DEFAULT 0;
