import { actorOf } from '../../core/actor.js';
import type { OdinApp } from '../../core/http/types.js';
import { CostBreakdownSchema, CostInputSchema, costOf, PricingConfigSchema } from './pricing.js';
import type { PricingService } from './service.js';

export function pricingRoutes(app: OdinApp, deps: { pricing: PricingService }): void {
  const { pricing } = deps;
  const tags = ['Pricing'];

  app.get(
    '/api/pricing-config',
    { config: { access: 'viewer' }, schema: { tags, summary: 'The pricing configuration', response: { 200: PricingConfigSchema } } },
    () => pricing.get(),
  );

  app.put(
    '/api/pricing-config',
    {
      config: { access: 'admin', action: 'settings.edit' },
      schema: { tags, summary: 'Replace the pricing configuration', body: PricingConfigSchema, response: { 200: PricingConfigSchema } },
    },
    (request) => pricing.replace(request.body, actorOf(request)),
  );

  app.post(
    '/api/pricing/calculate',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Cost and suggested price of an item from grams, hours and items per bed',
        body: CostInputSchema,
        response: { 200: CostBreakdownSchema },
      },
    },
    async (request) => costOf(request.body, await pricing.get()),
  );
}
