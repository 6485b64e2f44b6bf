import { getTranslations } from "next-intl/server";
import { pageTitle } from "../_components/ui/page-metadata";
import { WallDisplay } from "../_components/wall/wall-display";

export const generateMetadata = pageTitle("wall", { robots: { index: false } });
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<{ token?: string | string[] }> };

/** The read-only wall display: no login, a wall API key in ?token=. */
export default async function WallPage({ searchParams }: Props) {
  const { token } = await searchParams;
  const value = Array.isArray(token) ? token[0] : token;
  if (!value) {
    const t = await getTranslations("pages");
    return (
      <main className="dark flex min-h-screen items-center justify-center bg-slate-950 p-6 text-slate-100">
        <p className="max-w-xl text-2xl">
          {t.rich("wall.needToken", { code: (chunks) => <code>{chunks}</code> })}
        </p>
      </main>
    );
  }
  return <WallDisplay token={value} />;
}
