import "next-auth";

// The session carries the user's id only: role and active state are read fresh on every request
declare module "next-auth" {
  interface Session {
    user?: { id: string; name?: string | null; email?: string | null };
  }
}
