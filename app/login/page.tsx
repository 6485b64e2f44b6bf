import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { pagePrincipal } from "@/server/http/page-auth";
import { LoginForm } from "./login-form";

export const dynamic = "force-dynamic";

export default async function LoginPage() {
  if (await pagePrincipal()) redirect("/");
  const t = await getTranslations("app");
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <h1 className="mb-4 text-xl font-semibold">{t("name")}</h1>
        <LoginForm />
      </div>
    </main>
  );
}
