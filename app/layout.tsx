import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Providers } from "./_components/providers";
import { THEME_BOOT_SCRIPT } from "./_components/shell/theme";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Task Orchestrator", template: "%s — Task Orchestrator" },
  description: "Queues, state machine, dispatch and escalation for the agency's tasks, live.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant script, so the saved theme applies before the first paint */}
        <script dangerouslySetInnerHTML={{ __html: THEME_BOOT_SCRIPT }} />
      </head>
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
