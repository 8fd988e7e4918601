/** Composition root: query client, live connection, router. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter } from 'react-router';
import { ApiError } from './api/client';
import { LiveConnection } from './live/connection';
import { LiveProvider } from './live/hooks';
import { App } from './App';
import './index.css';

// For benchmarks: when the bundle has been evaluated and the app starts.
performance.mark('flowlight:boot');

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Snapshots are kept current by live deltas; they refetch when marked stale.
      staleTime: Infinity,
      refetchOnWindowFocus: false,
      retry: (count, err) => !(err instanceof ApiError && err.isClientError) && count < 2,
    },
    mutations: { retry: false },
  },
});

const live = new LiveConnection(queryClient);
live.start();
// Exposed for benchmarks and debugging in the browser console.
Object.assign(window, { __flowlight: { queryClient, live } });

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <LiveProvider connection={live}>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </LiveProvider>
    </QueryClientProvider>
  </StrictMode>,
);
