import { headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { FORMATS } from "@/lib/i18n/formats";
import { messagesFor } from "@/lib/i18n/messages";
import { pagePrincipal } from "@/server/http/page-auth";
import { requestPreferences } from "@/server/i18n/request-locale";

// next-intl without i18n routing: no locale in the URL. Each request's language and time zone
// come from the signed-in person's settings, else the browser's Accept-Language.
export default getRequestConfig(async () => {
  const [principal, headerList] = await Promise.all([pagePrincipal(), headers()]);
  const { locale, timeZone } = requestPreferences(principal, headerList.get("accept-language"));
  return { locale, timeZone, messages: messagesFor(locale), formats: FORMATS };
});
