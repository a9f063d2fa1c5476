import { z } from "zod";
import { ROLES } from "@/lib/auth/permissions";

// The admin's and the invitation's client forms validate with these same schemas, so this file
// must stay free of server-only imports (no db, no node:crypto).

const PASSWORD_MIN_LENGTH = 10;
export const RoleSchema = z.enum(ROLES);
const email = z.email("Enter a valid email address").transform((e) => e.trim().toLowerCase());
const password = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Password must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(200, "Password must be at most 200 characters");

export const CreateUserInput = z.object({
  email,
  name: z.string().trim().min(1, "Enter a name").max(100),
  role: RoleSchema,
  password,
});
export type CreateUserInput = z.infer<typeof CreateUserInput>;

export const ResetPasswordInput = z.object({ userId: z.uuid(), password });
export const SetUserActiveInput = z.object({ userId: z.uuid(), isActive: z.boolean() });

export const InviteUserInput = z.object({
  email,
  role: RoleSchema.default("ANNOTATOR"),
  /** How long the link works. */
  validForHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 14)
    .default(72),
});
export type InviteUserInput = z.infer<typeof InviteUserInput>;

export const AcceptInvitationInput = z.object({
  token: z.string().min(20, "This invitation link is incomplete"),
  name: z.string().trim().min(1, "Enter your name").max(100),
  password,
});

export const SignInInput = z.object({
  email: z.string().trim().toLowerCase().max(320),
  password: z.string().max(200),
  ipAddress: z.string().default("unknown"),
});

/** What the UI and JSON responses get: never a password hash. */
export const UserView = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: RoleSchema,
  pseudonym: z.string(),
  isActive: z.boolean(),
  createdAt: z.date(),
  lastSignInAt: z.date().nullable(),
});
export type UserView = z.infer<typeof UserView>;
