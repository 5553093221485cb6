import DataLoader from 'dataloader';
import type { RequestContext } from './request-context';

const caches = new WeakMap<RequestContext, Map<string, DataLoader<string, unknown>>>();

/**
 * A DataLoader that lives as long as the request (its RequestContext object): one batched query per kind of
 * lookup per tick instead of one per parent row.
 */
export function requestLoader<V>(
  ctx: RequestContext,
  name: string,
  batch: (ids: readonly string[]) => Promise<Map<string, V>>,
): DataLoader<string, V | null> {
  let byName = caches.get(ctx);
  if (!byName) {
    byName = new Map();
    caches.set(ctx, byName);
  }
  let loader = byName.get(name) as DataLoader<string, V | null> | undefined;
  if (!loader) {
    loader = new DataLoader<string, V | null>(async (ids) => {
      const found = await batch(ids);
      return ids.map((id) => found.get(id) ?? null);
    });
    byName.set(name, loader);
  }
  return loader;
}

/**
 * Drops the loaders of a context, for contexts that outlive one operation (a subscription's context: each event is
 * resolved with fresh loaders, so nothing is cached across events).
 */
export function forgetRequestLoaders(ctx: RequestContext): void {
  caches.delete(ctx);
}

export function indexBy<T>(items: T[], key: (item: T) => string): Map<string, T> {
  return new Map(items.map((item) => [key(item), item]));
}

export function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
