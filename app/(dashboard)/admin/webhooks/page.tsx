import { adminPage } from "../../../_components/admin/admin-page";
import { WebhooksAdmin } from "../../../_components/admin/webhooks/webhooks-admin";

const page = adminPage("webhooks", WebhooksAdmin);

export const generateMetadata = page.generateMetadata;
export default page.AdminPage;
