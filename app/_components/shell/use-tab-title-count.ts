"use client";

import { useEffect } from "react";

const PREFIX = /^\(\d+\) /;

/**
 * Puts the open escalations count in front of the tab title — "(3) Board — Task Orchestrator" —
 * so a manager whose tab is in the background sees that something arrived. Re-applied when the
 * page changes its title (Next sets it on navigation).
 */
export function useTabTitleCount(open: number | undefined): void {
  useEffect(() => {
    if (open === undefined) return;
    const apply = () => {
      const base = document.title.replace(PREFIX, "");
      const wanted = open > 0 ? `(${open}) ${base}` : base;
      if (document.title !== wanted) document.title = wanted;
    };
    apply();
    const title = document.querySelector("title");
    const observer = new MutationObserver(apply);
    if (title) observer.observe(title, { childList: true, characterData: true, subtree: true });
    return () => {
      observer.disconnect();
      document.title = document.title.replace(PREFIX, "");
    };
  }, [open]);
}
