import { adminPage } from "../../../_components/admin/admin-page";
import { UsersAdmin } from "../../../_components/admin/users-admin";

const page = adminPage("users", UsersAdmin);

export const generateMetadata = page.generateMetadata;
export default page.AdminPage;
