/** Every flow with its latest runs as colored marks and its failure rate. */
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { flowListOptions } from '../api/flows';
import { useLiveRoom } from '../live/hooks';
import { formatCount, formatPercent, formatRelative } from '../lib/format';
import { Code } from '../components/ui';
import { ListPage } from '../components/ListPage';
import { RunMarks } from '../components/StateBadge';

export function FlowsPage() {
  useLiveRoom({ room: 'runs' });
  const q = useQuery({ ...flowListOptions(), staleTime: 10_000 });
  return (
    <ListPage
      title="Flows"
      noun="flows"
      query={q}
      empty={
        <>
          A flow shows up here after its first run. Try <Code>npm start</Code> for the example flows, or wrap
          a function with <Code>flow()</Code> from <Code>@flowlight/engine</Code>.
        </>
      }
    >
      {(flows) => (
        <table className="w-full table-fixed text-[13px]" aria-label="Flows">
          <colgroup>
            <col className="w-[28%]" />
            <col />
            <col className="w-24" />
            <col className="w-28" />
            <col className="w-28" />
          </colgroup>
          <thead>
            <tr className="border-b border-line bg-subtle text-left text-[11px] font-semibold tracking-wide text-fg-subtle uppercase">
              <th className="px-3 py-2 font-semibold">Flow</th>
              <th className="px-3 py-2 font-semibold">Last runs</th>
              <th className="px-3 py-2 text-right font-semibold">Runs</th>
              <th className="px-3 py-2 text-right font-semibold">Failure rate</th>
              <th className="px-3 py-2 text-right font-semibold">Last run</th>
            </tr>
          </thead>
          <tbody>
            {flows.map((f) => (
              <tr key={f.name} className="border-b border-line last:border-0 hover:bg-hover">
                <td className="px-3 py-2">
                  <Link
                    to={`/runs?flow=${encodeURIComponent(f.name)}`}
                    className="font-medium text-fg hover:underline"
                  >
                    {f.name}
                  </Link>
                </td>
                <td className="px-3 py-2">
                  <RunMarks runs={f.lastRuns} of={f.name} />
                </td>
                <td className="px-3 py-2 text-right text-fg-muted tabular">{formatCount(f.runCount)}</td>
                <td
                  className={`px-3 py-2 text-right tabular ${f.failureRate >= 0.2 ? 'font-semibold text-st-failed' : f.failureRate > 0 ? 'text-fg' : 'text-fg-muted'}`}
                >
                  {formatPercent(f.failureRate)}
                </td>
                <td className="px-3 py-2 text-right text-fg-muted tabular">{formatRelative(f.lastRunAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </ListPage>
  );
}
