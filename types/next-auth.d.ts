import "next-auth";
import "next-auth/jwt";

// The session carries the user's id and the session version it was issued under: role and active
// state are read fresh on every request, and the version is compared with the database's.
declare module "next-auth" {
  interface Session {
    user?: { id: string; name?: string | null; email?: string | null };
    sessionVersion?: number;
  }
  interface User {
    sessionVersion?: number;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    sv?: number;
  }
}
