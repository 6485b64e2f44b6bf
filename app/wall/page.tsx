import type { Metadata } from "next";
import { WallDisplay } from "../_components/wall/wall-display";

export const metadata: Metadata = { title: "Wall", robots: { index: false } };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<{ token?: string | string[] }> };

/** The read-only wall display: no login, a wall API key in ?token=. */
export default async function WallPage({ searchParams }: Props) {
  const { token } = await searchParams;
  const value = Array.isArray(token) ? token[0] : token;
  if (!value) {
    return (
      <main className="dark flex min-h-screen items-center justify-center bg-slate-950 p-6 text-slate-100">
        <p className="max-w-xl text-2xl">
          Open this page with a wall token: <code>/wall?token=tok_…</code> (an admin creates one on the API
          keys page).
        </p>
      </main>
    );
  }
  return <WallDisplay token={value} />;
}
