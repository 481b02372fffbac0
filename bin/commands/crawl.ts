import { z } from 'zod';
import { apiFromEnvironment, CliError } from '../api-client.ts';
import { describeRun, followRun, type RunLike } from '../progress.ts';

/** `trawl crawl SITE | status | pause | resume | cancel RUN_ID`, through the API. */
export async function crawlCommand(
  sub: string,
  arg: string | undefined,
  options: { wait: boolean; watch: boolean; json: boolean },
): Promise<number> {
  const api = await apiFromEnvironment();
  const getRun = (id: string) => api.request<RunLike>('GET', `/crawls/${id}`);
  if (sub === 'status' || sub === 'pause' || sub === 'resume' || sub === 'cancel') {
    if (!arg) throw new CliError(`usage: trawl crawl ${sub} RUN_ID`, 2);
    if (!z.uuid().safeParse(arg).success) throw new CliError(`"${arg}" is not a run id`, 2);
    let run =
      sub === 'status' ? await getRun(arg) : await api.request<RunLike>('POST', `/crawls/${arg}/${sub}`);
    if (sub === 'status' && options.watch) run = await followRun(getRun, arg);
    process.stdout.write(`${options.json ? JSON.stringify(run, null, 2) : describeRun(run)}\n`);
    return 0;
  }
  const run = await api.request<RunLike>('POST', `/sites/${encodeURIComponent(sub)}/crawls`);
  process.stderr.write(`started run ${run.id} of ${sub}\n`);
  if (!options.wait) {
    process.stdout.write(`${run.id}\n`);
    return 0;
  }
  const finished = await followRun(getRun, run.id);
  process.stdout.write(`${describeRun(finished)}\n`);
  return finished.status === 'completed' ? 0 : 1;
}
