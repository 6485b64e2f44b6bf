"use client";

import { useCallback, useEffect, useState } from "react";

/** State saved in localStorage under `key` (read after mount, so server and client render alike). */
export function usePersistentState<T>(key: string, initial: T) {
  const [value, setValue] = useState<T>(initial);
  useEffect(() => {
    try {
      const saved = localStorage.getItem(key);
      if (saved !== null) setValue(JSON.parse(saved) as T);
    } catch {
      // Unreadable or no storage: keep the initial value.
    }
  }, [key]);
  const set = useCallback(
    (next: T) => {
      setValue(next);
      try {
        localStorage.setItem(key, JSON.stringify(next));
      } catch {
        // No storage: the choice lasts for this page.
      }
    },
    [key],
  );
  return [value, set] as const;
}
