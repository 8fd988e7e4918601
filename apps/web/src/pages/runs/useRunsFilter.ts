/** The Runs filter as URL state: read with zod defaults, written back without defaults. */
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { parseRunsFilter, runsFilterToParams, type RunsFilter } from '../../lib/filters';

export function useRunsFilter(): [RunsFilter, (patch: Partial<RunsFilter>, opts?: { replace?: boolean }) => void] {
  const [params, setParams] = useSearchParams();
  // Parsed once per distinct query string, so the filter object is stable across renders.
  const key = params.toString();
  const filter = useMemo(() => parseRunsFilter(new URLSearchParams(key)), [key]);
  const update = useCallback(
    (patch: Partial<RunsFilter>, opts: { replace?: boolean } = {}) => {
      setParams((prev) => runsFilterToParams({ ...parseRunsFilter(prev), ...patch }), { replace: opts.replace ?? false });
    },
    [setParams],
  );
  return [filter, update];
}
