"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import type { ComponentProps } from "react";

/**
 * A `next/link` that prefetches when the person points at it or focuses it, not when it scrolls
 * into view. A board shows hundreds of cards and the header ten pages: prefetched on sight, each
 * was a server render competing with the board's own data on load (about a dozen on the first
 * screen, more on every scroll).
 */
export function IntentLink({
  href,
  onMouseEnter,
  onFocus,
  ...props
}: ComponentProps<typeof Link> & { href: string }) {
  const router = useRouter();
  return (
    <Link
      {...props}
      href={href}
      prefetch={false}
      onMouseEnter={(event) => {
        router.prefetch(href);
        onMouseEnter?.(event);
      }}
      onFocus={(event) => {
        router.prefetch(href);
        onFocus?.(event);
      }}
    />
  );
}
