import type { ReactNode } from "react";

// Small inline icons (no icon font, no emoji: they render the same on every machine).

type IconProps = { className?: string };

function Svg({
  className = "h-3.5 w-3.5",
  filled,
  children,
}: IconProps & { filled?: boolean; children: ReactNode }) {
  return (
    <svg
      className={className}
      viewBox="0 0 16 16"
      fill={filled ? "currentColor" : "none"}
      stroke={filled ? "none" : "currentColor"}
      strokeWidth={1.6}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  );
}

export const ClockIcon = ({ className }: IconProps) => (
  <Svg className={className}>
    <circle cx="8" cy="8" r="6.2" />
    <path d="M8 4.5V8l2.5 1.5" />
  </Svg>
);

export const GripIcon = ({ className }: IconProps) => (
  <Svg className={className} filled>
    {[4, 8, 12].map((y) => (
      <g key={y}>
        <circle cx="5.5" cy={y} r="1.2" />
        <circle cx="10.5" cy={y} r="1.2" />
      </g>
    ))}
  </Svg>
);

export const FlagIcon = ({ className }: IconProps) => (
  <Svg className={className}>
    <path d="M3.5 14V2.5M3.5 3h8l-1.8 3 1.8 3h-8" />
  </Svg>
);

export const BlockedIcon = ({ className }: IconProps) => (
  <Svg className={className}>
    <circle cx="8" cy="8" r="6.2" />
    <path d="M3.6 12.4l8.8-8.8" />
  </Svg>
);

export const SunIcon = ({ className }: IconProps) => (
  <Svg className={className ?? "h-4 w-4"}>
    <circle cx="8" cy="8" r="3" />
    <path d="M8 1v1.6M8 13.4V15M1 8h1.6M13.4 8H15M3 3l1.1 1.1M11.9 11.9L13 13M3 13l1.1-1.1M11.9 4.1L13 3" />
  </Svg>
);

export const MoonIcon = ({ className }: IconProps) => (
  <Svg className={className ?? "h-4 w-4"}>
    <path d="M13.5 9.5A5.5 5.5 0 016.5 2.5a5.5 5.5 0 107 7z" />
  </Svg>
);

export const ChevronIcon = ({ className, direction }: IconProps & { direction: "left" | "right" }) => (
  <Svg className={className}>
    <path d={direction === "left" ? "M10 3L5 8l5 5" : "M6 3l5 5-5 5"} />
  </Svg>
);
