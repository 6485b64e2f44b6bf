import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import type { Messages } from "@/lib/i18n/messages";

type PageKey = keyof Messages["pages"];

/** `generateMetadata` for a page whose title is `pages.<key>.title`, in the reader's language. */
export const pageTitle =
  (key: PageKey, extra: Metadata = {}) =>
  async (): Promise<Metadata> => {
    const t = await getTranslations("pages");
    return { title: t(`${key}.title` as "board.title"), ...extra };
  };
