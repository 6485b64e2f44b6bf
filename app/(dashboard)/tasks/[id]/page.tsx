import type { Metadata } from "next";
import { TaskDetail } from "../../../_components/task/task-detail";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: (await params).id };
}

export default async function TaskPage({ params }: Props) {
  const { id } = await params;
  return (
    <main>
      <TaskDetail taskId={decodeURIComponent(id)} />
    </main>
  );
}
