// A worker for the deployments e2e test: serves a flow whose parameters are a zod schema (the
// dashboard builds its Run form from it) and a scheduled one, against FLOWLIGHT_API_URL.
// Prints `serving` once the deployments are registered.
import { z } from 'zod';
import { flow, getRunLogger, serve } from '@flowlight/engine';

const Params = z.object({
  city: z.string().min(2).describe('City to forecast'),
  days: z.number().int().min(1).max(14).default(3),
  units: z.enum(['metric', 'imperial']),
  alerts: z.boolean().default(false),
});

const forecast = flow({ name: 'weather-report', parameters: Params }, async (p: z.infer<typeof Params>) => {
  await new Promise((r) => setTimeout(r, 300));
  getRunLogger().info(`forecasting ${p.days} days for ${p.city}`);
  return `Forecast for ${p.city}: ${p.days} days (${p.units}${p.alerts ? ', with alerts' : ''})`;
});

const heartbeat = flow({ name: 'heartbeat-check' }, async () => 'ok');

await serve(
  forecast.toDeployment({ name: 'forecast', parameters: { city: 'Oslo', units: 'metric' } }),
  heartbeat.toDeployment({ name: 'heartbeat', intervalSeconds: 30 }),
  { pollMs: 250 },
);
console.log('serving');
