import { adminPage } from "../../../_components/admin/admin-page";
import { ApiKeysAdmin } from "../../../_components/admin/api-keys-admin";

const page = adminPage("api-keys", ApiKeysAdmin);

export const metadata = page.metadata;
export default page.AdminPage;
