import { adminPage } from "../../../_components/admin/admin-page";
import { ApiKeysAdmin } from "../../../_components/admin/api-keys-admin";

const page = adminPage("api-keys", ApiKeysAdmin);

export const generateMetadata = page.generateMetadata;
export default page.AdminPage;
