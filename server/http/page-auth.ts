import { cookies, headers } from "next/headers";
import { cache } from "react";
import { getAppContext } from "../app-context";
import type { Principal } from "../auth/principal";
import { authenticateHeaders } from "./authenticate";
import { HttpError } from "./errors";

/** The signed-in person for a server component (pages), or null; looked up once per request. */
export const pagePrincipal = cache(async function pagePrincipal(): Promise<Principal | null> {
  const [cookieStore, headerList] = await Promise.all([cookies(), headers()]);
  // A malformed session cookie is no session: the page sends its visitor to the login form.
  return authenticateHeaders(getAppContext(), {
    cookie: cookieStore.toString(),
    authorization: headerList.get("authorization"),
  }).catch((error: unknown) => {
    if (error instanceof HttpError) return null;
    throw error;
  });
});
