"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { type ComponentProps, useRef } from "react";

/**
 * A `next/link` that prefetches when the person points at it or focuses it, not when it scrolls
 * into view. A board shows hundreds of cards and the header ten pages: prefetched on sight, each
 * was a server render competing with the board's own data on load (about a dozen on the first
 * screen, more on every scroll).
 *
 * Pointing means a pointer that moves over the link. A list scrolled under a resting pointer
 * (the wheel, a keyboard, a live change) also sends enter and move events to each card sliding
 * under it, without movement: acting on those prefetched every card the scroll went past.
 */
export function IntentLink({
  href,
  onPointerMove,
  onFocus,
  ...props
}: ComponentProps<typeof Link> & { href: string }) {
  const router = useRouter();
  const prefetched = useRef<string | null>(null);
  const prefetch = () => {
    if (prefetched.current === href) return;
    prefetched.current = href;
    router.prefetch(href);
  };
  return (
    <Link
      {...props}
      href={href}
      prefetch={false}
      onPointerMove={(event) => {
        if (event.movementX !== 0 || event.movementY !== 0) prefetch();
        onPointerMove?.(event);
      }}
      onFocus={(event) => {
        prefetch();
        onFocus?.(event);
      }}
    />
  );
}
