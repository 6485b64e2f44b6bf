import type { Locale } from "./lib/i18n/locales";
import type { Messages } from "./lib/i18n/messages";

// Typed catalogue keys: `t("board.title")` with a key absent from messages/en.json fails `tsc`.
declare module "use-intl" {
  interface AppConfig {
    Locale: Locale;
    Messages: Messages;
  }
}
