import { can, type Permission, type Role } from "@/lib/auth/permissions";

const LINKS: { href: string; label: string; permission: Permission }[] = [
  { href: "/eval-sets", label: "Eval sets", permission: "eval-sets:read" },
  { href: "/systems", label: "Systems", permission: "systems:read" },
  { href: "/admin/users", label: "Users", permission: "users:manage" },
  { href: "/studies", label: "Studies", permission: "studies:manage" },
  { href: "/tasks", label: "My tasks", permission: "annotation:work" },
];

/** The navigation a role sees: only links the permission table lets it open. */
export function navLinksFor(role: Role) {
  return LINKS.filter((l) => can(role, l.permission));
}
