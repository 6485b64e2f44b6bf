import type { Metadata } from "next";
import { ApiKeysAdmin } from "../../../_components/admin/api-keys-admin";
import { RequirePermission } from "../../../_components/session/session-context";
import { PageHeader } from "../../../_components/ui/page";

export const metadata: Metadata = { title: "API keys" };

export default function ApiKeysPage() {
  return (
    <RequirePermission permission="api_keys:manage">
      <main>
        <PageHeader
          title="API keys"
          description="Tokens for machines: client-intake, workers, read-only tools and wall displays."
        />
        <ApiKeysAdmin />
      </main>
    </RequirePermission>
  );
}
