"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef } from "react";

/**
 * Some of the page's state kept in its URL (shareable, survives reload): read the listed keys,
 * and replace them without adding history entries or scrolling.
 */
export function useUrlParams<K extends string>(keys: readonly K[]) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const current = searchParams.toString();

  // The query last asked for. router.replace reaches useSearchParams only after a render, so a
  // second change in the same tick (two filters set at once) must start from the first one's
  // query, not from the URL that has not caught up yet, or the first change is lost. When the
  // URL does change (our replace landing, or back/forward) it is the truth again.
  const latest = useRef(current);
  useEffect(() => {
    latest.current = current;
  }, [current]);

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
      const next = new URLSearchParams(latest.current);
      for (const [key, value] of Object.entries(changes) as [K, string | null | undefined][]) {
        if (value) next.set(key, value);
        else next.delete(key);
      }
      const query = next.toString();
      latest.current = query;
      router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
    },
    [pathname, router],
  );

  return [values, update] as const;
}
