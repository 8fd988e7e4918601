import { Link } from 'react-router';
import { EmptyState } from '../components/ui';

export function NotFoundPage() {
  return (
    <EmptyState title="Nothing here" icon="search">
      This page does not exist.{' '}
      <Link to="/runs" className="text-accent underline">
        Go to the run history
      </Link>
      .
    </EmptyState>
  );
}
