"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";

/**
 * Some of the page's state kept in its URL (shareable, survives reload): read the listed keys,
 * and replace them without adding history entries or scrolling.
 */
export function useUrlParams<K extends string>(keys: readonly K[]) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();

  const values = useMemo(() => {
    const result: Partial<Record<K, string>> = {};
    for (const key of keys) {
      const value = searchParams.get(key);
      if (value) result[key] = value;
    }
    return result;
  }, [keys, searchParams]);

  const update = useCallback(
    (changes: Partial<Record<K, string | null>>) => {
      const next = new URLSearchParams(searchParams.toString());
      for (const [key, value] of Object.entries(changes) as [K, string | null | undefined][]) {
        if (value) next.set(key, value);
        else next.delete(key);
      }
      const query = next.toString();
      router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
    },
    [pathname, router, searchParams],
  );

  return [values, update] as const;
}
