/**
 * The wire rules of app/wire on this side: how GET and DELETE calls carry
 * their arguments in the query (see EncodeQuery there), and path segments.
 */

import { PortalError } from './transport';

type Scalar = string | number | boolean;

function isScalar(v: unknown): v is Scalar {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function isZero(v: Scalar): boolean {
  return v === '' || v === 0 || v === false;
}

function addList(p: URLSearchParams, name: string, v: unknown[]): void {
  for (const e of v) {
    if (!isScalar(e)) throw new TypeError(`${name}: a list in a query holds scalars`);
    p.append(name, String(e));
  }
}

function addValue(p: URLSearchParams, name: string, v: unknown): void {
  if (v === undefined || v === null) return;
  if (isScalar(v)) {
    if (!isZero(v)) p.append(name, String(v));
  } else if (Array.isArray(v)) {
    addList(p, name, v);
  } else if (typeof v === 'object') {
    for (const [key, value] of Object.entries(v)) {
      const k = `${name}.${key}`;
      if (Array.isArray(value)) addList(p, k, value);
      else if (isScalar(value)) p.append(k, String(value));
      else if (value !== undefined && value !== null) throw new TypeError(`${k}: a map in a query holds scalars or lists of them`);
    }
  } else {
    throw new TypeError(`${name}: not a scalar, list or map`);
  }
}

/**
 * Adds v to p under name, as app/wire.EncodeQuery does: a scalar as
 * name=v (left out when zero), a list as name repeated, a map as
 * name.key=value; with name '' an object's fields, each by these rules.
 */
export function encodeQuery(p: URLSearchParams, name: string, v: unknown): void {
  if (name !== '') {
    addValue(p, name, v);
    return;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new TypeError('only an object goes unnamed in a query');
  for (const [field, value] of Object.entries(v)) addValue(p, field, value);
}

/** A path parameter (a string, as app/portal.API declares them all) as its one segment; an empty one would name another endpoint. */
export function pathSegment(name: string, v: unknown): string {
  const s = typeof v === 'string' ? v : '';
  if (s === '') throw new PortalError({ code: 'invalid', message: `${name} is empty: invalid request` });
  return encodeURIComponent(s);
}
