"use client";

import { useSyncExternalStore } from "react";

const never = () => () => {};

/**
 * A value only the browser knows (a feature, its time zone), read without a hydration mismatch:
 * `onServer` while the server renders and while React hydrates, the browser's value right after.
 * Reading it straight in render makes the first client render differ from the server's HTML, and
 * React then throws that HTML away and renders the whole document again — <html> included, so
 * the theme class set before the first paint is lost.
 */
export function useBrowserValue<T>(inBrowser: () => T, onServer: T): T {
  return useSyncExternalStore(never, inBrowser, () => onServer);
}
