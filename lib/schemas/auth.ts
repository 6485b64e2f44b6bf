import { z } from "zod";
import { isTimeZone, LOCALES } from "../i18n/locales";
import { API_KEY_SCOPES, USER_ROLES } from "../permissions";

export const PASSWORD_MIN = 10;

export const loginInput = z.object({
  email: z.email("Not an email address").max(254),
  password: z.string().min(1, "Password is required").max(1024),
});

export const createUserInput = z.object({
  email: z.email("Not an email address").max(254),
  name: z.string().trim().min(1, "Name is required").max(200),
  role: z.enum(USER_ROLES),
  password: z.string().min(PASSWORD_MIN, `At least ${PASSWORD_MIN} characters`).max(1024),
});

export const updateUserInput = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    role: z.enum(USER_ROLES).optional(),
    active: z.boolean().optional(),
    password: z.string().min(PASSWORD_MIN, `At least ${PASSWORD_MIN} characters`).max(1024).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: "Nothing to change" });

export const createApiKeyInput = z.object({
  name: z.string().trim().min(1, "Name is required").max(100),
  scopes: z.array(z.enum(API_KEY_SCOPES)).min(1, "At least one scope").max(API_KEY_SCOPES.length),
});

/** A person's own display settings; null goes back to the default (browser language, Paris time). */
export const updatePreferencesInput = z
  .strictObject({
    locale: z.enum(LOCALES).nullable().optional(),
    time_zone: z
      .string()
      .max(64)
      .refine(isTimeZone, { message: "Unknown time zone: use an IANA name such as Europe/Paris" })
      .nullable()
      .optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: "Nothing to change" });
