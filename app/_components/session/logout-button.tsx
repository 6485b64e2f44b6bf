"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { apiFetch } from "../api-client";

export function LogoutButton() {
  const router = useRouter();
  const queryClient = useQueryClient();
  const t = useTranslations("shell");
  async function logout() {
    await apiFetch("/api/v1/auth/logout", { method: "POST" }).catch(() => undefined);
    queryClient.clear();
    router.replace("/login");
    router.refresh();
  }
  return (
    <button type="button" onClick={logout} className="btn-ghost">
      {t("logout")}
    </button>
  );
}
