/**
 * The few things tests do over HTTP again and again, written once: the admin header, the user list
 * of the admin API, the CSRF token of a page, a sign-up.
 */

export interface AdminUser {
  id: string;
  email: string;
  emailSent: boolean;
  confirmed: boolean;
  createdAt: string;
  emailSentAt: string | null;
  confirmedAt: string | null;
  emailError: string | null;
}

export const adminToken = (): string => process.env.ADMIN_TOKEN!;
export const adminAuth = (): { authorization: string } => ({ authorization: `Bearer ${adminToken()}` });

/** The CSRF token of the (first) form on a page. */
export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error(`No CSRF token in the page: ${html.slice(0, 500)}`);
  return match[1];
}

/** GET /api/admin/users with the admin token; fails unless it answers 200. */
export async function adminUsers(baseUrl: string, query: Record<string, string | number> = {}): Promise<AdminUser[]> {
  const params = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  const res = await fetch(`${baseUrl}/api/admin/users?${params}`, { headers: adminAuth() });
  if (res.status !== 200) throw new Error(`GET /api/admin/users answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as AdminUser[];
}

/** The admin API's view of one user, or undefined when there is none with that address. */
export async function adminUser(baseUrl: string, email: string): Promise<AdminUser | undefined> {
  const users = await adminUsers(baseUrl, { email });
  if (users.length > 1) throw new Error(`${users.length} users for ${email}`);
  return users[0];
}

/** How many users the admin API lists (at most 1000). */
export async function userCount(baseUrl: string): Promise<number> {
  return (await adminUsers(baseUrl, { limit: 1000 })).length;
}

/** POST /api/users; returns the status. */
export async function register(baseUrl: string, email: string): Promise<number> {
  const res = await fetch(`${baseUrl}/api/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email }),
  });
  await res.arrayBuffer();
  return res.status;
}
