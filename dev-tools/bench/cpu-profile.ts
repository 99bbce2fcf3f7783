import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

/** Records a V8 CPU profile of `work` into `file` (open it in Chrome DevTools or VS Code); no file, no profile. */
export async function withCpuProfile<T>(file: string | undefined, work: () => Promise<T>): Promise<T> {
  if (!file) return work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  }
}
