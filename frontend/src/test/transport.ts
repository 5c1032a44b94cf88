import type { PortalApi } from '../api/client.gen';
import type { Transport } from '../api/transport';
import type { MethodName } from '../api/types.gen';

/** Calls api's method for method (GetEntity → getEntity), as a transport would; a method api lacks fails the test. */
export function callMethod(api: object, method: MethodName, args: unknown[]): Promise<unknown> {
  const name = method.charAt(0).toLowerCase() + method.slice(1);
  const fn = (api as Record<string, ((...a: unknown[]) => Promise<unknown>) | undefined>)[name];
  if (!fn) return Promise.reject(new Error(`the fake has no ${name}`));
  return fn.apply(api, args);
}

/** A Transport over the methods a fake implements, without events. */
export function transportOf(api: Partial<PortalApi>): Transport {
  return { call: (method, args) => callMethod(api, method, args), subscribe: () => () => {} };
}
