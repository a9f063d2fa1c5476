import type { Metadata } from "next";
import { requirePageActor } from "@/lib/auth/session";
import { listUsers } from "@/lib/users";
import { CreateUserForm, InviteForm, UserRowActions } from "./user-forms";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const actor = await requirePageActor("users:manage", "/admin/users");
  const users = await listUsers(actor);
  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">Users</h1>
      <table>
        <caption className="visually-hidden">All accounts</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Pseudonym</th>
            <th scope="col">Status</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id} data-testid={`user-row-${u.email}`}>
              <td>{u.name}</td>
              <td>{u.email}</td>
              <td>{u.role.toLowerCase()}</td>
              <td>{u.pseudonym}</td>
              <td>{u.isActive ? "active" : "deactivated"}</td>
              <td>
                <UserRowActions userId={u.id} email={u.email} isActive={u.isActive} isSelf={u.id === actor.id} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="cards" style={{ marginTop: "1.5rem" }}>
        <div className="panel">
          <h2>Create a user</h2>
          <CreateUserForm />
        </div>
        <div className="panel">
          <h2>Invite by link</h2>
          <InviteForm />
        </div>
      </div>
    </section>
  );
}
