export { createUser } from "./create-user";
export { resetPassword, setUserActive, listUsers } from "./manage-user";
export { inviteUser, describeInvitation, acceptInvitation } from "./invitations";
export { authenticate } from "./authenticate";
export { ensureUser } from "./ensure-user";
export type { UserView } from "./schemas";
export { authOptions } from "./auth-options";
