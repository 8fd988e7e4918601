/** Routes (react-router declarative mode) inside the app frame. */
import { Route, Routes } from 'react-router';
import { Layout } from './components/Layout';
import { ConfirmProvider } from './components/Dialog';
import { Toaster } from './components/Toaster';
import { DashboardPage } from './pages/Dashboard';
import { RunsPage } from './pages/runs/RunsPage';
import { RunDetailPage } from './pages/run/RunDetailPage';
import { FlowsPage } from './pages/Flows';
import { DeploymentsPage } from './pages/deployments/DeploymentsPage';
import { NotFoundPage } from './pages/NotFound';

export function App() {
  return (
    <ConfirmProvider>
      <Layout>
        <Routes>
          <Route path="/" element={<DashboardPage />} />
          <Route path="/runs" element={<RunsPage />} />
          <Route path="/runs/:id" element={<RunDetailPage />} />
          <Route path="/flows" element={<FlowsPage />} />
          <Route path="/deployments" element={<DeploymentsPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </Layout>
      <Toaster />
    </ConfirmProvider>
  );
}
