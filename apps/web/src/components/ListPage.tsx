/** A page that shows one list from the API: title, then loading / error / empty / the list. */
import type { ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { EmptyState, ErrorNote, Spinner } from './ui';

export function ListPage<T>({
  title,
  noun,
  query,
  empty,
  children,
}: {
  title: string;
  /** Plural, lower case: "flows", "deployments". */
  noun: string;
  query: UseQueryResult<T[]>;
  /** What a new user should do when the list is empty. */
  empty: ReactNode;
  children: (items: T[]) => ReactNode;
}) {
  return (
    <div className="flex flex-col gap-3 p-4">
      <h1 className="text-lg font-semibold tracking-tight">{title}</h1>
      <div className="overflow-hidden rounded-lg border border-line bg-panel">
        {query.isPending ? (
          <Spinner label={`Loading ${noun}`} />
        ) : query.isError ? (
          <ErrorNote error={query.error} title={`Could not load ${noun}`} />
        ) : query.data.length === 0 ? (
          <EmptyState title={`No ${noun} yet`}>{empty}</EmptyState>
        ) : (
          children(query.data)
        )}
      </div>
    </div>
  );
}
