import { cookies, headers } from "next/headers";
import { getAppContext } from "../app-context";
import type { Principal } from "../auth/principal";
import { authenticateHeaders } from "./authenticate";

/** The signed-in person for a server component (pages), or null. */
export async function pagePrincipal(): Promise<Principal | null> {
  const [cookieStore, headerList] = await Promise.all([cookies(), headers()]);
  return authenticateHeaders(getAppContext(), {
    cookie: cookieStore.toString(),
    authorization: headerList.get("authorization"),
  });
}
